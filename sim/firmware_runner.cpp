#include "sim/firmware_runner.hpp"

#include <string>
#include <utility>

#include "hal_sim/sim_system.hpp"

namespace dtu::sim {

FirmwareRunner::FirmwareRunner(const profile::Profile& profile, hal::Hal hal, hal_sim::SchedulerClock& clock,
                               hal_sim::SimModem& modem, hal::Log& host_log, CloseLinks close_links)
    : profile_(profile), hal_(hal), clock_(clock), modem_(modem), host_log_(host_log),
      close_links_(std::move(close_links)) {}

FirmwareRunner::~FirmwareRunner() { stop(); }

void FirmwareRunner::boot() {
    if (device_ || stopped_) return;
    device_ = std::make_unique<device::Device>(profile_, hal_);
    ++boots_;
    host_log_.write(hal::LogLevel::Debug, "boot #" + std::to_string(boots_));
    device_->boot();
}

void FirmwareRunner::power_off() {
    if (!device_) return;
    host_log_.write(hal::LogLevel::Debug, "power off");
    power_down();
    modem_.power_off();
}

void FirmwareRunner::restart(hal::ResetCause cause) {
    // A reset requested just before the power was switched off must not switch it back on.
    if (stopped_ || !device_) return;
    host_log_.write(hal::LogLevel::Info,
                    std::string("device reset (") + hal_sim::SimSystem::cause_name(cause) + "), rebooting");
    power_down();
    // 7S4 §3.1.7.4: AT+REBOOT restarts the whole system, "同重新上电" (as a power cycle): the
    // modem restarts too, and forgets its card selection. Every other reset restarts the module
    // with the MCU but keeps the selection; either way a SIM PIN is asked again.
    if (cause == hal::ResetCause::AtReboot)
        modem_.power_off();
    else
        modem_.restart();
    if (on_reset_) on_reset_(cause);
    boot();
}

void FirmwareRunner::stop() {
    if (stopped_) return;
    stopped_ = true;
    power_down();
}

void FirmwareRunner::power_down() {
    // A reset MCU keeps no timers and no connections (the module's sockets close: the server sees a
    // FIN); the old firmware's pending callbacks and link events must never reach the new one.
    clock_.cancel_all();
    if (close_links_) close_links_();
    hal_.net.set_listener(nullptr);
    hal_.sms.set_listener(nullptr);
    hal_.mqtt.set_listener(nullptr);
    hal_.uart.hold_rx(false); // a reset MCU's UART takes bytes again (and drops them until the boot)
    device_.reset();
}

void FirmwareRunner::serial_rx(std::string_view bytes) {
    if (device_) {
        device_->on_uart_rx(bytes);
        return;
    }
    // Counted and logged, never silent: a client typing before the boot, or during shutdown.
    rx_without_firmware_ += bytes.size();
    host_log_.write(hal::LogLevel::Warn,
                    "dropped " + std::to_string(bytes.size()) + " serial bytes: firmware not running");
}

} // namespace dtu::sim
