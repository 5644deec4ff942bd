#include "hal_sim/line_queue.hpp"

#include <algorithm>
#include <utility>

namespace dtu::hal_sim {

LineQueue::LineQueue(Scheduler& scheduler, bool paced, Sink sink)
    : pacer_(scheduler), paced_(paced), sink_(std::move(sink)) {}

void LineQueue::push(std::string_view bytes) {
    if (bytes.empty()) return;
    if (!paced_) {
        if (sink_) sink_(bytes);
        return;
    }
    const bool was_empty = queue_.empty();
    queue_.append(bytes);
    if (was_empty && !held_) {
        pacer_.take(queue_.size()); // starts the burst now: the first byte is due one byte time later
        schedule();
    }
}

void LineQueue::hold(bool held) {
    if (!paced_ || held == held_) return;
    held_ = held;
    pacer_.stop(); // held: no wake-up; released: a new burst from now
    if (!held_ && !queue_.empty()) {
        pacer_.take(queue_.size());
        schedule();
    }
}

std::string LineQueue::take_all() {
    pacer_.stop();
    std::string all = queue_.take_all();
    released_ += all.size(); // gone: nobody waits for them any more
    run_due_waiters();
    return all;
}

void LineQueue::after_sent(std::function<void()> fn) {
    waiters_.push_back({released_ + queue_.size(), std::move(fn)});
    if (queue_.empty()) run_due_waiters();
}

void LineQueue::run_due_waiters() {
    for (auto it = waiters_.begin(); it != waiters_.end();) {
        if (it->released > released_) {
            ++it;
            continue;
        }
        pacer_.scheduler().post(std::move(it->fn));
        it = waiters_.erase(it);
    }
}

void LineQueue::schedule() {
    pacer_.wake([this] { release(); });
}

void LineQueue::release() {
    if (held_) return;
    std::size_t n = pacer_.take(queue_.size());
    std::string out;
    out.reserve(n);
    while (n > 0) {
        const std::string_view front = queue_.front();
        const std::size_t k = std::min(front.size(), n);
        out.append(front.substr(0, k));
        queue_.consume(k);
        n -= k;
    }
    released_ += out.size();
    if (!out.empty() && sink_) sink_(out);
    run_due_waiters();
    if (on_released_) on_released_();
    if (held_) return; // the sink held the line: stop() ended the burst
    if (queue_.empty())
        pacer_.take(0); // the burst ends: the next byte starts a new one
    else
        schedule();
}

} // namespace dtu::hal_sim
