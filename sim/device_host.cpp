#include "sim/device_host.hpp"

#include <string>

namespace dtu::sim {
namespace {

hal_sim::AsioNetOptions net_options(const DeviceConfig& config) {
    hal_sim::AsioNetOptions o;
    o.ntp_port = config.ntp_port;
    return o;
}

} // namespace

DeviceHost::DeviceHost(boost::asio::io_context& io, const profile::Profile& profile,
                       const DeviceConfig& config, hal::Log& host_log)
    : profile_(profile), host_log_(host_log), device_log_(std::string(profile.name), config.log_level),
      uart_(io, host_log), scheduler_(io), clock_(scheduler_), storage_(config.state_dir, host_log),
      system_(scheduler_, [this](hal::ResetCause cause) { restart(cause); }),
      modem_(config.radio ? hal_sim::SimModem(config.identity, *config.radio)
                          : hal_sim::SimModem(config.identity)),
      link_(config.link, config.seed), net_(io, link_, device_log_, net_options(config)),
      sms_(scheduler_, host_log), mqtt_(io, net_, device_log_) {
    uart_.on_rx([this](std::string_view bytes) { serial_rx(bytes); });
    // Registration and credit of the active SIM are the modem's half of the data link's attach.
    // SMS needs registration only (an out-of-credit SIM still sends and receives SMS).
    modem_.set_change_handler([this] {
        net_.set_radio_attached(modem_.data_ready());
        sms_.registration_changed();
    });
    sms_.set_registration([this] { return modem_.registered(); });
    net_.set_radio_attached(modem_.data_ready());
}

DeviceHost::~DeviceHost() {
    stop();
    modem_.set_change_handler(nullptr);
}

void DeviceHost::start() { uart_.start(); }

void DeviceHost::boot() {
    if (device_ || stopped_) return;
    device_ = std::make_unique<device::Device>(profile_, make_hal());
    ++boots_;
    host_log_.write(hal::LogLevel::Debug, "boot #" + std::to_string(boots_));
    device_->boot();
}

void DeviceHost::stop() {
    if (stopped_) return;
    stopped_ = true;
    power_down_firmware();
    uart_.stop();
}

void DeviceHost::power_off() {
    if (!device_) return;
    host_log_.write(hal::LogLevel::Debug, "power off");
    power_down_firmware();
    modem_.power_off();
}

void DeviceHost::restart(hal::ResetCause cause) {
    // A reset requested just before the power was switched off must not switch it back on.
    if (stopped_ || !device_) return;
    host_log_.write(hal::LogLevel::Info,
                    std::string("device reset (") + hal_sim::SimSystem::cause_name(cause) + "), rebooting");
    power_down_firmware();
    boot();
}

void DeviceHost::power_down_firmware() {
    // A reset MCU keeps no timers and no connections (the module's sockets close: the server sees a
    // FIN); the old firmware's pending callbacks and link events must never reach the new one.
    clock_.cancel_all();
    mqtt_.reset(); // the module resets too: its MQTT session ends without DISCONNECT
    net_.close_all();
    net_.set_listener(nullptr);
    sms_.set_listener(nullptr);
    mqtt_.set_listener(nullptr);
    device_.reset();
}

void DeviceHost::serial_rx(std::string_view bytes) {
    if (device_) {
        device_->on_uart_rx(bytes);
        return;
    }
    // Counted and logged, never silent: a client typing before --wait-serial's boot, or during shutdown.
    rx_without_firmware_ += bytes.size();
    host_log_.write(hal::LogLevel::Warn,
                    "dropped " + std::to_string(bytes.size()) + " serial bytes: firmware not running");
}

hal::Hal DeviceHost::make_hal() {
    return hal::Hal{uart_, clock_, storage_, system_, modem_, net_, sms_, mqtt_, crypto_, device_log_};
}

} // namespace dtu::sim
