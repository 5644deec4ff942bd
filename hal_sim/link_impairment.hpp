#pragma once
// The simulated cellular link's impairment stage: what happens to every packet (UDP datagram) or
// chunk (a piece of a TCP stream) between the device and the server. Pure decisions on a seeded PRNG
// and a time value; AsioNet does the queueing and the I/O. One LinkImpairment per device.
//
// Model, per direction (upstream = device -> server, downstream = server -> device):
//  - bandwidth: the direction is one shared radio pipe; a packet leaves at
//    departure = max(now, busy_until) + bytes * 8 / kbps ms, and busy_until = departure
//    (payload bytes only, no header overhead; a lost packet still used its airtime);
//  - delay: latency + jitter (uniform in [-j, +j], or normal with sigma j), clamped to >= 0, added
//    after departure;
//  - loss: independent (probability `loss`) or Gilbert–Elliott (per packet: lost with loss_good /
//    loss_bad in the current state, then Good -> Bad with p, Bad -> Good with r). The state is per
//    direction, shared by all connections of the device (it models the radio channel);
//  - UDP: a lost datagram is dropped; datagrams may overtake each other under jitter (as on a real
//    network);
//  - TCP: a stream never loses or reorders bytes. A "lost" chunk is delayed by tcp_retransmit_ms
//    (TCP's retransmission), and every chunk is delivered no earlier than the one before it on the
//    same connection (head-of-line blocking);
//  - stall: AsioNet holds every due packet of a stalled direction (nothing dropped, nothing closed)
//    and releases them, in their order, when the stall is cleared.
// Single-threaded: call everything on the device's io_context.
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <random>
#include <string>

#include "hal_sim/link_config.hpp"

namespace dtu::hal_sim {

enum class Direction : std::uint8_t { Upstream, Downstream };

/// What one direction of the link did since the device was created.
struct DirectionCounters {
    std::uint64_t packets = 0;       ///< packets / TCP chunks offered to the link
    std::uint64_t bytes = 0;         ///< their payload bytes
    std::uint64_t dropped = 0;       ///< UDP datagrams lost by the loss model
    std::uint64_t delayed = 0;       ///< packets delivered later than offered (any added delay > 0)
    std::uint64_t retransmitted = 0; ///< TCP chunks hit by the loss model (delayed by tcp_retransmit_ms)
    std::uint64_t overflow = 0;      ///< packets refused because a queue was full (see AsioNet)
    std::uint64_t held = 0;          ///< packets that had to wait for a stall to clear
};

class LinkImpairment {
public:
    using Clock = std::chrono::steady_clock;
    using TimePoint = Clock::time_point;

    /// Ordering state of one connection in one direction. stream = TCP (in order, no loss).
    struct Flow {
        Direction direction = Direction::Upstream;
        bool stream = true;
        TimePoint last{}; ///< latest delivery time scheduled on this flow (streams only)
    };

    /// The decision for one packet.
    struct Verdict {
        bool drop = false;          ///< UDP only: lost
        TimePoint deliver_at{};     ///< when it reaches the other end (not set when dropped)
        bool retransmitted = false; ///< TCP only: the loss model hit it
    };

    /// Called after set_config with the old and the new configuration.
    using ChangeHandler = std::function<void(const LinkConfig& before, const LinkConfig& after)>;

    LinkImpairment(LinkConfig config, std::uint64_t seed);

    const LinkConfig& config() const { return config_; }
    /// Apply at once to every packet offered from now on (packets already scheduled keep their time;
    /// stall and attach changes act on queued traffic too, through the change handler).
    void set_config(const LinkConfig& config);
    /// One handler (AsioNet); nullptr removes it.
    void set_change_handler(ChangeHandler handler) { on_change_ = std::move(handler); }

    /// nullopt if config is usable, else why not (negative times, loss outside 0..1, NaN ...).
    static std::optional<std::string> validate(const LinkConfig& config);

    /// Decide one packet / chunk of `bytes` offered at `now` on `flow`, and count it.
    Verdict schedule(Flow& flow, std::size_t bytes, TimePoint now);
    /// Delivery time of a control event (TCP FIN or reset) on flow: after the latency (no jitter, no
    /// loss, no bandwidth), never before the data scheduled before it.
    TimePoint schedule_control(Flow& flow, TimePoint now);
    /// Time a TCP connect adds on top of the host's: connect_delay_ms + one round trip of latency.
    std::chrono::nanoseconds connect_time() const;
    /// Time a UDP open adds (no handshake crosses the link): connect_delay_ms.
    std::chrono::nanoseconds connect_delay() const;

    bool stalled(Direction direction) const { return dir_config(direction).stall; }
    bool attached() const { return config_.attached; }

    /// Counters of one direction.
    const DirectionCounters& counters(Direction direction) const {
        return counters_[static_cast<std::size_t>(direction)];
    }
    /// Count a packet refused because a queue was full (it is also counted as offered).
    void count_overflow(Direction direction, std::size_t bytes);
    /// Count a packet that waited for a stall.
    void count_held(Direction direction) { mut_counters(direction).held++; }

    std::uint64_t seed() const { return seed_; }
    /// Whether the Gilbert–Elliott chain of this direction is in its Bad state (for tests and status).
    bool in_bad_state(Direction direction) const { return bad_[static_cast<std::size_t>(direction)]; }

    /// "upstream" / "downstream".
    static const char* direction_name(Direction direction);

private:
    const DirectionConfig& dir_config(Direction d) const {
        return d == Direction::Upstream ? config_.upstream : config_.downstream;
    }
    DirectionCounters& mut_counters(Direction d) { return counters_[static_cast<std::size_t>(d)]; }
    bool lose(Direction d);
    double jitter_ms(const DirectionConfig& c);
    /// Uniform in [0, 1), 53 bits; portable (std distributions differ between standard libraries).
    double uniform01();
    /// Standard normal (Box–Muller), portable.
    double normal01();

    LinkConfig config_;
    std::uint64_t seed_;
    std::mt19937_64 rng_;
    ChangeHandler on_change_;
    DirectionCounters counters_[2];
    TimePoint busy_until_[2]{};
    bool bad_[2]{false, false};
};

} // namespace dtu::hal_sim
