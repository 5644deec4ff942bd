// Power-on load of the saved parameter set: a bad image never stops the device, it boots
// factory defaults and says why.
#include "device_impl.hpp"
#include "dtu/params/nvram_codec.hpp"
#include "factory_params.hpp"
#include "nvram_entry.hpp"
#include "user_defaults.hpp"

namespace dtu::device {

params::Store DeviceImpl::load_saved() {
    params::Store store = factory_params(profile_, hal_.modem);
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
        if (user_defaults::is_user_key(key)) continue; // AT+CFGTF's set, read by AT+RELD only
        switch (take_entry(profile_, key, std::move(values), store)) {
        case EntryFit::Taken: break;
        case EntryFit::UnknownKey:
            log(hal::LogLevel::Warn, "NVRAM: unknown parameter " + key + " ignored");
            break;
        case EntryFit::BadValue:
            log(hal::LogLevel::Warn, "NVRAM: invalid value for " + key + ", factory value kept");
            break;
        }
    }
    return store;
}

} // namespace dtu::device
