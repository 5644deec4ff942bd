#include "hal_sim/host_file.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <random>
#include <system_error>

namespace dtu::hal_sim::host_file {
namespace {

namespace fs = std::filesystem;

std::string reason() { return std::strerror(errno); }

/// The six characters mkstemp (and QSaveFile's QTemporaryFile) put in place of "XXXXXX".
constexpr std::size_t kTempSuffix = 6;

bool write_all(int fd, std::string_view bytes) {
    while (!bytes.empty()) {
        const ssize_t n = ::write(fd, bytes.data(), bytes.size());
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return false;
        bytes.remove_prefix(static_cast<std::size_t>(n));
    }
    return true;
}

/// Make a rename durable (power loss, not just kill -9).
void sync_directory(const fs::path& dir) {
    Fd fd(::open(dir.empty() ? "." : dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
    if (fd.valid()) ::fsync(fd.get());
}

/// "<path>.XXXXXX", created exclusively with the mode a plain open would give (0666 & ~umask, or
/// the mode of the file it will replace), unlike mkstemp's 0600.
Fd create_temporary(const fs::path& path, std::string& name) {
    static constexpr std::string_view kChars =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    thread_local std::minstd_rand pick(std::random_device{}());
    std::uniform_int_distribution<std::size_t> index(0, kChars.size() - 1);
    struct stat old {};
    const bool replaces = ::lstat(path.c_str(), &old) == 0;
    for (int attempt = 0; attempt < 100; ++attempt) {
        name = path.string() + ".";
        for (std::size_t i = 0; i < kTempSuffix; ++i)
            name.push_back(kChars[index(pick)]);
        Fd fd(::open(name.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0666));
        if (fd.valid() && replaces) ::fchmod(fd.get(), old.st_mode & 07777);
        if (fd.valid() || errno != EEXIST) return fd;
    }
    return {};
}

std::string kind_of(mode_t mode) {
    if (S_ISLNK(mode)) return "is a symlink";
    if (S_ISDIR(mode)) return "is a directory";
    return "is not a regular file";
}

} // namespace

Fd::~Fd() {
    if (fd_ >= 0) ::close(fd_);
}

Fd& Fd::operator=(Fd&& other) noexcept {
    if (this != &other) {
        if (fd_ >= 0) ::close(fd_);
        fd_ = other.release();
    }
    return *this;
}

std::string not_replaceable(const fs::path& path) {
    struct stat st {};
    if (::lstat(path.c_str(), &st) != 0) return errno == ENOENT ? "" : "cannot be examined: " + reason();
    return S_ISREG(st.st_mode) ? "" : kind_of(st.st_mode);
}

Fd open_for_writing(const fs::path& path, Existing existing, std::string& error) {
    const int mode = existing == Existing::Append ? O_APPEND : O_TRUNC;
    const char* verb = existing == Existing::Append ? "cannot open: " : "cannot create: ";
    // O_NONBLOCK: a FIFO planted at path must not hang the open; refused just below.
    Fd fd(::open(path.c_str(), O_WRONLY | O_CREAT | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK | mode, 0666));
    if (!fd.valid()) {
        const int why = errno;
        const std::string kind = not_replaceable(path);
        error = path.string() + ": " +
                (why == ELOOP && !kind.empty() ? kind + ", not written through"
                                               : verb + std::string(std::strerror(why)));
        return {};
    }
    struct stat st {};
    if (::fstat(fd.get(), &st) != 0 || !S_ISREG(st.st_mode)) {
        error = path.string() + ": " + kind_of(st.st_mode);
        return {};
    }
    ::fcntl(fd.get(), F_SETFL, ::fcntl(fd.get(), F_GETFL) & ~O_NONBLOCK);
    return fd;
}

std::string reopen_path(const Fd& fd) { return "/proc/self/fd/" + std::to_string(fd.get()); }

bool replace_atomically(const fs::path& path, std::string_view bytes, std::string& error) {
    if (const std::string kind = not_replaceable(path); !kind.empty()) {
        error = path.string() + ": " + kind + ", not replaced";
        return false;
    }
    std::string tmp;
    Fd fd = create_temporary(path, tmp);
    if (!fd.valid()) {
        error = path.string() + ": cannot create a temporary file: " + reason();
        return false;
    }
    const bool written = write_all(fd.get(), bytes) && ::fsync(fd.get()) == 0;
    const std::string write_error = reason();
    const int closed = ::close(fd.release());
    // Checked again right before the rename: a symlink made meanwhile is refused, not replaced.
    const std::string kind = not_replaceable(path);
    if (!written || closed != 0 || !kind.empty() || ::rename(tmp.c_str(), path.c_str()) != 0) {
        error =
            path.string() + ": " +
            (!kind.empty() ? kind + ", not replaced" : "cannot write: " + (written ? reason() : write_error));
        ::unlink(tmp.c_str());
        return false;
    }
    sync_directory(path.parent_path());
    return true;
}

std::vector<fs::path> stale_temporaries(const fs::path& path) {
    std::vector<fs::path> found;
    const std::string prefix = path.filename().string() + ".";
    std::error_code ec;
    for (const auto& entry :
         fs::directory_iterator(path.parent_path().empty() ? "." : path.parent_path(), ec)) {
        const std::string name = entry.path().filename().string();
        if (name.size() != prefix.size() + kTempSuffix || name.compare(0, prefix.size(), prefix) != 0)
            continue;
        const bool alnum = std::all_of(name.begin() + static_cast<std::ptrdiff_t>(prefix.size()), name.end(),
                                       [](unsigned char c) { return std::isalnum(c) != 0; });
        if (alnum && entry.is_regular_file(ec) && !entry.is_symlink(ec)) found.push_back(entry.path());
    }
    std::sort(found.begin(), found.end());
    return found;
}

std::optional<std::string> read_regular(const fs::path& path, std::string& error) {
    error.clear();
    Fd fd(::open(path.c_str(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK));
    if (!fd.valid()) {
        const int why = errno;
        if (why == ENOENT) return std::nullopt;
        const std::string kind = not_replaceable(path);
        error = path.string() + ": " +
                (why == ELOOP && !kind.empty() ? kind + ", not read"
                                               : "cannot read: " + std::string(std::strerror(why)));
        return std::nullopt;
    }
    struct stat st {};
    if (::fstat(fd.get(), &st) != 0 || !S_ISREG(st.st_mode)) {
        error = path.string() + ": " + kind_of(st.st_mode) + ", not read";
        return std::nullopt;
    }
    std::string out;
    char buffer[8192];
    for (;;) {
        const ssize_t n = ::read(fd.get(), buffer, sizeof buffer);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) {
            error = path.string() + ": cannot read: " + reason();
            return std::nullopt;
        }
        if (n == 0) return out;
        out.append(buffer, static_cast<std::size_t>(n));
    }
}

} // namespace dtu::hal_sim::host_file
