#pragma once
// hal::Storage in memory, for virtual time: the NVRAM blob lives as long as this object (the board),
// so it survives firmware resets and power cycles. A commit replaces the blob whole, so a reader
// never sees a mix of old and new (hal::Storage's contract).
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "dtu/hal/storage.hpp"

namespace dtu::hal_sim {

class MemoryStorage final : public hal::Storage {
public:
    bool load(std::string& out) override {
        if (!blob_) return false;
        out = *blob_;
        return true;
    }
    bool commit(std::string_view blob) override {
        blob_ = std::string(blob);
        ++commits_;
        return true;
    }
    /// The committed blob, if any.
    const std::optional<std::string>& blob() const { return blob_; }
    /// Commits since construction.
    std::uint64_t commits() const { return commits_; }

private:
    std::optional<std::string> blob_;
    std::uint64_t commits_ = 0;
};

} // namespace dtu::hal_sim
