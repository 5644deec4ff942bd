#pragma once
// The link slots a simulated net keeps (AsioNet in real time, VirtualNet in virtual time) and the
// bookkeeping both do over them: one definition for both. The nets differ only in how a Conn ends
// and how the firmware hears of it, which the callers pass in.
#include <array>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string_view>
#include <utility>
#include <vector>

#include "dtu/hal/net.hpp"
#include "hal_sim/link_config.hpp"
#include "hal_sim/net_status.hpp"

namespace dtu::hal_sim {

/// The link the cellular module's own MQTT service uses (real time: its SOCKS5 relay's upstream;
/// virtual time: VirtualMqtt's connection). The firmware uses 0..3 (sockets A-D) and 4 (NTP); it
/// must not open this one.
inline constexpr hal::LinkId kMqttServiceLink = hal::links::kMqttService;

/// One hal::LinkId's slot: the open (or opening) link, if any.
template <class Conn> struct NetSlot {
    std::shared_ptr<Conn> conn;
    std::uint32_t gen = 0; ///< bumped by open/close: events of an older generation are dropped
};

template <class Conn> using NetSlots = std::array<NetSlot<Conn>, hal::kMaxLinks>;

/// Every slot that is not Idle.
template <class Conn> std::vector<NetLinkSnapshot> snapshot_slots(const NetSlots<Conn>& slots) {
    std::vector<NetLinkSnapshot> out;
    for (const NetSlot<Conn>& s : slots)
        if (s.conn) out.push_back(s.conn->snapshot());
    return out;
}

/// Every link still alive: the draining ones (closed by the firmware, still delivering), then the
/// open slots. Copied, so a conn may end while the caller walks the list.
template <class Conn>
std::vector<std::shared_ptr<Conn>> live_conns(const NetSlots<Conn>& slots,
                                              const std::vector<std::shared_ptr<Conn>>& draining) {
    std::vector<std::shared_ptr<Conn>> conns = draining;
    for (const NetSlot<Conn>& s : slots)
        if (s.conn) conns.push_back(s.conn);
    return conns;
}

/// Empty every slot whose link pick(const Conn&) selects: take the link out, bump the slot's
/// generation (events already posted for it are dropped) and hand it to end(id, gen, Conn&), which
/// stops it and tells the firmware. Returns how many.
template <class Conn, class Pick, class End>
std::size_t take_links(NetSlots<Conn>& slots, Pick pick, End end) {
    std::size_t n = 0;
    for (hal::LinkId id = 0; id < slots.size(); ++id) {
        NetSlot<Conn>& s = slots[id];
        if (!s.conn || !pick(std::as_const(*s.conn))) continue;
        const std::shared_ptr<Conn> conn = std::move(s.conn); // leaves s.conn empty
        const std::uint32_t gen = ++s.gen;
        end(id, gen, *conn);
        ++n;
    }
    return n;
}

/// What losing the registration ends: every link.
template <class Conn> bool every_link(const Conn& /*conn*/) { return true; }

/// What reset injection ends: a connected TCP link.
template <class Conn> bool connected_tcp(const Conn& conn) {
    return conn.state() == NetLinkState::Connected && conn.proto() == hal::Proto::Tcp;
}

/// The firmware lets go of the slot's link (close(), or open() over it): a close is counted, and a
/// link still delivering the bytes it was given goes on in draining. False if the slot was empty.
template <class Conn>
bool let_go(NetSlot<Conn>& slot, std::vector<std::shared_ptr<Conn>>& draining, NetCounters& counters) {
    if (!slot.conn) return false;
    std::shared_ptr<Conn> conn = std::move(slot.conn); // leaves slot.conn empty
    counters.closes++;
    if (conn->close_by_firmware()) draining.push_back(std::move(conn));
    return true;
}

/// hal::Net::close(id): events already posted for the link are dropped, and it is let go.
template <class Conn>
void close_slot(NetSlots<Conn>& slots, std::vector<std::shared_ptr<Conn>>& draining, NetCounters& counters,
                hal::LinkId id) {
    if (id >= slots.size()) return;
    ++slots[id].gen;
    let_go(slots[id], draining, counters);
}

/// hal::Net::send(id, bytes): false, counted as refused, without a link or when it refuses them.
template <class Conn>
bool send_on_slot(NetSlots<Conn>& slots, NetCounters& counters, hal::LinkId id, std::string_view bytes) {
    const bool ok = id < slots.size() && slots[id].conn && slots[id].conn->send(bytes);
    if (!ok) counters.send_refused++;
    return ok;
}

/// hal::Net::send_busy of slot id: its connection has too much queued for its server.
template <class Conn> bool busy_slot(const NetSlots<Conn>& slots, hal::LinkId id) {
    return id < slots.size() && slots[id].conn && slots[id].conn->busy();
}

/// Whether slot id still holds generation gen (events of an older one are dropped).
template <class Conn> bool current_slot(const NetSlots<Conn>& slots, hal::LinkId id, std::uint32_t gen) {
    return id < slots.size() && slots[id].gen == gen;
}

/// A link that ended by itself leaves its slot, unless the slot has moved on.
template <class Conn> void release_slot(NetSlots<Conn>& slots, hal::LinkId id, std::uint32_t gen) {
    if (current_slot(slots, id, gen)) slots[id].conn.reset();
}

/// A draining link is done (delivered, or its linger time is up). The caller holds its own shared_ptr
/// (every handler and task does), so erasing cannot destroy it.
template <class Conn> void forget_draining(std::vector<std::shared_ptr<Conn>>& draining, const Conn* conn) {
    for (auto it = draining.begin(); it != draining.end(); ++it) {
        if (it->get() == conn) {
            draining.erase(it);
            return;
        }
    }
}

/// Registration lost: every link ends at once, the draining ones too. end(Conn&) stops one (the
/// nets differ in what the server sees); tell(id, gen, was_connected) reports it to the firmware, as
/// on_closed(NotAttached) for a connected link, on_connect_failed(NotAttached) for one connecting.
template <class Conn, class End, class Tell>
void end_every_link(NetSlots<Conn>& slots, std::vector<std::shared_ptr<Conn>>& draining,
                    NetCounters& counters, End end, Tell tell) {
    for (auto& c : draining)
        end(*c);
    draining.clear();
    take_links(slots, every_link<Conn>, [&](hal::LinkId id, std::uint32_t gen, Conn& conn) {
        const bool was_connected = conn.state() == NetLinkState::Connected;
        end(conn);
        if (was_connected)
            counters.closed_not_attached++;
        else
            counters.connect_failures++;
        tell(id, gen, was_connected);
    });
}

/// A stalled direction moves again: what waited must be resumed.
inline bool unstalled(const LinkConfig& before, const LinkConfig& after) {
    return (before.upstream.stall && !after.upstream.stall) ||
           (before.downstream.stall && !after.downstream.stall);
}

} // namespace dtu::hal_sim
