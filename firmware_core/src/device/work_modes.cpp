// The one place a work-mode kind becomes an object: one line per profile::ModeKind.
#include "command_mode.hpp"
#include "httpd_mode.hpp"
#include "mqtt_mode.hpp"
#include "net_mode.hpp"
#include "server_with_socket_b.hpp"
#include "sms_data_mode.hpp"
#include "tcp_server_mode.hpp"
#include "udc_framing.hpp"
#include "udp_server_mode.hpp"
#include "work_mode.hpp"

namespace dtu::device {
namespace {

/// NET, or UDC when framing is given (732 §2.1.4: NET with the UDC frame).
std::unique_ptr<WorkMode> net(const ModeContext& c, std::unique_ptr<LinkFraming> framing = nullptr) {
    auto mode = std::make_unique<NetMode>(c.profile, c.hal, c.saved, NetMode::Hooks{c.hooks, c.network_at},
                                          std::move(framing));
    for (std::size_t id = 0; id < c.profile.net.sockets; ++id)
        c.links.route(static_cast<hal::LinkId>(id), mode.get());
    return mode;
}

std::unique_ptr<WorkMode> httpd(const ModeContext& c) {
    auto mode = std::make_unique<HttpdMode>(c.profile.httpd, c.hal, c.saved, c.hooks);
    c.links.route(HttpdMode::kLink, mode.get());
    return mode;
}

/// K7 §4.2 form 4.2-1: socket B, when it names a client, connects beside socket A's server.
std::unique_ptr<WorkMode> with_socket_b(const ModeContext& c, std::unique_ptr<WorkMode> server) {
    constexpr std::size_t kSocketB = 1;
    NetMode::Hooks hooks{c.hooks, c.network_at};
    hooks.no_data_restart = false; // RSTIM counts the server's client data (K7 §4.4.8)
    auto socket_b = std::make_unique<NetMode>(c.profile, c.hal, c.saved, std::move(hooks));
    if (!socket_b->socket_in_use(kSocketB)) return server;
    c.links.route(static_cast<hal::LinkId>(kSocketB), socket_b.get());
    return std::make_unique<ServerWithSocketB>(std::move(server), std::move(socket_b));
}

/// K7 §4.2.2: socket A listens, its clients are links::accepted(0).
std::unique_ptr<WorkMode> tcp_server(const ModeContext& c) {
    auto mode = std::make_unique<TcpServerMode>(c.profile, c.hal, c.saved, c.hooks);
    c.links.route(TcpServerMode::kListener, mode.get());
    c.links.route(hal::links::accepted(0), mode.get());
    return with_socket_b(c, std::move(mode));
}

/// K7 §4.2.4: socket A bound to its local port.
std::unique_ptr<WorkMode> udp_server(const ModeContext& c) {
    auto mode = std::make_unique<UdpServerMode>(c.hal, c.saved, c.hooks);
    c.links.route(UdpServerMode::kSocket, mode.get());
    return with_socket_b(c, std::move(mode));
}

} // namespace

std::unique_ptr<WorkMode> make_work_mode(profile::ModeKind kind, const ModeContext& c) {
    using profile::ModeKind;
    switch (kind) {
    case ModeKind::Net: return net(c);
    case ModeKind::Httpd: return httpd(c);
    case ModeKind::Sms: return std::make_unique<SmsDataMode>(c.sms); // G771 §2.4
    case ModeKind::Mqtt: return std::make_unique<MqttMode>(c.profile, c.hal, c.saved, c.hooks);
    case ModeKind::Command: return std::make_unique<CommandMode>();
    case ModeKind::Udc:
        return net(c, std::make_unique<UdcFraming>(c.saved, c.hal.modem, c.profile.net.sockets));
    case ModeKind::TcpServer: return tcp_server(c);
    case ModeKind::UdpServer: return udp_server(c);
    }
    return net(c); // not reached: every ModeKind has its line above (-Wswitch)
}

} // namespace dtu::device
