#include "sim/scenario/trace_file.hpp"

#include <cerrno>
#include <cstring>

#include "hal_sim/host_file.hpp"

namespace dtu::sim::scenario {

bool TraceFile::open(const std::string& path, std::string& error) {
    path_ = path;
    // Opened without following a symlink at path (its target is someone else's file), then reopened
    // by descriptor for the stream.
    std::string why;
    const hal_sim::host_file::Fd fd =
        hal_sim::host_file::open_for_writing(path, hal_sim::host_file::Existing::Truncate, why);
    if (!fd.valid()) {
        error = why;
        return false;
    }
    out_.open(hal_sim::host_file::reopen_path(fd), std::ios::binary | std::ios::trunc);
    if (out_) return true;
    error = path + ": cannot create: " + std::strerror(errno);
    return false;
}

bool TraceFile::close(std::string& error) {
    if (!out_.is_open()) return true;
    out_.close();
    if (!out_.fail()) return true;
    error = path_ + ": write failed: " + std::strerror(errno);
    return false;
}

} // namespace dtu::sim::scenario
