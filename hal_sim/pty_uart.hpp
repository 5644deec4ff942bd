#pragma once
// The device's serial port as a host pseudo-terminal. Every POSIX/termios call of hal_sim's UART
// lives in pty_uart.cpp; this header only speaks Asio and plain types.
#include <array>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include <boost/asio/io_context.hpp>
#include <boost/asio/posix/stream_descriptor.hpp>
#include <boost/asio/steady_timer.hpp>

#include "dtu/hal/log.hpp"
#include "dtu/hal/uart.hpp"
#include "hal_sim/asio_scheduler.hpp"
#include "hal_sim/line_pacer.hpp"
#include "hal_sim/line_queue.hpp"
#include "hal_sim/output_queue.hpp"

namespace dtu::hal_sim {

/// What the PTY did since it was opened (survives firmware resets).
struct PtyCounters {
    std::uint64_t tx_bytes = 0;             ///< bytes the kernel accepted from us
    std::uint64_t rx_bytes = 0;             ///< bytes read from the client
    std::uint64_t overflow_bytes = 0;       ///< bytes not delivered: output queue full (or a write error)
    std::uint64_t reply_overflow_bytes = 0; ///< of those, the device's replies (the peer reads nothing)
    std::uint64_t connects = 0;             ///< times a client opened the port
    std::size_t queued_bytes = 0;           ///< accepted by write() but not yet taken by the kernel
    bool client_connected = false;          ///< a client holds the slave side open right now
    bool paced = false;                     ///< bytes move at the line rate (dtu-sim --baud-pacing)
    hal::LineSettings line;                 ///< the line as the firmware configured it
    std::size_t rx_fifo_bytes = 0;          ///< read from the client, not yet delivered (paced)
    bool rx_held = false;                   ///< the firmware holds its receive (flow control)
    std::uint64_t rx_holds = 0;             ///< times it did
};

/// hal::Uart on the master side of a PTY. The client (picocom, pyserial, socat) opens slave_path().
///
/// Output policy: write() (relayed data) and write_reply() (the device's own replies) append to two
/// user-space queues that are flushed whenever the kernel takes bytes, with or without a client
/// (the kernel keeps them for the next client). Replies go first: after every piece the kernel
/// takes, waiting replies are written before more data, so a server flooding faster than the
/// client reads never costs the client its "a", "+ok" or AT answers. Each queue holds at most
/// queue_limit bytes; what does not fit is counted in overflow_bytes and logged (rate-limited).
///
/// Baud pacing (paced = true): bytes move at the line rate configure() set, both ways (LinePacer).
/// Output reaches the kernel one byte time after another; input is read from the kernel into a
/// receive FIFO of kRxFifoBytes and delivered from there at the line rate. While the FIFO is full
/// (the firmware holds its receive, hold_rx(), or the line is slower than the writer) the PTY is
/// not read, so the kernel's buffer fills and the client's write() blocks or fails with EAGAIN: the
/// writer is held back as a UART holds it, and nothing is read only to be dropped later.
/// Unpaced, input is read and delivered as fast as it comes and hold_rx() is ignored.
class PtyUart final : public hal::Uart {
public:
    /// Default output queue bound: 1 MiB, minutes of output at 115200 baud.
    static constexpr std::size_t kDefaultQueueLimit = std::size_t{1} << 20;
    /// The device's receive FIFO when paced: 1 KiB, the receive ring buffer an MCU's UART driver
    /// typically has (interrupt or DMA fed); its packing buffer (UARTFL) lies behind it.
    static constexpr std::size_t kRxFifoBytes = 1024;
    /// How often client presence is checked while no client is connected.
    static constexpr std::chrono::milliseconds kPollInterval{20};

    using RxHandler = std::function<void(std::string_view)>;

    /// Opens a raw PTY at once; throws std::system_error when the host refuses one.
    /// paced: baud pacing and receive flow control (see above); false: bytes move as fast as they come.
    PtyUart(boost::asio::io_context& io, hal::Log& log, std::size_t queue_limit = kDefaultQueueLimit,
            bool paced = false);
    ~PtyUart() override;
    PtyUart(const PtyUart&) = delete;
    PtyUart& operator=(const PtyUart&) = delete;

    /// Queue relayed data for the client. Never blocks; bytes beyond the queue bound are counted and logged.
    void write(std::string_view bytes) override;
    /// Queue a reply of the device, ahead of waiting data. Dropped (counted, logged) only beyond its
    /// own bound, when the client has read nothing for a queue_limit of answers.
    void write_reply(std::string_view bytes) override;
    /// The line rate for pacing (and what counters() reports).
    void configure(const hal::LineSettings& settings) override;
    /// Paced: stop delivering received bytes (they wait in the FIFO; once it is full the PTY is not
    /// read) or resume. Unpaced: ignored.
    void hold_rx(bool held) override;

    /// Where received bytes go. Set before start().
    void on_rx(RxHandler handler);
    /// Begin watching for a client and reading from it.
    void start();
    /// Stop all I/O; the PTY stays open until destruction, the link is removed.
    void stop();
    /// Call fn once a client has the port open (at once, posted, when one already has).
    void wait_for_client(std::function<void()> fn);

    /// Create (or atomically replace a stale) symlink at link pointing to slave_path().
    /// Throws std::filesystem::filesystem_error on failure, and when link_refusal(link) refuses.
    void create_link(const std::filesystem::path& link);
    /// Why no serial link may be made at link: "" when nothing is there or a symlink into /dev/pts/
    /// is (what a dtu-sim made, e.g. left by a crashed run); else what is there and what to do. A
    /// user's file, device link or directory is never replaced.
    static std::string link_refusal(const std::filesystem::path& link);
    /// Remove the symlink made by create_link() if it still points to this PTY.
    void remove_link();

    /// The slave device path, e.g. "/dev/pts/5".
    const std::string& slave_path() const { return slave_path_; }
    /// The symlink created by create_link(), empty if none.
    const std::filesystem::path& link_path() const { return link_; }
    /// Counters since the PTY was opened.
    PtyCounters counters() const;

private:
    void schedule_presence_poll();
    void check_presence();
    void client_arrived();
    void client_left();
    void start_read();
    /// Paced: how many bytes the receive FIFO can take now; unpaced: a read buffer's worth.
    std::size_t rx_room() const;
    void received(std::string_view bytes);
    void drain_orphaned_input();
    /// A queue and how its overflow is reported (at most one warning a second each).
    struct Output {
        OutputQueue queue;
        std::string_view what; ///< for the log: "data", "replies"
        std::chrono::steady_clock::time_point last_log{};
        std::uint64_t dropped = 0;
        std::uint64_t logged = 0;
    };
    void enqueue(Output& out, std::string_view bytes);
    void flush();
    /// How many queued bytes may go to the kernel now (paced: what has crossed the line).
    std::size_t tx_allowance();
    void note_overflow(Output& out, std::size_t dropped);
    void warn(std::string_view text);

    boost::asio::io_context& io_;
    hal::Log& log_;
    const std::size_t queue_limit_;
    const bool paced_;
    AsioScheduler scheduler_;   ///< the pacers' time
    LineQueue rx_;              ///< the receive FIFO (paced) on its way to on_rx_
    LinePacer tx_pacer_;        ///< output: when the next byte has crossed the line
    std::size_t tx_credit_ = 0; ///< bytes that crossed the line, not yet taken by the kernel
    bool reading_ = false;      ///< an async read is in flight
    bool read_waits_ = false;   ///< not reading: the receive FIFO is full
    boost::asio::posix::stream_descriptor master_;
    boost::asio::steady_timer poll_timer_;
    std::string slave_path_;
    std::filesystem::path link_;
    RxHandler on_rx_;
    std::vector<std::function<void()>> client_waiters_;
    std::array<char, 4096> rx_buffer_{};

    Output replies_{{}, "replies"};
    Output data_{{}, "data"};
    Output* in_flight_ = nullptr; ///< whose front() the async write in flight holds

    PtyCounters counters_;
    bool started_ = false;
    bool stopped_ = false;
};

} // namespace dtu::hal_sim
