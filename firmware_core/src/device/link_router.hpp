#pragma once
// hal::Net has one listener; the device has several users of the data link (NET mode's sockets
// A-D on link ids 0..3, the NTP client on its own id). The router is that one listener: it hands
// each link's events to the user that owns the id, and attach changes to every user.
#include <array>
#include <string_view>

#include "dtu/hal/net.hpp"

namespace dtu::device {

class LinkRouter final : public hal::NetListener {
public:
    /// Events of link id go to listener from now on (nullptr: dropped). Ids >= kMaxLinks are ignored.
    void route(hal::LinkId id, hal::NetListener* listener) {
        if (id < routes_.size()) routes_[id] = listener;
    }
    /// Every id of range to listener (a TCP server's accepted clients).
    void route(hal::LinkRange range, hal::NetListener* listener) {
        for (std::uint8_t i = 0; i < range.count; ++i)
            route(static_cast<hal::LinkId>(range.first + i), listener);
    }

    void on_connected(hal::LinkId id) override {
        if (auto* l = at(id)) l->on_connected(id);
    }
    void on_connect_failed(hal::LinkId id, hal::NetError why) override {
        if (auto* l = at(id)) l->on_connect_failed(id, why);
    }
    void on_data(hal::LinkId id, std::string_view bytes) override {
        if (auto* l = at(id)) l->on_data(id, bytes);
    }
    void on_closed(hal::LinkId id, hal::NetError why) override {
        if (auto* l = at(id)) l->on_closed(id, why);
    }
    void on_send_drained(hal::LinkId id) override {
        if (auto* l = at(id)) l->on_send_drained(id);
    }
    void on_listening(hal::LinkId id) override {
        if (auto* l = at(id)) l->on_listening(id);
    }
    void on_listen_failed(hal::LinkId id, hal::NetError why) override {
        if (auto* l = at(id)) l->on_listen_failed(id, why);
    }
    /// To the listener's owner (which routes its accepted range to itself beforehand).
    void on_accepted(hal::LinkId listener, hal::LinkId conn, const hal::NetAddress& peer) override {
        if (auto* l = at(listener)) l->on_accepted(listener, conn, peer);
    }
    void on_datagram(hal::LinkId id, const hal::NetAddress& from, std::string_view bytes) override {
        if (auto* l = at(id)) l->on_datagram(id, from, bytes);
    }
    /// Every listener that owns at least one id hears it once, in order of its lowest id.
    void on_attach_changed(bool attached) override {
        const auto routes = routes_; // a listener may change the routes while it handles the event
        for (std::size_t i = 0; i < routes.size(); ++i) {
            if (!routes[i]) continue;
            bool seen = false;
            for (std::size_t j = 0; j < i && !seen; ++j)
                seen = routes[j] == routes[i];
            if (!seen) routes[i]->on_attach_changed(attached);
        }
    }

private:
    hal::NetListener* at(hal::LinkId id) const { return id < routes_.size() ? routes_[id] : nullptr; }

    std::array<hal::NetListener*, hal::kMaxLinks> routes_{};
};

/// A NetError in words, for log lines.
std::string_view net_error_name(hal::NetError e);

} // namespace dtu::device
