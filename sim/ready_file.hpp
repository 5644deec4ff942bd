#pragma once
// The --ready-file: one JSON object telling scripts where the device is, written atomically.
#include <cstdint>
#include <filesystem>
#include <map>
#include <string>

namespace dtu::sim {

/// What the ready file says.
struct ReadyInfo {
    std::string serial;  ///< PTY slave path
    std::string control; ///< control API base URL, e.g. "http://127.0.0.1:40123"; empty: none
    std::int64_t pid = 0;
    /// Where the device's listeners are: "tcp/23" -> "127.0.0.1:40123" (hal_sim::HostPorts).
    std::map<std::string, std::string> ports;
};

/// Why dtu-sim may not write its ready file at path: "" when nothing is there or a ready file of
/// a dtu-sim that has exited (a crashed run's); else what is there and what to do. A user's file
/// and a symlink are never replaced.
std::string ready_file_refusal(const std::filesystem::path& path);

/// Write {"serial": ..., "control": ..., "pid": ..., "ports": {...}} ("control" only with a control
/// API) to path
/// via a temporary file and rename, so a reader sees either no file or the whole object; a symlink
/// at path is refused, never written through. On failure returns false and sets error.
bool write_ready_file(const std::filesystem::path& path, const ReadyInfo& info, std::string& error);

/// Remove the ready file if it still is the one write_ready_file wrote for info.
void remove_ready_file(const std::filesystem::path& path, const ReadyInfo& info);

} // namespace dtu::sim
