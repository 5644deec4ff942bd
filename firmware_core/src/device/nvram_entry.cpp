#include "nvram_entry.hpp"

#include "dtu/at/validate.hpp"

namespace dtu::device {

EntryFit take_entry(const profile::Profile& profile, const std::string& key, params::Values values,
                    params::Store& store) {
    const at::CommandSpec* spec = params::row_for_key(profile, key);
    if (!spec) return EntryFit::UnknownKey;
    if (!at::accept_stored_values(*spec, values)) return EntryFit::BadValue;
    store.set(key, std::move(values));
    return EntryFit::Taken;
}

} // namespace dtu::device
