#include "dtu/at/command_spec.hpp"

namespace dtu::at {

std::string concrete_name(const CommandSpec& spec, std::size_t variant) {
    std::string name(spec.name);
    const auto hash = name.find('#');
    if (hash != std::string::npos && variant < spec.variants.size()) name[hash] = spec.variants[variant];
    return name;
}

int match_name(const CommandSpec& spec, std::string_view upper_name) {
    const auto hash = spec.name.find('#');
    if (hash == std::string_view::npos) return upper_name == spec.name ? 0 : -1;
    if (upper_name.size() != spec.name.size()) return -1;
    if (upper_name.substr(0, hash) != spec.name.substr(0, hash)) return -1;
    if (upper_name.substr(hash + 1) != spec.name.substr(hash + 1)) return -1;
    const auto pos = spec.variants.find(upper_name[hash]);
    return pos == std::string_view::npos ? -1 : static_cast<int>(pos);
}

std::string_view factory_text(const CommandSpec& spec, std::size_t variant) {
    // "v0;v1;...": one value per variant (or per table entry); the last one repeats.
    std::string_view rest = spec.factory;
    for (std::size_t i = 0;; ++i) {
        const auto semi = rest.find(';');
        if (semi == std::string_view::npos || i == variant) return rest.substr(0, semi);
        rest.remove_prefix(semi + 1);
    }
}

} // namespace dtu::at
