#pragma once
// The link slots a simulated net keeps (AsioNet in real time, VirtualNet in virtual time) and the
// bookkeeping both do over them: one definition for both. The nets differ only in how a Conn ends
// and how the firmware hears of it, which the callers pass in.
#include <array>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <utility>
#include <vector>

#include "dtu/hal/net.hpp"
#include "hal_sim/link_config.hpp"
#include "hal_sim/net_status.hpp"

namespace dtu::hal_sim {

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

/// A stalled direction moves again: what waited must be resumed.
inline bool unstalled(const LinkConfig& before, const LinkConfig& after) {
    return (before.upstream.stall && !after.upstream.stall) ||
           (before.downstream.stall && !after.downstream.stall);
}

} // namespace dtu::hal_sim
