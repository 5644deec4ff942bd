#include "dtu/params/store.hpp"

#include "dtu/at/text.hpp"
#include "dtu/at/validate.hpp"
#include "dtu/profile/profile.hpp"

namespace dtu::params {
namespace {

bool has_slots(at::Behavior b) {
    return b == at::Behavior::Stored || b == at::Behavior::Echo || b == at::Behavior::Login ||
           b == at::Behavior::Table;
}

std::size_t entry_count(const at::CommandSpec& spec) {
    if (spec.behavior == at::Behavior::Table) return static_cast<std::size_t>(spec.params.front().max);
    return spec.variants.empty() ? 1 : spec.variants.size();
}

std::string slot_key(const at::CommandSpec& spec, std::size_t i) {
    if (spec.behavior == at::Behavior::Table) return std::string(spec.name) + std::to_string(i + 1);
    return at::concrete_name(spec, i);
}

/// Factory text of entry i, with '%' standing for the entry number (topic tables).
std::string factory_of(const at::CommandSpec& spec, std::size_t i) {
    std::string text(at::factory_text(spec, i));
    for (auto pos = text.find('%'); pos != std::string::npos; pos = text.find('%'))
        text.replace(pos, 1, std::to_string(i + 1));
    if (spec.behavior == at::Behavior::Table) text = std::to_string(i + 1) + "," + text;
    return text;
}

constexpr std::string_view kSnToken = "{SN}";

void replace_all(std::string& text, std::string_view token, std::string_view by) {
    for (auto pos = text.find(token); pos != std::string::npos; pos = text.find(token, pos + by.size()))
        text.replace(pos, token.size(), by);
}

} // namespace

const Values* Store::find(std::string_view key) const {
    const auto it = values_.find(key);
    return it == values_.end() ? nullptr : &it->second;
}

void Store::set(const std::string& key, Values values) { values_[key] = std::move(values); }

bool Store::is(std::string_view key, std::size_t i, std::string_view word) const {
    return at::iequals(text(key, i), word);
}

std::string_view Store::text(std::string_view key, std::size_t i) const {
    const Values* v = find(key);
    return (v && i < v->size()) ? std::string_view((*v)[i]) : std::string_view();
}

std::int64_t Store::number(std::string_view key, std::size_t i, std::int64_t fallback) const {
    const auto v = at::parse_decimal(text(key, i));
    return v ? *v : fallback;
}

Values factory_for(const at::CommandSpec& spec, std::size_t i) {
    Values values;
    if (!at::parse_factory(spec, factory_of(spec, i), values)) values.clear();
    return values;
}

std::vector<Slot> slots(const profile::Profile& profile) {
    std::vector<Slot> out;
    for (const auto& spec : profile.commands) {
        if (!has_slots(spec.behavior)) continue;
        if (!spec.alias_of.empty()) continue; // an alias row's values live in the row it names
        for (std::size_t i = 0; i < entry_count(spec); ++i) {
            // A factory value that does not pass its own row comes out empty: a table bug the
            // unit tests catch.
            out.push_back(Slot{&spec, slot_key(spec, i), factory_for(spec, i)});
        }
    }
    return out;
}

Store factory_store(const profile::Profile& profile, const Facts& facts) {
    Store store;
    for (auto& slot : slots(profile)) {
        if (!facts.sn.empty())
            for (std::string& value : slot.factory)
                replace_all(value, kSnToken, facts.sn);
        store.set(slot.key, std::move(slot.factory));
    }
    return store;
}

const at::CommandSpec* row_for_key(const profile::Profile& profile, std::string_view key) {
    for (const auto& spec : profile.commands) {
        if (spec.behavior == at::Behavior::WriteOnly || spec.behavior == at::Behavior::Table) {
            if (key.size() > spec.name.size() && key.substr(0, spec.name.size()) == spec.name &&
                at::parse_decimal(key.substr(spec.name.size())))
                return &spec;
            continue;
        }
        if (has_slots(spec.behavior) && at::match_name(spec, key) >= 0) return &spec;
    }
    return nullptr;
}

} // namespace dtu::params
