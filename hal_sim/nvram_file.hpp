#pragma once
// hal::Storage as one file in the state directory, replaced atomically on every commit.
#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "dtu/hal/log.hpp"
#include "dtu/hal/storage.hpp"

namespace dtu::hal_sim {

/// The parameter flash sector as `<state-dir>/nvram.bin`. The firmware validates the content
/// (version, CRC); this class only guarantees "old or new blob, never a mix" across kill -9, and
/// never reads or writes through a symlink at nvram.bin.
class NvramFile final : public hal::Storage {
public:
    /// File name inside the state directory.
    static constexpr std::string_view kFileName = "nvram.bin";

    /// state_dir must exist.
    NvramFile(std::filesystem::path state_dir, hal::Log& log);

    /// The last committed blob; false if there is none or it cannot be read.
    bool load(std::string& out) override;
    /// Write a temporary file, fsync it, rename it over the old one, fsync the directory. Fails
    /// (logged, counted) when nvram.bin is a symlink or not a regular file.
    bool commit(std::string_view blob) override;

    /// Remove the temporaries of commits killed before their rename ("nvram.bin.XXXXXX"); each is
    /// logged. Only for the process that holds the state directory's lock. Returns what was removed.
    static std::vector<std::filesystem::path> remove_stale_temporaries(const std::filesystem::path& state_dir,
                                                                       hal::Log& log);

    /// Full path of the NVRAM file.
    const std::filesystem::path& path() const { return path_; }
    /// Successful commits since construction.
    std::uint64_t commits() const { return commits_; }
    /// Failed commits since construction.
    std::uint64_t failed_commits() const { return failed_commits_; }

private:
    bool fail(const std::string& why);

    std::filesystem::path dir_;
    std::filesystem::path path_;
    hal::Log& log_;
    std::uint64_t commits_ = 0;
    std::uint64_t failed_commits_ = 0;
};

} // namespace dtu::hal_sim
