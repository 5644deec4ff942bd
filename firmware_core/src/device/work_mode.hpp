#pragma once
// A work mode (AT+WKMOD): what carries the serial port's data frames. One is built at boot from the
// profile's mode table (work_modes.cpp); the device talks to it only through this interface.
#include <functional>
#include <memory>
#include <string_view>

#include "at_engine.hpp"
#include "dtu/device/device.hpp"
#include "dtu/hal/hal.hpp"
#include "dtu/params/store.hpp"
#include "dtu/profile/profile.hpp"
#include "link_router.hpp"
#include "mode_hooks.hpp"

namespace dtu::device {

class SmsService;

class WorkMode {
public:
    virtual ~WorkMode() = default;
    /// Open connections and start timers; called once, after the device has booted.
    virtual void start() = 0;
    /// A frame from the serial port in transparent mode. False: the mode could not take it (the
    /// device counts it as dropped); a mode that keeps its own drop counters returns true.
    virtual bool on_frame(std::string_view frame) = 0;
    /// Whether the mode takes more serial data now. False while its network side cannot (a server
    /// reading more slowly than the line): the device then holds its UART receive (flow control)
    /// instead of dropping; the mode calls ModeHooks::flow_changed when this may have changed.
    virtual bool accepting() const { return true; }
    /// The mode's part of the status snapshot.
    virtual void report(Status& status) const { (void)status; }
    /// The mode's part of the live facts AT queries show (link states).
    virtual void report(LiveState& live) const { (void)live; }
    /// True: the serial port is in AT command mode from the start and stays there (732 WKMOD=CMD).
    virtual bool keeps_command_mode() const { return false; }
};

/// What any work mode may need from the device around it.
struct ModeContext {
    const profile::Profile& profile;
    hal::Hal hal;
    const params::Store& saved;
    ModeHooks hooks;
    /// Run a password-stripped network AT line (G771 §3.4.2).
    std::function<Outcome(std::string_view line)> network_at;
    LinkRouter& links; ///< a mode that uses link ids routes them to itself here
    SmsService& sms;   ///< SMS AT runs in every mode; the SMS work mode also carries data with it
};

/// The work mode of kind, its links routed; never null.
std::unique_ptr<WorkMode> make_work_mode(profile::ModeKind kind, const ModeContext& context);

} // namespace dtu::device
