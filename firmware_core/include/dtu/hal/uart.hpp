#pragma once
// HAL: the device's serial port (RS232/RS485 terminal).
#include <cstdint>
#include <string_view>

namespace dtu::hal {

/// Line parity (AT+UART's parity field).
enum class Parity : std::uint8_t { None, Odd, Even };
/// Flow control (AT+UART's flow field): none, RTS/CTS hardware handshake, RS485 direction control.
enum class Flow : std::uint8_t { None, RtsCts, Rs485 };

/// The line format of the serial port (AT+UART; G771 §3.2, 732 §2.2.1, 7S4 §2.2.1).
struct LineSettings {
    std::uint32_t baud = 115200;
    std::uint8_t data_bits = 8;
    Parity parity = Parity::None;
    std::uint8_t stop_bits = 1;
    Flow flow = Flow::None;

    /// Bits on the wire for one byte: start + data + parity + stop (8N1: 10).
    constexpr std::uint32_t bits_per_byte() const {
        return 1u + data_bits + (parity == Parity::None ? 0u : 1u) + stop_bits;
    }
    friend constexpr bool operator==(const LineSettings& a, const LineSettings& b) {
        return a.baud == b.baud && a.data_bits == b.data_bits && a.parity == b.parity &&
               a.stop_bits == b.stop_bits && a.flow == b.flow;
    }
    friend constexpr bool operator!=(const LineSettings& a, const LineSettings& b) { return !(a == b); }
};

/// Serial output of the device. Input arrives as calls to Device::on_uart_rx().
/// Bytes travel in string_view: any byte value (including NUL) is allowed.
///
/// Two kinds of output: data the device relays to the serial peer (from a server, a broker, an
/// HTTP answer, an SMS, the serial heartbeat), which can arrive faster than the peer reads, and
/// the device's own replies to the peer (the start message, "a" and "+ok" of the +++ handshake,
/// echo and AT answers, protocol status frames), which the peer needs to keep control of the
/// device. When the peer reads too slowly, relayed data is what gives way.
class Uart {
public:
    virtual ~Uart() = default;
    /// Queue relayed data for the serial peer. Must be non-blocking and must never drop silently:
    /// an implementation that runs out of room counts and logs what it could not keep.
    virtual void write(std::string_view bytes) = 0;
    /// Queue one of the device's own replies. Never dropped to make room for relayed data, and
    /// sent before relayed data still waiting (replies keep their order among themselves). An
    /// implementation without an output queue has nothing to reorder: the default is write().
    virtual void write_reply(std::string_view bytes) { write(bytes); }
    /// The line format from now on (at start from the saved AT+UART; later from an RFC2217-like
    /// frame). A port that does not model the line ignores it.
    virtual void configure(const LineSettings& settings) { (void)settings; }
    /// Receive flow control, in the device's terms: while held, the UART delivers no more received
    /// bytes to Device::on_uart_rx; they wait in its receive FIFO, and once that is full the peer
    /// is held back (RTS on a board; the simulator stops reading its PTY, so the writer blocks).
    /// Releasing delivers what waited, in order. The firmware holds while the network cannot take
    /// more of its serial data. A UART without flow control ignores it. A reset releases it.
    virtual void hold_rx(bool /*held*/) {}
};

} // namespace dtu::hal
