#pragma once
// HAL: the device's serial port (RS232/RS485 terminal).
#include <string_view>

namespace dtu::hal {

/// Serial output of the device. Input arrives as calls to Device::on_uart_rx().
/// Bytes travel in string_view: any byte value (including NUL) is allowed.
class Uart {
public:
    virtual ~Uart() = default;
    /// Queue bytes for the serial peer. Must be non-blocking and must never drop silently:
    /// an implementation that runs out of room counts and logs what it could not keep.
    virtual void write(std::string_view bytes) = 0;
};

} // namespace dtu::hal
