#include "user_defaults.hpp"

#include <utility>

#include "dtu/params/nvram_codec.hpp"
#include "nvram_entry.hpp"

namespace dtu::device::user_defaults {
namespace {

using Entries = std::vector<std::pair<std::string, params::Values>>;

/// The entries of the image in NVRAM now (none when it is empty or unreadable).
Entries stored_entries(hal::Storage& storage, const profile::Profile& profile) {
    std::string blob;
    if (!storage.load(blob)) return {};
    return params::decode_nvram(blob, profile.name).entries;
}

/// Commit one set (keys prefixed with prefix) with the other set's entries of the image kept.
bool commit_set(hal::Storage& storage, const profile::Profile& profile, const params::Store& set,
                std::string_view prefix, bool keep_user_entries) {
    params::Store image;
    for (auto& [key, values] : stored_entries(storage, profile))
        if (is_user_key(key) == keep_user_entries) image.set(key, std::move(values));
    for (const auto& [key, values] : set.all())
        image.set(std::string(prefix) + key, values);
    return storage.commit(params::encode_nvram(image, profile.name));
}

} // namespace

bool is_user_key(std::string_view key) { return key.substr(0, kKeyPrefix.size()) == kKeyPrefix; }

bool commit_saved(hal::Storage& storage, const profile::Profile& profile, const params::Store& saved) {
    return commit_set(storage, profile, saved, {}, true);
}

bool commit_user(hal::Storage& storage, const profile::Profile& profile, const params::Store& user) {
    return commit_set(storage, profile, user, kKeyPrefix, false);
}

params::Store load_user(hal::Storage& storage, const profile::Profile& profile, params::Store factory) {
    params::Store user = std::move(factory);
    for (auto& [key, values] : stored_entries(storage, profile))
        if (is_user_key(key)) take_entry(profile, key.substr(kKeyPrefix.size()), std::move(values), user);
    return user;
}

} // namespace dtu::device::user_defaults
