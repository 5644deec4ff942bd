#include "sim_switch.hpp"

#include <utility>

namespace dtu::device {

SimSwitch::SimSwitch(hal::Hal hal, const profile::SimSwitchRules& limits)
    : hal_(hal), limits_(limits), timer_(hal.clock) {}

const char* SimSwitch::slot_name(hal::SimSlot slot) { return slot == hal::SimSlot::External ? "EXT" : "INT"; }

void SimSwitch::start(const params::Store& saved, Hooks hooks) {
    hooks_ = std::move(hooks);
    timer_.cancel();
    if (limits_.online_ms == 0) return; // a single-SIM model: nothing to choose
    const std::string_view mode = saved.text("SIMSWITCH", 0);
    const auto ext = hal::SimSlot::External;
    const auto in = hal::SimSlot::Internal;
    if (mode == "0") {
        use(saved.text("SIMSWITCH", 1) == "1" ? in : ext, "locked");
        return;
    }
    if (mode == "2") {
        watch();
        return;
    }
    // Mode 1 (the factory mode, and anything unexpected): external first.
    if (hal_.modem.sim_present(ext)) {
        use(ext, "external card first, external card present");
        return;
    }
    if (hal_.modem.active_sim() == in) {
        log(hal::LogLevel::Info, "no external card, using the internal card");
        return;
    }
    log(hal::LogLevel::Info,
        "no external card: internal card in " + std::to_string(limits_.detect_ms / 1000) + " s");
    timer_.start(limits_.detect_ms, [this] { use(hal::SimSlot::Internal, "no external card"); });
}

void SimSwitch::use(hal::SimSlot slot, const char* why) {
    if (hal_.modem.active_sim() == slot) {
        log(hal::LogLevel::Info, std::string("using the ") + slot_name(slot) + " card (" + why + ")");
        return;
    }
    log(hal::LogLevel::Info, std::string("selecting the ") + slot_name(slot) + " card (" + why + ")");
    hal_.modem.select_sim(slot);
}

void SimSwitch::watch() {
    const hal::SimSlot active = hal_.modem.active_sim();
    if (active == hal::SimSlot::External && !hal_.modem.sim_present(active)) {
        // "无外置卡 ... 则直接切换为内置卡后重启": no external card, switch at once. From a timer,
        // not from inside boot: the start-up has finished when the restart is asked for.
        log(hal::LogLevel::Warn, "dual backup: no external card");
        timer_.start(0, [this] { switch_and_restart(hal::SimSlot::Internal); });
        return;
    }
    log(hal::LogLevel::Info, std::string("dual backup: on the ") + slot_name(active) + " card, " +
                                 std::to_string(limits_.online_ms / 1000) + " s to get online");
    offline_ = false;
    poll();
}

void SimSwitch::poll() {
    const std::uint64_t now = hal_.clock.now_ms();
    if (hal_.net.attached()) {
        offline_ = false;
    } else if (!offline_) {
        offline_ = true;
        offline_since_ = now;
    }
    if (offline_ && now - offline_since_ >= limits_.online_ms) {
        not_online();
        return;
    }
    timer_.start(limits_.poll_ms, [this] { poll(); });
}

void SimSwitch::not_online() {
    const hal::SimSlot active = hal_.modem.active_sim();
    log(hal::LogLevel::Warn, std::string("dual backup: the ") + slot_name(active) + " card is not online");
    if (active == hal::SimSlot::External) return switch_and_restart(hal::SimSlot::Internal);
    if (hal_.modem.sim_present(hal::SimSlot::External)) return switch_and_restart(hal::SimSlot::External);
    // "按实际存在/无外置卡状态来判断是否切卡": no external card to go back to; wait and check again.
    log(hal::LogLevel::Info, "dual backup: no external card, staying on the INT card");
    offline_ = false;
    poll();
}

void SimSwitch::switch_and_restart(hal::SimSlot to) {
    // GAP-37: the "printed information" is one line on the serial port, before the restart.
    if (hooks_.to_serial) hooks_.to_serial(std::string("\r\nSIM switch to ") + slot_name(to) + "\r\n");
    log(hal::LogLevel::Warn, std::string("switching to the ") + slot_name(to) + " card and restarting");
    hal_.modem.select_sim(to);
    if (hooks_.restart) hooks_.restart(hal::ResetCause::SimSwitch);
}

} // namespace dtu::device
