#include "param_writes.hpp"

#include "dtu/at/answer.hpp"

namespace dtu::device {

std::string shown_value(const profile::Profile& profile, const params::Store& store, std::string_view key) {
    const at::CommandSpec* row = params::row_for_key(profile, key);
    const params::Values* values = store.find(key);
    return row && values ? at::format_values(*row, *values, profile.answers.escaped_in_answers)
                         : std::string();
}

std::optional<std::size_t> apply_settings(const profile::Profile& profile, const params::Store& working,
                                          const std::vector<Setting>& settings,
                                          const std::function<Outcome(std::string_view line)>& run_at) {
    std::vector<Setting> undo;
    for (std::size_t i = 0; i < settings.size(); ++i) {
        const Setting& s = settings[i];
        std::string before = shown_value(profile, working, s.key);
        if (before == s.value) continue;
        if (run_at("AT+" + s.key + "=" + s.value).error) {
            for (auto it = undo.rbegin(); it != undo.rend(); ++it)
                run_at("AT+" + it->key + "=" + it->value);
            return i;
        }
        undo.push_back({s.key, std::move(before)});
    }
    return std::nullopt;
}

} // namespace dtu::device
