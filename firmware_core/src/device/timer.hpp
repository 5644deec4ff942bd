#pragma once
// A one-shot HAL timer owned by an object: cancelled when restarted or destroyed, so no callback
// can outlive its owner.
#include <functional>
#include <utility>

#include "dtu/hal/clock.hpp"

namespace dtu::device {

class Timer {
public:
    explicit Timer(hal::Clock& clock) : clock_(clock) {}
    ~Timer() { cancel(); }
    Timer(const Timer&) = delete;
    Timer& operator=(const Timer&) = delete;

    /// (Re)start: fn runs once after ms unless cancelled first.
    void start(std::uint32_t ms, std::function<void()> fn) {
        cancel();
        id_ = clock_.after(ms, [this, fn = std::move(fn)] {
            id_ = hal::kNoTimer;
            fn();
        });
    }
    void cancel() {
        if (id_ != hal::kNoTimer) clock_.cancel(id_);
        id_ = hal::kNoTimer;
    }
    bool active() const { return id_ != hal::kNoTimer; }

private:
    hal::Clock& clock_;
    hal::TimerId id_ = hal::kNoTimer;
};

} // namespace dtu::device
