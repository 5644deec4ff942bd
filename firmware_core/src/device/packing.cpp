#include "packing.hpp"

#include "line_settings.hpp"

namespace dtu::device {

std::uint32_t char_time_ms(std::uint32_t baud, std::uint32_t chars) {
    if (baud == 0) return 1;
    const std::uint64_t bit_ms = static_cast<std::uint64_t>(chars) * 10U * 1000U;
    const auto ms = static_cast<std::uint32_t>((bit_ms + baud - 1) / baud);
    return ms == 0 ? 1 : ms;
}

Packing packing(const profile::SerialRules& rules, const params::Store& saved) {
    const auto& row = rules.packing;
    if (row.key.empty()) {
        // 732 §2.2.2: a model without AT+UARTFT packs at a fixed interval.
        const auto interval =
            rules.fixed_packing_ms != 0
                ? rules.fixed_packing_ms
                : static_cast<std::uint32_t>(saved.number("UARTFT", 0, rules.default_packing_ms));
        const auto length = static_cast<std::size_t>(
            saved.number("UARTFL", 0, static_cast<std::int64_t>(rules.default_packing_bytes)));
        return {interval, length};
    }
    // Spec k7 §5 RECOMMENDED (GAP-41): time 0 always means the 4-byte time, whatever the length;
    // length 0 means the longest frame (1460, one TCP segment).
    auto interval = static_cast<std::uint32_t>(saved.number(row.key, row.time, 0));
    if (interval == 0)
        interval = row.char_time_bytes != 0
                       ? char_time_ms(line_settings(rules, saved).baud, row.char_time_bytes)
                       : rules.default_packing_ms;
    auto length = static_cast<std::size_t>(saved.number(row.key, row.length, 0));
    if (length == 0) length = rules.default_packing_bytes;
    return {interval, length};
}

} // namespace dtu::device
