// hal::Uart on a host PTY. This is the only hal_sim file that touches POSIX terminals.
//
// Kernel behaviour this relies on (Linux, checked on the target machines):
// - termios set on the slave persist after the slave is closed, so the port stays raw for every client;
// - with no client, poll() on the master reports POLLHUP, read() fails with EIO, and write() still
//   succeeds: the kernel keeps about 20 KiB for the next client;
// - bytes a client wrote just before closing stay readable on the master (POLLIN|POLLHUP) until EIO.
#include "hal_sim/pty_uart.hpp"

#include <fcntl.h>
#include <poll.h>
#include <termios.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <system_error>
#include <utility>

#include <boost/asio/post.hpp>

#include "hal_sim/host_file.hpp"

namespace dtu::hal_sim {
namespace {

namespace asio = boost::asio;
using boost::system::error_code;

std::system_error os_error(const char* what) { return {errno, std::generic_category(), what}; }

/// Open a PTY master (non-blocking, close-on-exec), make the line raw, return the master fd and
/// the slave path.
int open_raw_pty(std::string& slave_path) {
    host_file::Fd master(::posix_openpt(O_RDWR | O_NOCTTY));
    if (master.get() < 0) throw os_error("posix_openpt");
    if (::grantpt(master.get()) != 0) throw os_error("grantpt");
    if (::unlockpt(master.get()) != 0) throw os_error("unlockpt");
    if (::fcntl(master.get(), F_SETFD, FD_CLOEXEC) != 0) throw os_error("fcntl(FD_CLOEXEC)");
    if (::fcntl(master.get(), F_SETFL, O_NONBLOCK) != 0) throw os_error("fcntl(O_NONBLOCK)");
    char name[128];
    if (::ptsname_r(master.get(), name, sizeof name) != 0) throw os_error("ptsname_r");
    slave_path = name;

    // Line settings belong to the slave side; open it once to make it raw (no echo, no CR/LF
    // translation, 8N1) and close it again so that client presence shows as POLLHUP.
    host_file::Fd slave(::open(name, O_RDWR | O_NOCTTY | O_CLOEXEC));
    if (slave.get() < 0) throw os_error("open PTY slave");
    termios tio{};
    if (::tcgetattr(slave.get(), &tio) != 0) throw os_error("tcgetattr");
    ::cfmakeraw(&tio);
    ::cfsetispeed(&tio, B115200);
    ::cfsetospeed(&tio, B115200);
    if (::tcsetattr(slave.get(), TCSANOW, &tio) != 0) throw os_error("tcsetattr");
    return master.release();
}

bool is_hangup(const error_code& ec) { return ec == boost::system::errc::io_error || ec == asio::error::eof; }

} // namespace

PtyUart::PtyUart(asio::io_context& io, hal::Log& log, std::size_t queue_limit, bool paced)
    : io_(io), log_(log), queue_limit_(queue_limit), paced_(paced), scheduler_(io), rx_(scheduler_, paced),
      tx_pacer_(scheduler_), master_(io), poll_timer_(io) {
    master_.assign(open_raw_pty(slave_path_));
    rx_.set_sink([this](std::string_view bytes) {
        if (on_rx_) on_rx_(bytes);
    });
    // Room in the FIFO: read again once half of it is free (fewer, larger reads; never empty while
    // the writer keeps up, since half the FIFO is many byte times).
    rx_.on_released([this] {
        if (read_waits_ && rx_room() >= kRxFifoBytes / 2 && counters_.client_connected && !stopped_) {
            read_waits_ = false;
            start_read();
        }
    });
}

PtyUart::~PtyUart() { stop(); }

void PtyUart::on_rx(RxHandler handler) { on_rx_ = std::move(handler); }

void PtyUart::start() {
    if (started_ || stopped_) return;
    started_ = true;
    // First check right away (posted), so --wait-serial does not lose a poll interval.
    asio::post(io_, [this] {
        if (!stopped_) check_presence();
    });
}

void PtyUart::stop() {
    if (stopped_) return;
    stopped_ = true;
    poll_timer_.cancel();
    tx_pacer_.stop();
    rx_.take_all(); // bytes read but not delivered: the firmware is going away with the port
    // One last non-blocking attempt so that output queued just before shutdown is not lost silently.
    // (With a write in flight the kernel was full, or the completion is queued with an unknown
    // count; then only an upper bound can be reported.)
    const bool in_flight = in_flight_ != nullptr;
    std::string rest = replies_.queue.take_all() + data_.queue.take_all();
    if (!in_flight && !rest.empty()) {
        const ssize_t n = ::write(master_.native_handle(), rest.data(), rest.size());
        if (n > 0) {
            counters_.tx_bytes += static_cast<std::size_t>(n);
            rest.erase(0, static_cast<std::size_t>(n));
        }
    }
    if (!rest.empty()) {
        counters_.overflow_bytes += rest.size();
        warn((in_flight ? "up to " : "") + std::to_string(rest.size()) +
             " bytes of serial output not delivered at shutdown");
    }
    error_code ignored;
    master_.cancel(ignored);
    remove_link();
}

void PtyUart::wait_for_client(std::function<void()> fn) {
    if (counters_.client_connected)
        asio::post(io_, std::move(fn));
    else
        client_waiters_.push_back(std::move(fn));
}

PtyCounters PtyUart::counters() const {
    PtyCounters c = counters_;
    c.queued_bytes = replies_.queue.size() + data_.queue.size();
    c.paced = paced_;
    c.line = tx_pacer_.line();
    c.rx_fifo_bytes = rx_.size();
    c.rx_held = rx_.held();
    return c;
}

void PtyUart::configure(const hal::LineSettings& settings) {
    rx_.configure(settings);
    tx_pacer_.configure(settings);
}

void PtyUart::hold_rx(bool held) {
    if (!paced_ || held == rx_.held()) return;
    if (held) ++counters_.rx_holds;
    rx_.hold(held);
}

// --- client presence -------------------------------------------------------------------------

void PtyUart::schedule_presence_poll() {
    poll_timer_.expires_after(kPollInterval);
    poll_timer_.async_wait([this](const error_code& ec) {
        if (ec || stopped_) return;
        check_presence();
    });
}

void PtyUart::check_presence() {
    pollfd pfd{master_.native_handle(), POLLIN, 0};
    if (::poll(&pfd, 1, 0) < 0) {
        warn("poll on PTY master failed");
        schedule_presence_poll();
        return;
    }
    if ((pfd.revents & POLLHUP) == 0) {
        client_arrived();
        return;
    }
    // A short-lived client (echo AT > /dev/pts/N) may have come and gone between two polls.
    if (pfd.revents & POLLIN) drain_orphaned_input();
    schedule_presence_poll();
}

void PtyUart::client_arrived() {
    counters_.client_connected = true;
    ++counters_.connects;
    log_.write(hal::LogLevel::Debug, "serial client connected to " + slave_path_);
    auto waiters = std::exchange(client_waiters_, {});
    for (auto& fn : waiters)
        fn();
    if (!stopped_) start_read();
}

void PtyUart::client_left() {
    counters_.client_connected = false;
    log_.write(hal::LogLevel::Debug, "serial client left " + slave_path_);
    schedule_presence_poll();
}

// --- input -----------------------------------------------------------------------------------

std::size_t PtyUart::rx_room() const {
    if (!paced_) return rx_buffer_.size();
    return std::min(rx_buffer_.size(), kRxFifoBytes - std::min(kRxFifoBytes, rx_.size()));
}

void PtyUart::start_read() {
    if (reading_ || stopped_) return;
    const std::size_t room = rx_room();
    if (room == 0) {
        read_waits_ = true; // the FIFO's release reads again
        return;
    }
    reading_ = true;
    master_.async_read_some(asio::buffer(rx_buffer_.data(), room),
                            [this](const error_code& ec, std::size_t n) {
                                reading_ = false;
                                if (ec == asio::error::operation_aborted || stopped_) return;
                                if (ec) {
                                    if (!is_hangup(ec)) warn("serial read failed: " + ec.message());
                                    client_left();
                                    return;
                                }
                                received(std::string_view(rx_buffer_.data(), n));
                                if (!stopped_) start_read();
                            });
}

void PtyUart::received(std::string_view bytes) {
    counters_.rx_bytes += bytes.size();
    rx_.push(bytes); // unpaced: straight to on_rx_
}

void PtyUart::drain_orphaned_input() {
    for (;;) {
        const std::size_t room = rx_room();
        if (room == 0) return; // the FIFO is full: the next presence poll reads on
        const ssize_t n = ::read(master_.native_handle(), rx_buffer_.data(), room);
        if (n <= 0) return; // EIO (no client) or EAGAIN: nothing left
        received(std::string_view(rx_buffer_.data(), static_cast<std::size_t>(n)));
        if (stopped_) return;
    }
}

// --- output ----------------------------------------------------------------------------------

void PtyUart::write(std::string_view bytes) { enqueue(data_, bytes); }

void PtyUart::write_reply(std::string_view bytes) { enqueue(replies_, bytes); }

void PtyUart::enqueue(Output& out, std::string_view bytes) {
    if (bytes.empty()) return;
    if (stopped_) {
        note_overflow(out, bytes.size());
        return;
    }
    const std::size_t queued = out.queue.size();
    const std::size_t room = queued < queue_limit_ ? queue_limit_ - queued : 0;
    const std::size_t keep = std::min(room, bytes.size());
    out.queue.append(bytes.substr(0, keep));
    if (keep < bytes.size()) note_overflow(out, bytes.size() - keep);
    flush();
}

std::size_t PtyUart::tx_allowance() {
    const std::size_t queued = replies_.queue.size() + data_.queue.size();
    if (!paced_) return queued;
    // Paced: only what has crossed the line by now (replies first, whichever bytes they are).
    tx_credit_ = std::min(tx_credit_, queued);
    tx_credit_ += tx_pacer_.take(queued - tx_credit_);
    if (tx_credit_ == 0 && queued != 0) tx_pacer_.wake([this] { flush(); });
    return tx_credit_;
}

void PtyUart::flush() {
    if (in_flight_ != nullptr || stopped_) return;
    const std::size_t allowed = tx_allowance();
    if (allowed == 0) return;
    Output& out = replies_.queue.empty() ? data_ : replies_;
    const std::string_view piece = out.queue.front().substr(0, allowed);
    in_flight_ = &out;
    // async_write_some tries the write at once and waits for the kernel only when it is full
    // (with or without a client); the completion is always posted, never run inside write(). The
    // kernel takes at most its buffer's worth, so replies wait for at most that much data.
    master_.async_write_some(asio::buffer(piece.data(), piece.size()),
                             [this](const error_code& ec, std::size_t n) {
                                 Output& done = *std::exchange(in_flight_, nullptr);
                                 if (ec == asio::error::operation_aborted || stopped_) return;
                                 if (ec) {
                                     // Not expected on a PTY master; count the queues as lost rather than
                                     // spin on them.
                                     warn("serial write failed: " + ec.message());
                                     note_overflow(replies_, replies_.queue.take_all().size());
                                     note_overflow(data_, data_.queue.take_all().size());
                                     return;
                                 }
                                 counters_.tx_bytes += n;
                                 done.queue.consume(n);
                                 tx_credit_ -= std::min(tx_credit_, n);
                                 flush();
                             });
}

void PtyUart::note_overflow(Output& out, std::size_t dropped) {
    if (dropped == 0) return;
    counters_.overflow_bytes += dropped;
    if (&out == &replies_) counters_.reply_overflow_bytes += dropped;
    out.dropped += dropped;
    // At most one warning per second, each saying how much was lost since the previous one.
    const auto now = std::chrono::steady_clock::now();
    if (now - out.last_log < std::chrono::seconds(1) && out.logged != 0) return;
    const std::uint64_t since = out.dropped - out.logged;
    out.logged = out.dropped;
    out.last_log = now;
    warn("serial output queue full (" + std::to_string(queue_limit_) + " bytes of " + std::string(out.what) +
         "): dropped " + std::to_string(since) + " bytes of " + std::string(out.what) + ", " +
         std::to_string(out.dropped) + " in total");
}

void PtyUart::warn(std::string_view text) { log_.write(hal::LogLevel::Warn, text); }

// --- stable link -----------------------------------------------------------------------------

std::string PtyUart::link_refusal(const std::filesystem::path& link) {
    namespace fs = std::filesystem;
    std::error_code ec;
    const fs::file_status st = fs::symlink_status(link, ec);
    if (!fs::exists(st)) return "";
    if (fs::is_symlink(st) && fs::read_symlink(link, ec).string().rfind("/dev/pts/", 0) == 0 && !ec)
        return "";
    const std::string what = fs::is_symlink(st)        ? "a symlink that does not point to a PTY"
                             : fs::is_regular_file(st) ? "a regular file"
                             : fs::is_directory(st)    ? "a directory"
                                                       : "not a symlink";
    return "--serial-link " + link.string() + ": " + what +
           " is there, and dtu-sim replaces only a link to a PTY (/dev/pts/N); remove it or choose another "
           "path";
}

void PtyUart::create_link(const std::filesystem::path& link) {
    namespace fs = std::filesystem;
    if (const std::string refusal = link_refusal(link); !refusal.empty())
        throw fs::filesystem_error(refusal, link, std::make_error_code(std::errc::file_exists));
    // symlink() to a private temporary name, then rename() over the link: rename replaces a stale
    // link from a crashed run atomically, and a reader never sees a missing or half-made link.
    fs::path tmp = link;
    tmp += ".tmp." + std::to_string(::getpid());
    std::error_code ignored;
    if (link_refusal(tmp).empty()) fs::remove(tmp, ignored); // our own, from a crash; else create fails
    fs::create_symlink(slave_path_, tmp);
    std::error_code ec;
    fs::rename(tmp, link, ec);
    if (ec) {
        fs::remove(tmp, ignored);
        throw fs::filesystem_error("cannot create serial link", link, ec);
    }
    link_ = link;
}

void PtyUart::remove_link() {
    if (link_.empty()) return;
    std::error_code ec;
    // Another instance may have taken the link over since; only remove what is still ours.
    if (std::filesystem::read_symlink(link_, ec) == slave_path_ && !ec) std::filesystem::remove(link_, ec);
    link_.clear();
}

} // namespace dtu::hal_sim
