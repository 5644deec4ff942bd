#pragma once
// The file a trace writer (JSONL, pcapng) writes to: created or truncated at open, and closed with
// a check that everything reached the disk, each failure said with the path and the reason.
#include <fstream>
#include <string>

namespace dtu::sim::scenario {

class TraceFile {
public:
    /// Create (or truncate) path; false with error ("PATH: cannot create: reason") if it cannot.
    /// A symlink at path is refused ("PATH: is a symlink, not written through"), never followed.
    bool open(const std::string& path, std::string& error);
    bool is_open() const { return out_.is_open(); }
    std::ofstream& out() { return out_; }
    /// Flush and close; false with error ("PATH: write failed: reason") if anything was not written.
    bool close(std::string& error);

private:
    std::ofstream out_;
    std::string path_;
};

} // namespace dtu::sim::scenario
