#pragma once
// What a work mode (NET, HTTPD, MQTT) needs from the device around it.
#include <functional>
#include <string>
#include <string_view>

#include "dtu/hal/log.hpp"
#include "dtu/hal/system.hpp"

namespace dtu::device {

struct ModeHooks {
    /// Relayed data for the serial peer (server, broker, HTTP answer, serial heartbeat).
    std::function<void(std::string_view)> to_serial;
    /// The device's own answer to the serial peer (a protocol status frame): never dropped for data.
    std::function<void(std::string_view)> reply_to_serial;
    std::function<void(hal::ResetCause)> restart;
    /// Server data is discarded while the port is in command mode (GAP-46).
    std::function<bool()> in_command_mode;
    std::function<void(hal::LogLevel, const std::string&)> log;
    /// The mode's WorkMode::accepting() may have changed (flow control); empty: nobody listens.
    std::function<void()> flow_changed;
};

} // namespace dtu::device
