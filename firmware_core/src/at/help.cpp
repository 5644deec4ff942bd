#include "dtu/at/help.hpp"

namespace dtu::at {

std::string help_text(const std::vector<CommandSpec>& commands) {
    std::string out;
    for (const auto& spec : commands) {
        const std::size_t variants = spec.variants.empty() ? 1 : spec.variants.size();
        for (std::size_t i = 0; i < variants; ++i) {
            if (!out.empty()) out += "\r\n";
            out += spec.name.empty() ? std::string("AT") : "AT+" + concrete_name(spec, i);
            out += ": ";
            out += spec.summary;
        }
    }
    return out;
}

} // namespace dtu::at
