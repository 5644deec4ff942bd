#pragma once
// Where the device's listeners are on the host. The device asks for the port its parameters name
// (K7: TCP server 23, web 80, discovery 1901, ...); the host binds --listen-address at that port, or,
// when the process cannot (below 1024 without privilege, in use), at a free port, with a log line.
// This registry is what was bound: the ready file's "ports" and the control API's status show it, so
// a user's client, a test and a scenario find the device there.
#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <utility>

#include "dtu/hal/net.hpp"
#include "hal_sim/net_listeners.hpp"

namespace dtu::hal_sim {

class HostPorts {
public:
    explicit HostPorts(std::string listen_address = "127.0.0.1") : address_(std::move(listen_address)) {}

    /// Where listeners bind (dtu-sim --listen-address).
    const std::string& listen_address() const { return address_; }

    /// The key of a device port in the map: "tcp/23", "udp/1901".
    static std::string key(hal::Proto proto, std::uint16_t device_port) {
        return listen_name(proto, device_port);
    }
    /// A listener for device_port is bound at host_port (on listen_address()).
    void bound(hal::Proto proto, std::uint16_t device_port, std::uint16_t host_port) {
        ports_[key(proto, device_port)] = address_ + ":" + std::to_string(host_port);
        changed();
    }
    /// The listener for device_port is closed.
    void unbound(hal::Proto proto, std::uint16_t device_port) {
        if (ports_.erase(key(proto, device_port)) > 0) changed();
    }
    /// "tcp/23" -> "127.0.0.1:40123", sorted by key.
    const std::map<std::string, std::string>& map() const { return ports_; }
    /// Called after every change (the ready file is rewritten).
    void set_on_change(std::function<void()> fn) { on_change_ = std::move(fn); }

private:
    void changed() {
        if (on_change_) on_change_();
    }
    std::string address_;
    std::map<std::string, std::string> ports_;
    std::function<void()> on_change_;
};

} // namespace dtu::hal_sim
