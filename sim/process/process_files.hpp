#pragma once
// The files a child process works with: a temporary directory for its config and output, and
// reading what it wrote.
#include <filesystem>
#include <string>

namespace dtu::sim::process {

/// A fresh directory under $TMPDIR (or /tmp), removed with its content on destruction.
class TempDir {
public:
    /// prefix names the directory (PREFIX.XXXXXX). Throws std::system_error if none can be made.
    explicit TempDir(const std::string& prefix = "dtu-sim-test");
    ~TempDir();
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;
    /// The directory.
    const std::filesystem::path& path() const { return path_; }

private:
    std::filesystem::path path_;
};

/// Read a whole file ("" if missing).
std::string read_text(const std::filesystem::path& path);

/// Write (create or truncate) a file; throws std::runtime_error if it cannot be written.
void write_text(const std::filesystem::path& path, const std::string& text);

} // namespace dtu::sim::process
