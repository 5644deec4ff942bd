#pragma once
// Inside of dtu::device::Device. Methods live in files by job: device.cpp (power-on, status),
// serial_modes.cpp (transparent / "+++" / command mode), saved_params.cpp (NVRAM load).
#include <string>
#include <string_view>

#include "at_engine.hpp"
#include "discovery_service.hpp"
#include "drop_report.hpp"
#include "dtu/at/line_reader.hpp"
#include "dtu/device/device.hpp"
#include "link_router.hpp"
#include "network_at_service.hpp"
#include "ntp_client.hpp"
#include "packer.hpp"
#include "sim_pin.hpp"
#include "sim_switch.hpp"
#include "sms_service.hpp"
#include "timer.hpp"
#include "wall_clock.hpp"
#include "web_page.hpp"
#include "websocket_bridge.hpp"
#include "work_mode.hpp"

namespace dtu::device {

class DeviceImpl {
public:
    DeviceImpl(const profile::Profile& profile, hal::Hal hal);
    ~DeviceImpl();
    void boot();
    void on_uart_rx(std::string_view bytes);
    Status status() const;

private:
    // saved_params.cpp
    params::Store load_saved();
    // serial_modes.cpp
    void on_frame(std::string frame, bool after_quiet);
    bool run_serial_at(std::string_view frame);
    void data_frame(std::string_view frame);
    std::string_view wait_a_bytes(std::string_view bytes);
    std::string_view command_bytes(std::string_view bytes);
    void enter_command();
    void leave_command();
    void abort_plus();
    bool finish(const Outcome& outcome);
    // device.cpp
    /// Relayed data to the serial port (hal::Uart::write).
    void send(std::string_view bytes);
    /// The device's own reply on the serial port (hal::Uart::write_reply): never dropped for data.
    void reply(std::string_view bytes);
    void log(hal::LogLevel level, const std::string& line);
    LiveState live() const;
    void restart(hal::ResetCause cause);
    void configure_packer();
    void start_network_at();
    void start_work_mode();
    void start_ntp();
    void start_sms();
    void start_discovery();
    void start_websocket();
    void start_web_page();
    ModeHooks mode_hooks();
    /// Hold the UART receive while the work mode cannot take more (flow control), else release it.
    void update_hold();
    Outcome run_prefixed(std::string_view line, Channel channel);

    const profile::Profile& profile_;
    hal::Hal hal_;
    params::Store saved_;   ///< as loaded at power-on: the configuration in effect
    params::Store working_; ///< edited by AT commands, written by AT+S (GAP-15)
    AtEngine engine_;
    Packer packer_;
    at::LineReader line_;
    Timer wait_a_timer_;
    Timer login_timer_;
    SimSwitch sim_switch_; ///< AT+SIMSWITCH: which SIM card (G771 §2.6.1)
    SimPin sim_pin_;       ///< the card's PIN at start (732 AT+UCPIN)
    SerialMode mode_ = SerialMode::Transparent;
    Session session_;
    bool resetting_ = false;
    bool rx_held_ = false; ///< hal::Uart::hold_rx(true) is in force
    DropReport rx_drops_{[this](hal::LogLevel level, const std::string& line) { log(level, line); }};
    std::uint64_t boot_ms_ = 0;
    Counters counters_;

    std::unique_ptr<NetworkAtService> network_at_; ///< K7 UDP SEARCH port (profile lan.network_at_udp)

    WallClock wall_clock_;            ///< AT+CCLK; set by ntp_
    LinkRouter links_;                ///< the one hal::NetListener: link ids to net_ (0..3) and ntp_
    std::unique_ptr<NtpClient> ntp_;  ///< every work mode (G771 §2.6.4)
    std::unique_ptr<SmsService> sms_; ///< SMS AT in every mode; WKMOD=SMS data
    std::unique_ptr<DiscoveryService> discovery_; ///< K7 UDP 1901 (profile lan.discovery), every mode
    std::unique_ptr<WebSocketBridge> websocket_;  ///< K7 §4.2.6 (profile lan.websocket_clients), every mode
    std::unique_ptr<WebPage> web_;                ///< K7 §5.2 (profile lan.web_page), every mode
    std::unique_ptr<WorkMode> work_; ///< the AT+WKMOD mode; last member: goes first, before what it uses
};

} // namespace dtu::device
