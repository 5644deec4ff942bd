#pragma once
// A server socket's listen (K7 §4.2.2 TCP Server, §4.2.4 UDP Server; the LAN services: discovery,
// network AT): socket A listens on the local
// port SOCKA names (spec k7 §4, GAP-20). Started once; a listen refused for want of a network
// (NotAttached) is tried again when the network is back; a module without server sockets
// (hal::Net::listen false) or a bad port is logged and stays off.
#include <cstdint>
#include <functional>
#include <string>

#include "dtu/device/device.hpp"
#include "dtu/hal/net.hpp"

namespace dtu::device {

class ServerListen {
public:
    using Log = std::function<void(hal::LogLevel, const std::string&)>;

    /// accepted: the ids the TCP listener's clients get (UDP: unused). name starts its log lines
    /// (default "TCP server" / "UDP server").
    ServerListen(hal::Net& net, hal::LinkId id, hal::Proto proto, std::uint16_t port, hal::LinkRange accepted,
                 Log log, std::string name = {});
    ~ServerListen();
    ServerListen(const ServerListen&) = delete;
    ServerListen& operator=(const ServerListen&) = delete;

    void start();
    void on_listening();
    void on_failed(hal::NetError why);
    /// Network back: a listen that failed for want of it is tried again.
    void on_attach_changed(bool attached);

    bool listening() const { return state_ == State::Listening; }
    std::uint16_t port() const { return port_; }
    /// As a socket's status: Connecting while binding, Waiting for the network, Disabled when
    /// refused; a listening socket is Idle (the mode says Connected once it has a peer).
    LinkState link_state() const;
    /// "TCP server" / "UDP server" (or the name given), the start of the log lines.
    const std::string& name() const { return name_; }

private:
    enum class State : std::uint8_t { Off, Binding, Listening, WaitingForNetwork, Refused };
    void listen();

    hal::Net& net_;
    hal::LinkId id_;
    hal::Proto proto_;
    std::uint16_t port_;
    hal::LinkRange accepted_;
    Log log_;
    std::string name_;
    State state_ = State::Off;
};

} // namespace dtu::device
