#pragma once
// The clients a TCP server socket has accepted, oldest first, and its limit (K7 §4.2.2: "if the
// questing number more than max number you set, kick off the oldest one"; spec k7 §4 RECOMMENDED:
// the new client is kept, the earliest accepted one is closed).
#include <cstddef>
#include <deque>
#include <optional>
#include <utility>

#include "dtu/hal/net.hpp"

namespace dtu::device {

class ServerClients {
public:
    struct Client {
        hal::LinkId id = 0;
        hal::NetAddress peer;
    };

    explicit ServerClients(std::size_t limit) : limit_(limit == 0 ? 1 : limit) {}

    /// A new client; over the limit, the oldest one is taken out and returned (the caller closes it).
    std::optional<Client> add(const Client& c) {
        clients_.push_back(c);
        if (clients_.size() <= limit_) return std::nullopt;
        const Client oldest = clients_.front();
        clients_.pop_front();
        return oldest;
    }
    /// The client on id, taken out; nullopt when id is none of them.
    std::optional<Client> remove(hal::LinkId id) {
        for (auto it = clients_.begin(); it != clients_.end(); ++it)
            if (it->id == id) {
                const Client c = *it;
                clients_.erase(it);
                return c;
            }
        return std::nullopt;
    }
    bool has(hal::LinkId id) const {
        for (const Client& c : clients_)
            if (c.id == id) return true;
        return false;
    }
    /// Every client, taken out (the network is gone).
    std::deque<Client> take_all() { return std::exchange(clients_, {}); }

    std::size_t size() const { return clients_.size(); }
    bool empty() const { return clients_.empty(); }
    std::size_t limit() const { return limit_; }
    auto begin() const { return clients_.begin(); }
    auto end() const { return clients_.end(); }

private:
    std::size_t limit_;
    std::deque<Client> clients_;
};

} // namespace dtu::device
