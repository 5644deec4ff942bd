#pragma once
// The board a scenario runs: the twin of sim/device_host.hpp without a PTY or files. The firmware
// runs on in-process HAL parts (VirtualUart, SchedulerClock, MemoryStorage, SimSystem, SimModem,
// LinkImpairment, SmsCenter, OpenSslCrypto) over the scenario runner's Scheduler, and on a hal_sim::NetStack:
// in-process peers in virtual time, host sockets and the mosquitto-based MQTT service in real time
// (BoardConfig::io). It has DeviceHost's lifecycle (FirmwareRunner): boot, firmware reset (destroy
// and boot again on the same HAL, NVRAM kept), power off (SIM selection forgotten). Everything the
// board does is reported to a BoardObserver, from the scheduler or from the call that caused it.
#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <boost/asio/io_context.hpp>

#include "dtu/hal/log.hpp"
#include "dtu/hal/modem.hpp"
#include "dtu/profile/profile.hpp"
#include "hal_sim/link_config.hpp"
#include "hal_sim/link_impairment.hpp"
#include "hal_sim/memory_storage.hpp"
#include "hal_sim/modem_attach.hpp"
#include "hal_sim/net_stack.hpp"
#include "hal_sim/openssl_crypto.hpp"
#include "hal_sim/scheduler.hpp"
#include "hal_sim/scheduler_clock.hpp"
#include "hal_sim/sim_modem.hpp"
#include "hal_sim/sim_system.hpp"
#include "hal_sim/sms_center.hpp"
#include "hal_sim/virtual_uart.hpp"
#include "hal_sim/virtual_websockets.hpp"
#include "sim/firmware_runner.hpp"
#include "sim/json_codec.hpp"
#include "sim/scenario/network_epoch.hpp"

namespace dtu::sim::scenario {

/// What the board is built from (DeviceConfig without the host's files and ports).
struct BoardConfig {
    hal::Identity identity; ///< sim/identity.hpp: default_identity()
    hal_sim::LinkConfig link;
    std::uint64_t seed = 1; ///< the link's PRNG: same seed, same decisions
    /// Radio and SIM cards at start; empty: SimModem's defaults (external ICCID = identity.iccid).
    std::optional<hal_sim::RadioModel> radio;
    /// 2026-01-01T00:00:00Z (network_epoch.hpp, which the pcapng traces share).
    static constexpr std::chrono::system_clock::time_point kNetworkEpoch = scenario::kNetworkEpoch;
    /// The host's UTC as the network sees it (the modem's network time is this + radio's
    /// time_offset_s) when the board is built; it then advances with the scheduler. Fixed, never
    /// the wall clock, so AT+CCLK answers the same in every run.
    std::chrono::system_clock::time_point network_epoch = kNetworkEpoch;
    hal::LogLevel log_level = hal::LogLevel::Info; ///< lines below it are not reported
    /// The NVRAM's content at power-on (dtu-sim --at types on a twin of the device with the state
    /// dir's); empty: never written, the factory parameters.
    std::optional<std::string> nvram;
    /// Serial bytes move at the line rate AT+UART sets, both ways (hal_sim::LineQueue); false: at once.
    bool baud_pacing = true;
    /// Real time: the io_context the scheduler runs on, for host sockets. nullptr: virtual time.
    boost::asio::io_context* io = nullptr;
    /// Real time: where the scenario's declared peers really listen (AsioNetOptions::redirects).
    std::vector<hal_sim::AsioNetOptions::Redirect> redirects;
};

/// What the board reports (the scenario runner's trace and its serial peer).
class BoardObserver {
public:
    virtual ~BoardObserver() = default;
    /// The device wrote to its serial port.
    virtual void on_serial_out(std::string_view bytes) = 0;
    /// A firmware reset is happening (before the new boot).
    virtual void on_reboot(hal::ResetCause cause) = 0;
    /// Device and host log lines (at or above VirtualBoardConfig::log_level).
    virtual void on_log(hal::LogLevel level, std::string_view line) = 0;
    /// The device completed sending an SMS.
    virtual void on_sms_sent(const hal_sim::SentMessage& m) = 0;
};

class Board {
public:
    /// scheduler, profile and observer outlive the board (and config.io, in real time, is the
    /// scheduler's). Nothing runs until boot().
    Board(hal_sim::Scheduler& scheduler, const profile::Profile& profile, const BoardConfig& config,
          BoardObserver& observer);
    ~Board();
    Board(const Board&) = delete;
    Board& operator=(const Board&) = delete;

    /// Power on: build the firmware and boot it. Does nothing if it runs.
    void boot();
    /// Power off: the firmware is destroyed (timers cancelled, links closed); the module forgets its
    /// SIM selection. boot() powers on again; NVRAM is kept.
    void power_off();
    bool booted() const { return firmware_.booted(); }
    /// Boots since construction (1 after the first boot).
    std::uint64_t boots() const { return firmware_.boots(); }

    /// Bytes from the serial peer: into the firmware as they cross the line (at once unpaced;
    /// counted and logged while powered off).
    void serial_write(std::string_view bytes);

    /// Whether the device's serial output has all crossed the line (always, unpaced).
    bool serial_out_idle() const { return uart_.output_queued() == 0; }

    /// The device's sockets and MQTT service (set_observer, reset_connections; in virtual time
    /// in_process() for add_server, server_send ...).
    hal_sim::NetStack& net() { return *net_; }
    /// Virtual time, a model with websocket clients (K7 §4.2.6): the device's websocket server the
    /// scenario's websocket `clients:` open; else nullptr.
    hal_sim::VirtualWebSockets* websockets() { return websockets_.get(); }
    /// The cellular link's impairment (set_config).
    hal_sim::LinkImpairment& link() { return link_; }
    /// The cellular module model (its data_ready() drives net()'s attach, its registration SMS).
    hal_sim::SimModem& modem() { return modem_; }
    /// The operator's SMS centre for this device.
    hal_sim::SmsCenter& sms() { return sms_; }
    /// Reset and LED bookkeeping.
    const hal_sim::SimSystem& system() const { return system_; }
    /// The NVRAM.
    const hal_sim::MemoryStorage& storage() const { return storage_; }

    /// The status for status_to_json (serial: bytes in and out).
    BoardSnapshot snapshot() const;

private:
    /// Every line to the observer, below the configured level filtered out.
    class ObserverLog final : public hal::Log {
    public:
        ObserverLog(BoardObserver& observer, hal::LogLevel min) : observer_(observer), min_(min) {}
        void write(hal::LogLevel level, std::string_view line) override {
            if (level >= min_) observer_.on_log(level, line);
        }

    private:
        BoardObserver& observer_;
        hal::LogLevel min_;
    };

    hal::Hal make_hal();

    const profile::Profile& profile_;
    BoardObserver& observer_;
    // Declaration order is destruction order in reverse: the HAL outlives the firmware using it.
    ObserverLog log_;
    hal_sim::VirtualUart uart_;
    hal_sim::SchedulerClock clock_;
    hal_sim::MemoryStorage storage_;
    hal_sim::SimSystem system_;
    hal_sim::SimModem modem_;
    hal_sim::LinkImpairment link_;
    std::unique_ptr<hal_sim::NetStack> net_;
    std::unique_ptr<hal_sim::VirtualWebSockets> websockets_;
    hal_sim::SmsCenter sms_;
    hal_sim::ModemAttach attach_{modem_, *net_, sms_, profile_.hal.modem};
    hal_sim::OpenSslCrypto crypto_;
    FirmwareRunner firmware_;
    std::uint64_t serial_rx_bytes_ = 0;
};

} // namespace dtu::sim::scenario
