#pragma once
// The firmware's life on a board, shared by the real-time DeviceHost and the scenario runner's
// Board: power on (build a Device on the HAL and boot it), firmware reset (destroy and boot
// again on the same HAL), power off, and the power-down sequence every one of them needs (timers
// cancelled, links closed, listeners dropped). The board owns the HAL parts; this holds references.
#include <cstdint>
#include <functional>
#include <memory>
#include <string_view>

#include "dtu/device/device.hpp"
#include "dtu/hal/hal.hpp"
#include "dtu/profile/profile.hpp"
#include "hal_sim/scheduler_clock.hpp"
#include "hal_sim/sim_modem.hpp"

namespace dtu::sim {

class FirmwareRunner {
public:
    /// What the board does on top of the common power-down: close its net's links and reset its
    /// MQTT service (the concrete classes differ between real and virtual time).
    using CloseLinks = std::function<void()>;
    /// Called when a firmware reset happens, before the new boot.
    using OnReset = std::function<void(hal::ResetCause)>;

    /// Every reference outlives this object. host_log gets the lifecycle lines.
    FirmwareRunner(const profile::Profile& profile, hal::Hal hal, hal_sim::SchedulerClock& clock,
                   hal_sim::SimModem& modem, hal::Log& host_log, CloseLinks close_links);
    ~FirmwareRunner();
    FirmwareRunner(const FirmwareRunner&) = delete;
    FirmwareRunner& operator=(const FirmwareRunner&) = delete;

    void set_on_reset(OnReset fn) { on_reset_ = std::move(fn); }

    /// Power on: build the firmware and boot it. Does nothing if it runs or after stop().
    void boot();
    /// Power off: the firmware is destroyed; the module forgets its SIM selection.
    void power_off();
    /// A firmware reset (SimSystem's handler): power down and boot again; the SIM selection stays.
    void restart(hal::ResetCause cause);
    /// For good: the firmware is destroyed and boot() does nothing any more.
    void stop();

    /// Serial bytes from the peer: into the firmware, or counted and logged while it is off.
    void serial_rx(std::string_view bytes);

    bool booted() const { return device_ != nullptr; }
    /// Boots since construction (1 after the first boot).
    std::uint64_t boots() const { return boots_; }
    /// Serial bytes that arrived while no firmware was running.
    std::uint64_t rx_bytes_without_firmware() const { return rx_without_firmware_; }
    /// The firmware's status; requires booted().
    device::Status status() const { return device_->status(); }

private:
    void power_down();

    const profile::Profile& profile_;
    hal::Hal hal_;
    hal_sim::SchedulerClock& clock_;
    hal_sim::SimModem& modem_;
    hal::Log& host_log_;
    CloseLinks close_links_;
    OnReset on_reset_;
    std::unique_ptr<device::Device> device_;
    std::uint64_t boots_ = 0;
    std::uint64_t rx_without_firmware_ = 0;
    bool stopped_ = false;
};

} // namespace dtu::sim
