#pragma once
// The --ready-file: one JSON object telling scripts where the device is, written atomically.
#include <cstdint>
#include <filesystem>
#include <string>

namespace dtu::sim {

/// What the ready file says.
struct ReadyInfo {
    std::string serial;  ///< PTY slave path
    std::string control; ///< control API base URL, e.g. "http://127.0.0.1:40123"; empty: none
    std::int64_t pid = 0;
};

/// Write {"serial": ..., "control": ..., "pid": ...} ("control" only with a control API) to path
/// via a temporary file and rename, so a reader sees either no file or the whole object. On failure returns
/// false and sets error.
bool write_ready_file(const std::filesystem::path& path, const ReadyInfo& info, std::string& error);

/// Remove the ready file if it exists.
void remove_ready_file(const std::filesystem::path& path);

} // namespace dtu::sim
