#pragma once
// One process per state directory: two dtu-sim on the same NVRAM would silently share (and
// overwrite) each other's saved parameters.
#include <filesystem>
#include <optional>
#include <string>

#include "dtu/hal/log.hpp"
#include "hal_sim/host_file.hpp"

namespace dtu::sim {

/// flock on "<state-dir>/lock", held for as long as this object lives (the process's lifetime);
/// the file names the holder's PID for whoever finds it locked. The file stays: removing a lock
/// file races with the next process opening it.
class StateLock {
public:
    /// File name inside the state directory.
    static constexpr const char* kFileName = "lock";

    /// Lock dir (which must exist); nullopt with error naming the holder's PID and suggesting
    /// --state-dir when another process holds it.
    static std::optional<StateLock> acquire(const std::filesystem::path& dir, std::string& error);

private:
    explicit StateLock(hal_sim::host_file::Fd fd) : fd_(std::move(fd)) {}
    hal_sim::host_file::Fd fd_;
};

/// Make the state directory this process's own before anything reads it: create it, lock it,
/// refuse an nvram.bin that is not a regular file (a symlink's target is never written), and
/// remove (and log) the temporaries of NVRAM commits killed before their rename. nullopt with
/// error (what is wrong, what to do) when it cannot be had.
std::optional<StateLock> claim_state_dir(const std::filesystem::path& dir, hal::Log& log, std::string& error);

} // namespace dtu::sim
