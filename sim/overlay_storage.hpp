#pragma once
// The NVRAM as dtu-sim --at leaves it: the parameters the boot commands put in force are what the
// firmware loads for the whole run (firmware resets, power cycles), while the state dir keeps what
// was saved. The firmware's own commit (AT+S) saves everything in force, after which the file is
// what loads again.
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "dtu/hal/storage.hpp"

namespace dtu::sim {

class OverlayStorage final : public hal::Storage {
public:
    /// saved outlives this object.
    explicit OverlayStorage(hal::Storage& saved) : saved_(saved) {}

    /// What loads until the next successful commit (nullopt: the saved blob).
    void set_overlay(std::optional<std::string> blob) { overlay_ = std::move(blob); }

    bool load(std::string& out) override {
        if (!overlay_) return saved_.load(out);
        out = *overlay_;
        return true;
    }
    bool commit(std::string_view blob) override {
        if (!saved_.commit(blob)) return false; // not saved: what is in force stays in force
        overlay_.reset();
        return true;
    }

private:
    hal::Storage& saved_;
    std::optional<std::string> overlay_;
};

} // namespace dtu::sim
