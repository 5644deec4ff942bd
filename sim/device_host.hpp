#pragma once
// One simulated board: the host HAL objects and the firmware Device running on them.
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <boost/asio/io_context.hpp>

#include "dtu/device/device.hpp"
#include "dtu/profile/profile.hpp"
#include "hal_sim/asio_scheduler.hpp"
#include "hal_sim/beast_web_server.hpp"
#include "hal_sim/beast_websockets.hpp"
#include "hal_sim/host_log.hpp"
#include "hal_sim/host_ports.hpp"
#include "hal_sim/link_config.hpp"
#include "hal_sim/link_impairment.hpp"
#include "hal_sim/modem_attach.hpp"
#include "hal_sim/net_peer.hpp"
#include "hal_sim/net_stack.hpp"
#include "hal_sim/nvram_file.hpp"
#include "hal_sim/openssl_crypto.hpp"
#include "hal_sim/pty_uart.hpp"
#include "hal_sim/scheduler_clock.hpp"
#include "hal_sim/sim_modem.hpp"
#include "hal_sim/sim_system.hpp"
#include "hal_sim/sms_center.hpp"
#include "sim/firmware_runner.hpp"
#include "sim/overlay_storage.hpp"

namespace dtu::sim {

/// What the board is built from.
struct DeviceConfig {
    std::filesystem::path state_dir; ///< must exist
    hal::Identity identity;
    hal::LogLevel log_level = hal::LogLevel::Info;
    hal_sim::LinkConfig link;     ///< the cellular link's impairment at power-on
    std::uint64_t seed = 1;       ///< the device's PRNG (jitter, loss): same seed, same decisions
    std::uint16_t ntp_port = 123; ///< where UDP opens to port 123 go (hal_sim::AsioNetOptions::ntp_port)
    bool baud_pacing = true;      ///< the PTY moves bytes at the line rate (hal_sim::PtyUart paced)
    std::string listen_address = "127.0.0.1"; ///< where the device's listeners bind (hal_sim::HostPorts)
    /// Radio and SIM cards at start; empty: SimModem's defaults (external ICCID = identity.iccid).
    std::optional<hal_sim::RadioModel> radio;
};

/// What the board's serial port and the firmware's sockets do, for a live trace (dtu-sim --trace).
/// Calls come on the io_context's thread as it happens.
class HostObserver : public hal_sim::NetObserver {
public:
    /// Bytes the serial client wrote (before the firmware gets them).
    virtual void on_serial_in(std::string_view bytes) = 0;
    /// Bytes the firmware wrote to the serial port.
    virtual void on_serial_out(std::string_view bytes) = 0;
};

/// Owns the HAL (PTY, clock, NVRAM, system, modem, cellular link, log) and the firmware. A firmware
/// reset destroys the Device and boots a new one on the same HAL: the PTY and its queued output
/// survive; the device's network connections and its MQTT session are closed (the server sees a
/// FIN, the broker no DISCONNECT).
class DeviceHost {
public:
    /// Opens the PTY (throws std::system_error if the host has none to give).
    DeviceHost(boost::asio::io_context& io, const profile::Profile& profile, const DeviceConfig& config,
               hal::Log& host_log);
    ~DeviceHost();
    DeviceHost(const DeviceHost&) = delete;
    DeviceHost& operator=(const DeviceHost&) = delete;

    /// dtu-sim --at, before the first boot(): type commands in command mode on a twin of the device
    /// (sim/boot_commands.hpp). What they leave in force is what the firmware loads for this run; an
    /// AT+S among them also saves to the state dir. Returns the first error answer (nothing is then
    /// changed), empty if every command was answered without one. Throws std::runtime_error if an
    /// AT+S among them cannot write the state dir.
    std::string apply_at_commands(const std::vector<std::string>& commands);
    /// Where serial bytes and network events go (nullptr: nowhere); it outlives this object or is
    /// unset first.
    void set_observer(HostObserver* observer);
    /// Start serial I/O (client detection and reading).
    void start();
    /// Power on: build the firmware and boot it. Does nothing if it already runs.
    void boot();
    /// Power off: the firmware is destroyed (timers cancelled, network links closed); serial I/O
    /// goes on (bytes arriving are counted as rx_bytes_without_firmware). boot() powers on again.
    /// The module forgets its SIM selection (a firmware reset keeps it).
    void power_off();
    /// Stop serial I/O, timers and network links and remove the serial link; the firmware is destroyed.
    void stop();

    /// Whether the firmware is running.
    bool booted() const { return firmware_.booted(); }
    /// Boots since the process started (1 after the first boot).
    std::uint64_t boots() const { return firmware_.boots(); }
    /// Serial bytes that arrived while no firmware was running (before boot, after stop).
    std::uint64_t rx_bytes_without_firmware() const { return firmware_.rx_bytes_without_firmware(); }
    /// The firmware's status; requires booted().
    device::Status status() const { return firmware_.status(); }
    /// The firmware's lifecycle.
    const FirmwareRunner& firmware() const { return firmware_; }

    /// The serial port.
    hal_sim::PtyUart& uart() { return uart_; }
    /// The cellular module model (its data_ready() drives net()'s attach).
    hal_sim::SimModem& modem() { return modem_; }
    const hal_sim::SimModem& modem() const { return modem_; }
    /// Reset and LED bookkeeping.
    const hal_sim::SimSystem& system() const { return system_; }
    /// The NVRAM file.
    const hal_sim::NvramFile& storage() const { return storage_; }
    /// The cellular link's impairment (set_config on the io_context's thread).
    hal_sim::LinkImpairment& link() { return link_; }
    const hal_sim::LinkImpairment& link() const { return link_; }
    /// The operator's SMS centre for this device.
    hal_sim::SmsCenter& sms() { return sms_; }
    /// The device's sockets and MQTT service (status: net().snapshot(), net().counters(),
    /// net().mqtt_snapshot(); fault injection: net().reset_connections()).
    const hal_sim::NetStack& net() const { return *net_; }
    hal_sim::NetStack& net() { return *net_; }
    /// The executor the firmware runs on (times and task counts of a live trace).
    const hal_sim::RunnableScheduler& scheduler() const { return scheduler_; }
    /// Where the device's listeners are bound on the host (ready file and status "ports").
    hal_sim::HostPorts& ports() { return ports_; }
    const hal_sim::HostPorts& ports() const { return ports_; }
    /// The K7's websocket server (K7 §4.2.6), or nullptr on a model without one.
    const hal_sim::BeastWebSockets* websockets() const { return websockets_.get(); }
    /// The K7's web server (K7 §5.2), or nullptr on a model without one.
    const hal_sim::BeastWebServer* web() const { return web_.get(); }

private:
    /// The firmware's serial output on its way to the PTY, seen by the observer first.
    class ObservedUart final : public hal::Uart {
    public:
        ObservedUart(hal::Uart& inner, HostObserver* const& observer) : inner_(inner), observer_(observer) {}
        void write(std::string_view bytes) override {
            if (observer_) observer_->on_serial_out(bytes);
            inner_.write(bytes);
        }
        // Replies keep their kind: the PTY never drops them for server data.
        void write_reply(std::string_view bytes) override {
            if (observer_) observer_->on_serial_out(bytes);
            inner_.write_reply(bytes);
        }
        void configure(const hal::LineSettings& settings) override { inner_.configure(settings); }
        void hold_rx(bool held) override { inner_.hold_rx(held); }

    private:
        hal::Uart& inner_;
        HostObserver* const& observer_;
    };

    hal::Hal make_hal();

    const profile::Profile& profile_;
    const DeviceConfig config_;
    // Declaration order is destruction order in reverse: the HAL outlives the Device using it.
    HostObserver* observer_ = nullptr;
    hal_sim::HostLog device_log_;
    hal_sim::PtyUart uart_;
    ObservedUart observed_uart_{uart_, observer_}; ///< what the firmware writes to
    hal_sim::AsioScheduler scheduler_;
    hal_sim::SchedulerClock clock_;
    hal_sim::NvramFile storage_;
    OverlayStorage run_storage_{storage_}; ///< what the firmware uses: storage_ under --at's overlay
    hal_sim::SimSystem system_;
    hal_sim::SimModem modem_;
    hal_sim::LinkImpairment link_;
    hal_sim::HostPorts ports_;
    std::unique_ptr<hal_sim::NetStack> net_; ///< AsioNet and the module's MQTT service (mosquitto)
    hal_sim::SmsCenter sms_;
    hal_sim::ModemAttach attach_{modem_, *net_, sms_, profile_.hal.modem};
    hal_sim::OpenSslCrypto crypto_;
    std::unique_ptr<hal_sim::BeastWebSockets> websockets_; ///< profile lan.websocket_clients > 0
    std::unique_ptr<hal_sim::BeastWebServer> web_;         ///< profile lan.web_page
    FirmwareRunner firmware_; ///< last: destroyed (firmware first) before the HAL it runs on
    bool stopped_ = false;
};

} // namespace dtu::sim
