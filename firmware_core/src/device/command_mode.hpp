#pragma once
// The 732's "CMD" work mode ("AT 指令模式", 732 §3.1.7.5): the serial port is in AT command mode from
// the start and carries no data. AT+ENTM answers as usual and the port stays in command mode
// (spec modes-and-timing §1, GAP-50: there is no transparent mode to go back to). No socket is
// opened; SMS AT still works (it runs in every mode).
#include "work_mode.hpp"

namespace dtu::device {

class CommandMode final : public WorkMode {
public:
    void start() override {}
    bool on_frame(std::string_view) override { return false; }
    bool keeps_command_mode() const override { return true; }
};

} // namespace dtu::device
