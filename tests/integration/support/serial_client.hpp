#pragma once
// The test's end of a serial line: write bytes, wait for expected bytes or for silence.
#include <chrono>
#include <functional>
#include <string>
#include <string_view>

namespace dtu::itest {

/// Reads and writes a byte stream (a PTY, or a peer process's pipes) with deadlines.
/// Bytes read but not yet returned stay buffered for the next read_until().
class ByteStream {
public:
    using Predicate = std::function<bool(std::string_view received)>;

    /// Wrap fds owned by someone else (e.g. a ChildProcess's pipes).
    ByteStream(int read_fd, int write_fd);
    virtual ~ByteStream() = default;
    ByteStream(const ByteStream&) = delete;
    ByteStream& operator=(const ByteStream&) = delete;

    /// Write all bytes (waits while the other side is full, up to a few seconds).
    void write(std::string_view bytes);
    /// Write what the other side takes within timeout; returns how many bytes went (a writer that
    /// is held back goes on from there, never writing a byte twice).
    std::size_t write_within(std::string_view bytes, std::chrono::milliseconds timeout);
    /// Read until pattern has arrived or timeout; returns the bytes up to and including the first
    /// pattern (later bytes stay buffered). On timeout returns everything read, without pattern.
    std::string read_until(std::string_view pattern, std::chrono::milliseconds timeout);
    /// Read until done(everything buffered) is true or timeout; returns (and consumes) the buffer.
    std::string read_until(const Predicate& done, std::chrono::milliseconds timeout);
    /// True if no byte arrives within quiet (nor was one already buffered); what arrived stays buffered.
    bool expect_silence(std::chrono::milliseconds quiet);
    /// Whether the last read_until() ended on its timeout.
    bool timed_out() const { return timed_out_; }
    /// Whether the other side has closed (EOF or hang-up seen).
    bool closed() const { return closed_; }
    /// Bytes received but not yet returned.
    const std::string& buffered() const { return buffer_; }

protected:
    /// For subclasses that open their fds after construction.
    ByteStream() = default;
    void set_fds(int read_fd, int write_fd);

private:
    /// Wait up to timeout for bytes and append them to buffer_; false on timeout or close.
    bool fill(std::chrono::milliseconds timeout);

    int read_fd_ = -1;
    int write_fd_ = -1;
    std::string buffer_;
    bool timed_out_ = false;
    bool closed_ = false;
};

/// A client on the simulator's PTY, opened raw (8N1, no echo, no line discipline).
class SerialClient : public ByteStream {
public:
    /// Open path (a /dev/pts/N or a link to one); throws std::system_error on failure.
    explicit SerialClient(const std::string& path);
    ~SerialClient() override;

private:
    int fd_ = -1;
};

} // namespace dtu::itest
