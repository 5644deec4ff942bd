#include "hal_sim/line_pacer.hpp"

#include <algorithm>
#include <utility>

namespace dtu::hal_sim {
namespace {

using Nanos = std::chrono::nanoseconds;
constexpr std::uint64_t kNanosPerSecond = 1'000'000'000;

} // namespace

LinePacer::LinePacer(Scheduler& scheduler, const hal::LineSettings& line)
    : scheduler_(scheduler), line_(line) {}

LinePacer::~LinePacer() { stop(); }

void LinePacer::configure(const hal::LineSettings& line) {
    if (line.baud == 0) return; // not a line rate; keep the last one
    line_ = line;
    in_burst_ = false; // the next byte starts a burst at the new rate
}

Scheduler::Duration LinePacer::line_time(std::uint64_t bytes) const {
    // bytes * bits / baud seconds, rounded up to the nanosecond (exact for any realistic count).
    const std::uint64_t bits = bytes * line_.bits_per_byte();
    const std::uint64_t whole = bits / line_.baud;
    const std::uint64_t rest = bits % line_.baud;
    return std::chrono::duration_cast<Scheduler::Duration>(
        Nanos(whole * kNanosPerSecond + (rest * kNanosPerSecond + line_.baud - 1) / line_.baud));
}

std::size_t LinePacer::take(std::size_t waiting) {
    const Scheduler::TimePoint now = scheduler_.now();
    if (waiting == 0) {
        // Nothing queued: the line goes idle once the last byte has crossed (it has, it was taken).
        in_burst_ = false;
        return 0;
    }
    if (!in_burst_ || now > next_done() + kMaxLag) {
        in_burst_ = true;
        burst_start_ = now;
        taken_ = 0;
    }
    // Bytes done since the burst began: elapsed * baud / bits, in whole bytes.
    const auto elapsed =
        static_cast<std::uint64_t>(std::chrono::duration_cast<Nanos>(now - burst_start_).count());
    const std::uint64_t bits_per_byte = line_.bits_per_byte();
    const std::uint64_t seconds = elapsed / kNanosPerSecond;
    const std::uint64_t nanos = elapsed % kNanosPerSecond;
    const std::uint64_t done = (seconds * line_.baud + nanos * line_.baud / kNanosPerSecond) / bits_per_byte;
    const std::uint64_t n = std::min<std::uint64_t>(done - std::min(done, taken_), waiting);
    taken_ += n;
    // Every bits_per_byte seconds of a long burst is exactly baud bytes: move the start on so the
    // numbers above stay small (hours of back-to-back bytes).
    if (taken_ >= line_.baud) {
        const std::uint64_t periods = taken_ / line_.baud;
        taken_ %= line_.baud;
        burst_start_ +=
            std::chrono::duration_cast<Scheduler::Duration>(std::chrono::seconds(periods * bits_per_byte));
    }
    return static_cast<std::size_t>(n);
}

Scheduler::TimePoint LinePacer::next_done() const { return burst_start_ + line_time(taken_ + 1); }

void LinePacer::wake(std::function<void()> fn) {
    scheduler_.cancel(std::exchange(wake_, 0));
    const Scheduler::TimePoint now = scheduler_.now();
    // Whole microseconds (rounded up, so never early): traces record times in microseconds, and a
    // replay must feed the inputs that follow a release at exactly the time they happened.
    const Scheduler::TimePoint when =
        in_burst_ ? Scheduler::TimePoint(
                        std::chrono::ceil<std::chrono::microseconds>(std::max(next_done(), now + kMinStep)))
                  : now;
    wake_ = scheduler_.at(when, [this, fn = std::move(fn)] {
        wake_ = 0;
        fn();
    });
}

void LinePacer::stop() {
    scheduler_.cancel(std::exchange(wake_, 0));
    in_burst_ = false;
}

} // namespace dtu::hal_sim
