#include "hal_sim/asio_clock.hpp"

#include <utility>

namespace dtu::hal_sim {

AsioClock::AsioClock(boost::asio::io_context& io) : io_(io), start_(std::chrono::steady_clock::now()) {}

AsioClock::~AsioClock() { cancel_all(); }

std::uint64_t AsioClock::now_ms() const {
    const auto elapsed = std::chrono::steady_clock::now() - start_;
    return static_cast<std::uint64_t>(std::chrono::duration_cast<std::chrono::milliseconds>(elapsed).count());
}

hal::TimerId AsioClock::after(std::uint32_t ms, std::function<void()> fn) {
    // Ids are never 0 (kNoTimer) and, after wrap-around, never one still pending.
    do {
        ++last_id_;
    } while (last_id_ == hal::kNoTimer || timers_.count(last_id_) != 0);
    const hal::TimerId id = last_id_;

    auto timer = std::make_unique<boost::asio::steady_timer>(io_, std::chrono::milliseconds(ms));
    timer->async_wait([this, id](const boost::system::error_code& ec) {
        if (!ec) fire(id);
    });
    timers_.emplace(id, Entry{std::move(timer), std::move(fn)});
    return id;
}

void AsioClock::fire(hal::TimerId id) {
    // The timer may have been cancelled after its completion was already queued: then it is gone.
    auto it = timers_.find(id);
    if (it == timers_.end()) return;
    std::function<void()> fn = std::move(it->second.fn);
    timers_.erase(it); // erased before the call: fn may start or cancel timers
    fn();
}

void AsioClock::cancel(hal::TimerId id) { timers_.erase(id); }

void AsioClock::cancel_all() { timers_.clear(); }

} // namespace dtu::hal_sim
