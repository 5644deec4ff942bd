#include "sim/state_lock.hpp"

#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <system_error>

#include "hal_sim/nvram_file.hpp"

namespace dtu::sim {
namespace {

namespace fs = std::filesystem;
namespace host_file = hal_sim::host_file;

/// The holder's PID as it wrote it, or "unknown" (it may be between its flock and its write).
std::string holder_pid(const fs::path& path) {
    std::string ignored;
    std::string pid = host_file::read_regular(path, ignored).value_or("");
    while (!pid.empty() && (pid.back() == '\n' || pid.back() == ' '))
        pid.pop_back();
    return pid.empty() ? "unknown" : pid;
}

} // namespace

std::optional<StateLock> StateLock::acquire(const fs::path& dir, std::string& error) {
    const fs::path path = dir / kFileName;
    // Append, not truncate: opening must not erase the PID of a holder we then fail to lock against.
    host_file::Fd fd = host_file::open_for_writing(path, host_file::Existing::Append, error);
    if (!fd.valid()) return std::nullopt;
    if (::flock(fd.get(), LOCK_EX | LOCK_NB) != 0) {
        if (errno == EWOULDBLOCK)
            error = "state directory " + dir.string() + " is in use by another dtu-sim (PID " +
                    holder_pid(path) + "); give this one its own --state-dir (or another --imei)";
        else
            error = "cannot lock " + path.string() + ": " + std::strerror(errno);
        return std::nullopt;
    }
    const std::string pid = std::to_string(::getpid()) + "\n";
    if (::ftruncate(fd.get(), 0) != 0 ||
        ::write(fd.get(), pid.data(), pid.size()) != static_cast<ssize_t>(pid.size())) {
        error = "cannot write " + path.string() + ": " + std::strerror(errno);
        return std::nullopt;
    }
    return StateLock(std::move(fd));
}

std::optional<StateLock> claim_state_dir(const fs::path& dir, hal::Log& log, std::string& error) {
    std::error_code ec;
    fs::create_directories(dir, ec);
    if (ec) {
        error = "cannot create state directory " + dir.string() + ": " + ec.message();
        return std::nullopt;
    }
    auto lock = StateLock::acquire(dir, error);
    if (!lock) return std::nullopt;
    const fs::path nvram = dir / hal_sim::NvramFile::kFileName;
    if (const std::string kind = host_file::not_replaceable(nvram); !kind.empty()) {
        error =
            nvram.string() + " " + kind +
            ": dtu-sim keeps the device's parameters in a regular file there, replaced atomically, and never "
            "writes through a link; remove it (copy its content there to keep the parameters) or choose "
            "another --state-dir";
        return std::nullopt;
    }
    hal_sim::NvramFile::remove_stale_temporaries(dir, log);
    return lock;
}

} // namespace dtu::sim
