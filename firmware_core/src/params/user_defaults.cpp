#include "dtu/params/user_defaults.hpp"

#include "dtu/params/nvram_codec.hpp"

namespace dtu::params {
namespace {

bool is_user_default(std::string_view key) {
    return key.substr(0, kUserDefaultPrefix.size()) == kUserDefaultPrefix;
}

} // namespace

NvramSets read_sets(std::string_view blob, std::string_view profile) {
    NvramSets sets;
    const DecodeResult decoded = decode_nvram(blob, profile);
    if (decoded.status != DecodeStatus::Ok) return sets;
    sets.has_saved = true;
    for (const auto& [key, values] : decoded.entries) {
        if (!is_user_default(key)) {
            sets.saved.set(key, values);
            continue;
        }
        sets.user_defaults.set(key.substr(kUserDefaultPrefix.size()), values);
        sets.has_user_defaults = true;
    }
    return sets;
}

std::string encode_sets(const Store& saved, const Store* user_defaults, std::string_view profile) {
    Store both = saved;
    if (user_defaults) {
        for (const auto& [key, values] : user_defaults->all())
            both.set(std::string(kUserDefaultPrefix) + key, values);
    }
    return encode_nvram(both, profile);
}

std::string with_saved(std::string_view current, const Store& saved, std::string_view profile) {
    const NvramSets sets = read_sets(current, profile);
    return encode_sets(saved, sets.has_user_defaults ? &sets.user_defaults : nullptr, profile);
}

std::string with_user_defaults(std::string_view current, const Store& user_defaults, const Store& factory,
                               std::string_view profile) {
    const NvramSets sets = read_sets(current, profile);
    return encode_sets(sets.has_saved ? sets.saved : factory, &user_defaults, profile);
}

Store user_defaults_of(std::string_view current, const Store& factory, std::string_view profile) {
    NvramSets sets = read_sets(current, profile);
    return sets.has_user_defaults ? std::move(sets.user_defaults) : factory;
}

} // namespace dtu::params
