#include "hal_sim/nvram_file.hpp"

#include <system_error>
#include <utility>

#include "hal_sim/host_file.hpp"

namespace dtu::hal_sim {

NvramFile::NvramFile(std::filesystem::path state_dir, hal::Log& log)
    : dir_(std::move(state_dir)), path_(dir_ / kFileName), log_(log) {}

bool NvramFile::load(std::string& out) {
    std::string error;
    auto data = host_file::read_regular(path_, error);
    if (!error.empty()) log_.write(hal::LogLevel::Warn, "NVRAM not loaded: " + error);
    if (!data) return false;
    out = std::move(*data);
    return true;
}

bool NvramFile::commit(std::string_view blob) {
    // Until the rename the old file is untouched, whatever happens to the process; a symlink at
    // nvram.bin is refused, so its target is never written.
    std::string error;
    if (!host_file::replace_atomically(path_, blob, error)) return fail(error);
    ++commits_;
    return true;
}

std::vector<std::filesystem::path> NvramFile::remove_stale_temporaries(const std::filesystem::path& state_dir,
                                                                       hal::Log& log) {
    std::vector<std::filesystem::path> removed;
    for (const auto& tmp : host_file::stale_temporaries(state_dir / kFileName)) {
        std::error_code ec;
        if (!std::filesystem::remove(tmp, ec)) continue;
        removed.push_back(tmp);
        log.write(hal::LogLevel::Warn,
                  "removed " + tmp.string() + ", left by an NVRAM commit that was interrupted");
    }
    return removed;
}

bool NvramFile::fail(const std::string& why) {
    ++failed_commits_;
    log_.write(hal::LogLevel::Error, "NVRAM commit failed: " + why);
    return false;
}

} // namespace dtu::hal_sim
