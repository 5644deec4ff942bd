#pragma once
// A service of the module's own on one UDP socket bound by hal::Net::listen (the K7's discovery on
// 1901 and network AT on the SEARCH port): the client-link events do not apply to it, and the
// listen's own events go to its ServerListen (listen, and again when the network is back).
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "dtu/hal/net.hpp"
#include "server_listen.hpp"

namespace dtu::device {

class UdpService : public hal::NetListener {
public:
    void on_connected(hal::LinkId) override {}
    void on_connect_failed(hal::LinkId, hal::NetError) override {}
    void on_data(hal::LinkId, std::string_view) override {}
    void on_closed(hal::LinkId, hal::NetError) override {}
    void on_listening(hal::LinkId) override {
        if (listen_) listen_->on_listening();
    }
    void on_listen_failed(hal::LinkId, hal::NetError why) override {
        if (listen_) listen_->on_failed(why);
    }
    void on_attach_changed(bool attached) override {
        if (listen_) listen_->on_attach_changed(attached);
    }

protected:
    /// Listen on UDP port as link id (once, at start: the port is the one of boot); name starts
    /// the log lines. The socket closes with this object.
    void listen(hal::Net& net, hal::LinkId id, std::uint16_t port, std::string name, ServerListen::Log log) {
        listen_.emplace(net, id, hal::Proto::Udp, port, hal::LinkRange{}, std::move(log), std::move(name));
        listen_->start();
    }
    bool listening() const { return listen_ && listen_->listening(); }

private:
    std::optional<ServerListen> listen_;
};

} // namespace dtu::device
