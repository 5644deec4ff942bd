#pragma once
// Shorthand for writing command tables; private to the profile tables.
#include <utility>
#include <vector>

#include "dtu/at/command_spec.hpp"

namespace dtu::profile::rows {

using at::Behavior;
using at::CommandSpec;
using at::Kind;
using at::Omit;
using at::ParamSpec;

inline constexpr std::uint8_t kReadWrite = at::kExec | at::kQuery | at::kTest | at::kSet;
inline constexpr std::uint8_t kReadOnly = at::kExec | at::kQuery;
inline constexpr std::uint8_t kAction = at::kExec;

inline ParamSpec on_off(Omit omit = Omit::Required) { return {"status", Kind::Enum, "ON|OFF", 0, 0, omit}; }
inline ParamSpec choice(std::string_view name, std::string_view choices, Omit omit = Omit::Required) {
    return {name, Kind::Enum, choices, 0, 0, omit};
}
inline ParamSpec number(std::string_view name, std::int32_t min, std::int32_t max,
                        Omit omit = Omit::Required) {
    return {name, Kind::Int, {}, min, max, omit};
}
inline ParamSpec text(std::string_view name, std::int32_t min, std::int32_t max, Omit omit = Omit::Required) {
    return {name, Kind::Text, {}, min, max, omit};
}
inline ParamSpec hex(std::string_view name, std::int32_t min, std::int32_t max) {
    return {name, Kind::Hex, {}, min, max};
}
inline ParamSpec phone(std::string_view name, std::int32_t min, std::int32_t max) {
    return {name, Kind::Phone, {}, min, max};
}

/// protocol,address,port of a socket server (G771 §2.2, 7S4 §3.1.7.25).
inline std::vector<ParamSpec> server_params() {
    return {choice("protocol", "TCP|UDP"), text("address", 1, 100), number("port", 1, 65535)};
}

/// A stored parameter row (query, set, "=?").
inline CommandSpec param(std::string_view name, std::vector<ParamSpec> params, std::string_view factory,
                         std::string_view source, std::string_view summary, at::CrossCheck check = nullptr) {
    return {name, {}, kReadWrite, Behavior::Stored, std::move(params), factory, source, summary, check};
}
/// The same row for each letter of variants ('#' in name).
inline CommandSpec param_per(std::string_view name, std::string_view variants, std::vector<ParamSpec> params,
                             std::string_view factory, std::string_view source, std::string_view summary) {
    return {name,    variants, kReadWrite, Behavior::Stored, std::move(params),
            factory, source,   summary,    nullptr};
}
/// A row with a behaviour of its own and no stored parameters.
inline CommandSpec action(std::string_view name, std::uint8_t ops, Behavior behavior, std::string_view source,
                          std::string_view summary, std::string_view variants = {}) {
    return {name, variants, ops, behavior, {}, {}, source, summary, nullptr};
}

} // namespace dtu::profile::rows
