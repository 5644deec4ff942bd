#pragma once
// hal::Uart in virtual time: the device's serial output goes to a callback (the scenario's serial
// peer, the trace) at the moment the firmware writes it. Input is the owner's business: it calls
// Device::on_uart_rx. Nothing is queued, so nothing can be dropped.
#include <cstdint>
#include <functional>
#include <string_view>
#include <utility>

#include "dtu/hal/uart.hpp"

namespace dtu::hal_sim {

class VirtualUart final : public hal::Uart {
public:
    using Sink = std::function<void(std::string_view bytes)>;

    explicit VirtualUart(Sink sink = {}) : sink_(std::move(sink)) {}
    /// Where output goes from now on (empty: counted only).
    void set_sink(Sink sink) { sink_ = std::move(sink); }

    void write(std::string_view bytes) override {
        tx_bytes_ += bytes.size();
        if (sink_ && !bytes.empty()) sink_(bytes);
    }
    /// Bytes the firmware wrote since construction.
    std::uint64_t tx_bytes() const { return tx_bytes_; }

private:
    Sink sink_;
    std::uint64_t tx_bytes_ = 0;
};

} // namespace dtu::hal_sim
