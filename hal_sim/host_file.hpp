#pragma once
// Writing host files without destroying someone else's: the last path component is never followed
// when it is a symlink, and whole-file replacement is atomic (a reader sees the old or the new
// content, never a mix). Every file dtu-sim writes (NVRAM, ready file, traces, SMS outbox) goes
// through here.
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace dtu::hal_sim::host_file {

/// An open file descriptor, closed on destruction.
class Fd {
public:
    Fd() = default;
    explicit Fd(int fd) : fd_(fd) {}
    ~Fd();
    Fd(Fd&& other) noexcept : fd_(other.release()) {}
    Fd& operator=(Fd&& other) noexcept;
    Fd(const Fd&) = delete;
    Fd& operator=(const Fd&) = delete;

    bool valid() const { return fd_ >= 0; }
    int get() const { return fd_; }
    /// Give up ownership (the caller closes it).
    int release() { return std::exchange(fd_, -1); }

private:
    int fd_ = -1;
};

/// How open_for_writing treats existing content.
enum class Existing { Truncate, Append };

/// Open (create if missing, mode 0666 & umask) path for writing, refusing a symlink at path itself
/// (O_NOFOLLOW). Invalid Fd and error ("PATH: is a symlink ..." / "PATH: cannot create: reason", or "cannot
/// open" when appending) on failure.
Fd open_for_writing(const std::filesystem::path& path, Existing existing, std::string& error);

/// A path that reopens an open descriptor's file itself (/proc/self/fd/N), for APIs that only take
/// names (std::ofstream); no link at the original path is followed again.
std::string reopen_path(const Fd& fd);

/// Replace path by bytes: write "<name>.XXXXXX" in the same directory, fsync it, rename it over
/// path, fsync the directory. Refuses (false, error set, nothing touched) when path exists and is
/// not a regular file, e.g. a symlink: its target is never written.
bool replace_atomically(const std::filesystem::path& path, std::string_view bytes, std::string& error);

/// Temporaries of replace_atomically(path) left by a process killed between write and rename:
/// "<name>.XXXXXX" next to path (six letters or digits, the pattern of mkstemp and QSaveFile).
std::vector<std::filesystem::path> stale_temporaries(const std::filesystem::path& path);

/// The content of path, read without following a symlink at path. nullopt with error empty when
/// path does not exist, with error set when it cannot be read (a symlink among the reasons).
std::optional<std::string> read_regular(const std::filesystem::path& path, std::string& error);

/// Why path cannot be replaced: "" if it is missing or a regular file, else what it is
/// ("is a symlink", "is a directory", "is not a regular file").
std::string not_replaceable(const std::filesystem::path& path);

} // namespace dtu::hal_sim::host_file
