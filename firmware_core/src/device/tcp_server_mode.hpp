#pragma once
// TCP Server work mode (SOCKA=TCPS; K7 §4.2.2, spec k7-ethernet §4): socket A listens on SOCKA's
// port (the local one, GAP-20) and accepts clients on links::accepted(0).
//
// - Data from any client goes to the serial port (in command mode it is discarded, GAP-46); every
//   serial frame goes to every connected client.
// - At most NetRules::server_clients clients: one more closes the oldest-accepted one and is kept
//   (spec k7 §4 RECOMMENDED).
// - Serial data with no client waits in the 2 KB serial buffer and goes to the first client, or is
//   cleared then with AT+UARTCLBUF=ON (K7 §4.4.9).
// - No registration packet and no network heartbeat (spec k7 §6 RECOMMENDED).
// - AT+RSTIM: the device restarts when no client has sent data for that long (K7 §4.4.8).
// - AT+MODTCP=ON: the Modbus TCP gateway (K7 §4.4.2, spec k7 §8) stands between the clients and the
//   serial port: client bytes are Modbus TCP requests, serial frames are the RTU replies.
// - AT+RFCEN=ON: RFC2217-like frames from a client set the running serial port (K7 §4.2.2, §4.3.4);
//   they are taken out before the gateway or the serial port sees the client's bytes.
#include <cstdint>
#include <memory>
#include <string_view>

#include "drop_report.hpp"
#include "dtu/hal/hal.hpp"
#include "dtu/params/store.hpp"
#include "modbus_gateway.hpp"
#include "mode_hooks.hpp"
#include "no_data_restart.hpp"
#include "serial_backlog.hpp"
#include "serial_reconfig.hpp"
#include "server_clients.hpp"
#include "server_listen.hpp"
#include "work_mode.hpp"

namespace dtu::device {

/// Listens to link id kListener and to links::accepted(0); the owner routes them here.
class TcpServerMode final : public WorkMode, public hal::NetListener {
public:
    static constexpr hal::LinkId kListener = 0; ///< socket A

    TcpServerMode(const profile::Profile& profile, hal::Hal hal, const params::Store& saved, ModeHooks hooks);
    ~TcpServerMode() override;
    TcpServerMode(const TcpServerMode&) = delete;
    TcpServerMode& operator=(const TcpServerMode&) = delete;

    // WorkMode
    void start() override;
    bool on_frame(std::string_view frame) override;
    /// False while a client's send queue is over the module's limit (every frame goes to all).
    bool accepting() const override;
    void report(Status& status) const override;
    void report(LiveState& live) const override;

    // hal::NetListener
    void on_connected(hal::LinkId) override {}
    void on_connect_failed(hal::LinkId, hal::NetError) override {}
    void on_data(hal::LinkId id, std::string_view bytes) override;
    void on_closed(hal::LinkId id, hal::NetError why) override;
    void on_attach_changed(bool attached) override;
    void on_send_drained(hal::LinkId) override { flow_changed(); }
    void on_listening(hal::LinkId id) override;
    void on_listen_failed(hal::LinkId id, hal::NetError why) override;
    void on_accepted(hal::LinkId listener, hal::LinkId conn, const hal::NetAddress& peer) override;

    /// The gateway when AT+MODTCP=ON (tests read its counters), else nullptr.
    const ModbusGateway* gateway() const { return gateway_.get(); }

private:
    void to_clients(std::string_view bytes);
    /// Client bytes past the RFC2217-like frames: to the gateway or the serial port.
    void from_client(hal::LinkId id, std::string_view bytes);
    void send(hal::LinkId id, std::string_view bytes);
    /// Close client id and forget it (kicked out, or the gateway gave up on its stream).
    void close_client(hal::LinkId id);
    void forgotten(hal::LinkId id);
    void first_client(hal::LinkId id);
    void flow_changed();
    void log(hal::LogLevel level, const std::string& line) const;

    hal::Hal hal_;
    const params::Store& saved_;
    ModeHooks hooks_;
    ServerListen listen_;
    ServerClients clients_;
    SerialBacklog backlog_;
    DropReport drops_; ///< serial data a client's send queue refused
    NoDataRestart no_data_;
    std::unique_ptr<ModbusGateway> gateway_;
    SerialReconfig reconfig_; ///< AT+RFCEN: RFC2217-like frames from the clients
    SocketStatus counters_;
};

} // namespace dtu::device
