#include "sim/scenario/trace_file.hpp"

#include <cerrno>
#include <cstring>

namespace dtu::sim::scenario {

bool TraceFile::open(const std::string& path, std::string& error) {
    path_ = path;
    out_.open(path, std::ios::binary | std::ios::trunc);
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
