#include "board_hal.hpp"

#include <utility>

namespace board {

// ---- Uart -------------------------------------------------------------------------------------

void BoardUart::write(std::string_view bytes) {
    const std::size_t kept = tx_.push(bytes);
    if (kept < bytes.size()) {
        dropped_ += static_cast<std::uint32_t>(bytes.size() - kept);
        log_.write(dtu::hal::LogLevel::Warn, "uart: tx ring full, bytes dropped");
    }
}

std::size_t BoardUart::drain() {
    std::size_t n = 0;
    std::uint8_t b = 0;
    while (tx_.pop(b)) {
        mcu::uart_tx(b);
        ++n;
    }
    return n;
}

// ---- Clock ------------------------------------------------------------------------------------

std::uint64_t BoardClock::now_ms() const {
    // Extend the 32-bit SysTick count to 64 bits; the main loop looks far more often than every
    // 49 days, so at most one wrap happens between two reads.
    const std::uint32_t t = mcu::ticks();
    if (t < last_ticks_) ++wraps_;
    last_ticks_ = t;
    return (static_cast<std::uint64_t>(wraps_) << 32) | t;
}

dtu::hal::TimerId BoardClock::after(std::uint32_t ms, std::function<void()> fn) {
    if (++last_id_ == dtu::hal::kNoTimer) ++last_id_;
    const dtu::hal::TimerId id = last_id_;
    for (Slot& s : slots_) {
        if (s.id == dtu::hal::kNoTimer) {
            s.id = id;
            s.due = now_ms() + ms;
            s.fn = std::move(fn);
            return id;
        }
    }
    ++overflows_; // table too small for this firmware: the id is valid but never fires
    return id;
}

void BoardClock::cancel(dtu::hal::TimerId id) {
    if (id == dtu::hal::kNoTimer) return;
    for (Slot& s : slots_) {
        if (s.id == id) {
            s.id = dtu::hal::kNoTimer;
            s.fn = nullptr;
            return;
        }
    }
}

std::size_t BoardClock::run_due() {
    std::size_t fired = 0;
    while (fired < kSlots) {
        const std::uint64_t now = now_ms();
        Slot* next = nullptr;
        for (Slot& s : slots_) {
            if (s.id == dtu::hal::kNoTimer || s.due > now) continue;
            if (!next || s.due < next->due || (s.due == next->due && s.id < next->id)) next = &s;
        }
        if (!next) break;
        std::function<void()> fn = std::move(next->fn);
        next->fn = nullptr;
        next->id = dtu::hal::kNoTimer; // free the slot first: fn may arm new timers
        ++fired;
        if (fn) fn();
    }
    return fired;
}

void BoardClock::clear() {
    for (Slot& s : slots_) {
        s.id = dtu::hal::kNoTimer;
        s.fn = nullptr;
    }
}

// ---- Storage ----------------------------------------------------------------------------------

bool BoardStorage::load(std::string& out) {
    if (active_ < 0) return false;
    const Bank& b = banks_[static_cast<std::size_t>(active_)];
    out.assign(b.bytes.data(), b.length);
    return true;
}

bool BoardStorage::commit(std::string_view blob) {
    if (blob.size() > kBankBytes) return false;
    const std::int32_t idle = active_ == 0 ? 1 : 0;
    Bank& b = banks_[static_cast<std::size_t>(idle)];
    for (std::size_t i = 0; i < blob.size(); ++i)
        b.bytes[i] = blob[i];
    b.length = static_cast<std::uint32_t>(blob.size());
    active_ = idle; // the commit point: one aligned word write
    return true;
}

// ---- Modem ------------------------------------------------------------------------------------

dtu::hal::Identity BoardModem::identity() const {
    return dtu::hal::Identity{"868000000000001", "89860000000000000001", "02400122052700000529"};
}

dtu::hal::RadioState BoardModem::radio() const {
    dtu::hal::RadioState r;
    r.rssi = 27;
    r.ber = 99;
    r.service_state = 4;
    r.network = "LTE";
    r.local_ip = "10.0.0.2";
    r.serving = dtu::hal::Cell{0x5A1D, 0x0C8F2A01};
    return r;
}

dtu::hal::NetworkTime BoardModem::network_time() const {
    return dtu::hal::NetworkTime{true, 1767225600, 32}; // 2026-01-01 00:00:00 UTC, UTC+8
}

} // namespace board
