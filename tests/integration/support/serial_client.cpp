#include "serial_client.hpp"

#include <fcntl.h>
#include <poll.h>
#include <termios.h>
#include <unistd.h>

#include <cerrno>
#include <stdexcept>
#include <system_error>
#include <utility>

namespace dtu::itest {
namespace {

using Clock = std::chrono::steady_clock;

int remaining_ms(Clock::time_point deadline) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
    return left > 0 ? static_cast<int>(left) : 0;
}

} // namespace

ByteStream::ByteStream(int read_fd, int write_fd) { set_fds(read_fd, write_fd); }

void ByteStream::set_fds(int read_fd, int write_fd) {
    read_fd_ = read_fd;
    write_fd_ = write_fd;
    // Non-blocking so that a read never outlives its deadline.
    for (int fd : {read_fd_, write_fd_})
        ::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL) | O_NONBLOCK);
}

void ByteStream::write(std::string_view bytes) {
    if (write_within(bytes, std::chrono::seconds(5)) < bytes.size())
        throw std::runtime_error("write: peer not reading");
}

std::size_t ByteStream::write_within(std::string_view bytes, std::chrono::milliseconds timeout) {
    const auto deadline = Clock::now() + timeout;
    std::size_t written = 0;
    while (written < bytes.size()) {
        const ssize_t n = ::write(write_fd_, bytes.data() + written, bytes.size() - written);
        if (n > 0) {
            written += static_cast<std::size_t>(n);
            continue;
        }
        if (n < 0 && errno != EAGAIN && errno != EINTR)
            throw std::system_error(errno, std::generic_category(), "write");
        pollfd pfd{write_fd_, POLLOUT, 0};
        if (::poll(&pfd, 1, remaining_ms(deadline)) == 0) break;
    }
    return written;
}

bool ByteStream::fill(std::chrono::milliseconds timeout) {
    const auto deadline = Clock::now() + timeout;
    for (;;) {
        char chunk[4096];
        const ssize_t n = ::read(read_fd_, chunk, sizeof chunk);
        if (n > 0) {
            buffer_.append(chunk, static_cast<std::size_t>(n));
            return true;
        }
        if (n == 0 || (errno != EAGAIN && errno != EINTR)) { // EOF, or EIO: the PTY master is gone
            closed_ = true;
            return false;
        }
        pollfd pfd{read_fd_, POLLIN, 0};
        const int left = remaining_ms(deadline);
        if (left == 0 || ::poll(&pfd, 1, left) == 0) return false;
    }
}

std::string ByteStream::read_until(std::string_view pattern, std::chrono::milliseconds timeout) {
    const auto deadline = Clock::now() + timeout;
    timed_out_ = false;
    for (;;) {
        if (const auto pos = buffer_.find(pattern); pos != std::string::npos) {
            std::string out = buffer_.substr(0, pos + pattern.size());
            buffer_.erase(0, pos + pattern.size());
            return out;
        }
        if (closed_ || !fill(std::chrono::milliseconds(remaining_ms(deadline)))) {
            if (Clock::now() >= deadline || closed_) break;
        }
    }
    timed_out_ = true;
    return std::exchange(buffer_, {});
}

std::string ByteStream::read_until(const Predicate& done, std::chrono::milliseconds timeout) {
    const auto deadline = Clock::now() + timeout;
    timed_out_ = false;
    while (!done(buffer_)) {
        if (closed_ || !fill(std::chrono::milliseconds(remaining_ms(deadline)))) {
            if (Clock::now() >= deadline || closed_) {
                timed_out_ = true;
                break;
            }
        }
    }
    return std::exchange(buffer_, {});
}

bool ByteStream::expect_silence(std::chrono::milliseconds quiet) {
    if (!buffer_.empty()) return false;
    fill(quiet);
    return buffer_.empty();
}

SerialClient::SerialClient(const std::string& path) {
    fd_ = ::open(path.c_str(), O_RDWR | O_NOCTTY | O_NONBLOCK | O_CLOEXEC);
    if (fd_ < 0) throw std::system_error(errno, std::generic_category(), "open " + path);
    termios tio{};
    if (::tcgetattr(fd_, &tio) == 0) {
        ::cfmakeraw(&tio);
        ::cfsetspeed(&tio, B115200);
        ::tcsetattr(fd_, TCSANOW, &tio);
    }
    set_fds(fd_, fd_);
}

SerialClient::~SerialClient() {
    if (fd_ >= 0) ::close(fd_);
}

} // namespace dtu::itest
