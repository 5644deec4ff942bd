#pragma once
// A work mode a profile lists whose firmware is not written yet: frames are dropped, and said so
// once, so a user sees why nothing reaches the network.
#include "work_mode.hpp"

namespace dtu::device {

class UnsimulatedMode final : public WorkMode {
public:
    explicit UnsimulatedMode(ModeHooks hooks) : hooks_(std::move(hooks)) {}
    void start() override {
        hooks_.log(hal::LogLevel::Warn, "this work mode is not simulated yet: serial data is dropped");
    }
    bool on_frame(std::string_view) override { return false; }

private:
    ModeHooks hooks_;
};

} // namespace dtu::device
