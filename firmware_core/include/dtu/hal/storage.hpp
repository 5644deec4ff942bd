#pragma once
// HAL: NVRAM (the parameter flash sector).
#include <string>
#include <string_view>

namespace dtu::hal {

/// One opaque blob that survives resets and power loss.
class Storage {
public:
    virtual ~Storage() = default;
    /// Read the last committed blob into out. False when nothing was ever committed or it cannot be read.
    virtual bool load(std::string& out) = 0;
    /// Replace the blob atomically: after power loss at any instant, load() returns either the old
    /// or the new blob, never a mix. True once the new blob is durable.
    virtual bool commit(std::string_view blob) = 0;
};

} // namespace dtu::hal
