// Power-on load of the saved parameter set: a bad image never stops the device, it boots
// factory defaults and says why.
#include "device_impl.hpp"
#include "dtu/at/validate.hpp"
#include "dtu/params/nvram_codec.hpp"

namespace dtu::device {

params::Store DeviceImpl::load_saved() {
    params::Store store = params::factory_store(profile_);
    std::string blob;
    if (!hal_.storage.load(blob)) {
        log(hal::LogLevel::Info, "NVRAM empty: factory parameters");
        return store;
    }
    const auto decoded = params::decode_nvram(blob, profile_.name);
    if (decoded.status != params::DecodeStatus::Ok) {
        log(hal::LogLevel::Warn,
            std::string(params::describe(decoded.status)) + ": booting factory parameters");
        return store;
    }
    for (auto [key, values] : decoded.entries) {
        const at::CommandSpec* spec = params::row_for_key(profile_, key);
        if (!spec) {
            log(hal::LogLevel::Warn, "NVRAM: unknown parameter " + key + " ignored");
            continue;
        }
        if (!at::accept_stored_values(*spec, values)) {
            log(hal::LogLevel::Warn, "NVRAM: invalid value for " + key + ", factory value kept");
            continue;
        }
        store.set(key, std::move(values));
    }
    return store;
}

} // namespace dtu::device
