#pragma once
// dtu-sim --at: AT commands applied at boot, as if typed in command mode. They are typed on a twin
// of the device (the same profile, identity, radio and NVRAM, in virtual time, without a network)
// before the real one boots; what they leave in force becomes the real device's parameters for this
// run. Settings made in command mode only take effect after AT+S (the firmware edits a working copy,
// GAP-15), but `--at "AT+SOCKA=..."` means "connect there now", so the twin's final working copy is
// what the device boots with — without writing it to the state dir. An AT+S among the commands saves
// as it does on the device: the parameters at that point go to NVRAM.
#include <optional>
#include <string>
#include <vector>

#include "dtu/profile/profile.hpp"
#include "sim/scenario/board.hpp"

namespace dtu::sim {

struct BootCommandsResult {
    /// The parameters in force after the last command (an NVRAM blob); empty on error.
    std::optional<std::string> in_force;
    /// What an AT+S among the commands saved (the last one's); empty if none did.
    std::optional<std::string> saved;
    /// Non-empty: the first command the device answered with an error (or did not answer), e.g.
    /// `--at "AT+SOCKA=TCP": the device answered +CME ERROR:3`. Commands after it did not run.
    std::string error;
};

/// Type commands in order on a twin built from board (board.nvram: the state dir's NVRAM, if any).
BootCommandsResult run_boot_commands(const profile::Profile& profile, const scenario::BoardConfig& board,
                                     const std::vector<std::string>& commands);

} // namespace dtu::sim
