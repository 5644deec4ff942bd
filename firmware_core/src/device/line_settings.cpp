#include "line_settings.hpp"

#include "dtu/at/text.hpp"

namespace dtu::device {
namespace {

hal::Parity parity_of(std::string_view v) {
    if (at::iequals(v, "ODD")) return hal::Parity::Odd;
    if (at::iequals(v, "EVEN")) return hal::Parity::Even;
    return hal::Parity::None;
}

/// "NFC"/"NONE" = no flow control; "CRTS" = RTS/CTS (732 =?); "RS485" = half-duplex direction.
hal::Flow flow_of(std::string_view v) {
    if (at::iequals(v, "RS485")) return hal::Flow::Rs485;
    if (at::iequals(v, "CRTS")) return hal::Flow::RtsCts;
    return hal::Flow::None;
}

template <typename T> void number_into(const params::Store& s, std::size_t field, T& out) {
    const std::int64_t v = s.number("UART", field, 0);
    if (v > 0) out = static_cast<T>(v);
}

} // namespace

hal::LineSettings line_settings(const profile::SerialRules& rules, const params::Store& saved) {
    const auto& f = rules.uart_fields;
    hal::LineSettings out;
    number_into(saved, f.baud, out.baud);
    number_into(saved, f.data, out.data_bits);
    number_into(saved, f.stop, out.stop_bits);
    out.parity = parity_of(saved.text("UART", f.parity));
    out.flow = flow_of(saved.text("UART", f.flow));
    return out;
}

} // namespace dtu::device
