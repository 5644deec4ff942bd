#pragma once
// hal::Uart in a scenario (virtual or real time): the device's serial output goes to a callback
// (the scenario's serial peer, the trace), and the peer's bytes go to the firmware through
// receive(). Paced (the default), both directions move at the line rate the firmware configured,
// on the scenario's Scheduler, exactly as the PTY UART paces them (LineQueue, LinePacer); the
// receive side honours hold_rx(). The peer always reads and its writes always wait, so nothing is
// dropped here.
#include <cstddef>
#include <cstdint>
#include <functional>
#include <string_view>
#include <utility>

#include "dtu/hal/uart.hpp"
#include "hal_sim/line_queue.hpp"
#include "hal_sim/scheduler.hpp"

namespace dtu::hal_sim {

class VirtualUart final : public hal::Uart {
public:
    using Sink = std::function<void(std::string_view bytes)>;

    /// paced = false: output reaches the sink inside write(), input the firmware inside receive().
    explicit VirtualUart(Scheduler& scheduler, Sink sink = {}, bool paced = true)
        : out_(scheduler, paced, std::move(sink)), in_(scheduler, paced) {}
    /// Where output goes from now on (empty: counted only).
    void set_sink(Sink sink) { out_.set_sink(std::move(sink)); }
    /// Where the peer's bytes go once they have crossed the line (the firmware).
    void on_rx(Sink sink) { in_.set_sink(std::move(sink)); }
    /// Bytes from the serial peer, in order.
    void receive(std::string_view bytes) { in_.push(bytes); }

    void write(std::string_view bytes) override {
        tx_bytes_ += bytes.size();
        out_.push(bytes);
    }
    void configure(const hal::LineSettings& settings) override {
        out_.configure(settings);
        in_.configure(settings);
    }
    void hold_rx(bool held) override { in_.hold(held); }

    /// Call fn (from the scheduler) once the output written so far has crossed the line.
    void after_sent(std::function<void()> fn) { out_.after_sent(std::move(fn)); }
    /// Output written but not yet across the line.
    std::size_t output_queued() const { return out_.size(); }
    /// Bytes the firmware wrote since construction.
    std::uint64_t tx_bytes() const { return tx_bytes_; }
    bool paced() const { return out_.paced(); }
    const hal::LineSettings& line() const { return out_.pacer().line(); }

private:
    LineQueue out_;
    LineQueue in_;
    std::uint64_t tx_bytes_ = 0;
};

} // namespace dtu::hal_sim
