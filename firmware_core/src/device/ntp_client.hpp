#pragma once
// NTP time update (G771 §2.6.4; spec device-info §5, GAP-38): with AT+NTPEN=ON the device asks the
// AT+NTPSVR servers, in order, for the time by SNTP v4 (RFC 4330) over UDP port 123 at start (once
// the data link is attached) and every AT+NTPTM minutes, and sets its wall clock from the answer.
//
// - One request per server: a 48-byte client packet (LI 0, VN 4, mode 3) whose transmit timestamp
//   is the device's clock (its low 16 fraction bits carry a request number, so every request is
//   unique). The first valid reply within kReplyTimeoutMs wins; a timeout, a failed open (DNS,
//   invalid name) or a closed link moves on to the next server.
// - A reply is valid when it is at least 48 bytes, mode 4 (server), VN 1..4, LI not 3 (alarm),
//   stratum 1..15 (0 is a kiss-o'-death), its origin timestamp is the transmit timestamp sent, and
//   its transmit timestamp is not zero. Other datagrams are counted (bad_replies), logged and
//   ignored: the wait for a valid one goes on until the timeout.
// - The time set is the server's transmit time plus half the round trip (the round trip less the
//   time the server held the request, when its receive timestamp is plausible).
// - A round in which no server answered is counted (failures) and retried after kRetryMs (or
//   AT+NTPTM, if shorter); after a success the next round is AT+NTPTM minutes later.
// - Without a data link no round starts: it waits for the attach. Losing the link during a round
//   abandons it (not a failure); it starts again when the link is back.
#include <array>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "dtu/hal/hal.hpp"
#include "dtu/params/store.hpp"
#include "timer.hpp"
#include "wall_clock.hpp"

namespace dtu::device {

class NtpClient final : public hal::NetListener {
public:
    /// The link id NTP uses (NET mode has 0..3 for sockets A-D).
    static constexpr hal::LinkId kLink = hal::links::kNtp;
    /// The NTP server port.
    static constexpr std::uint16_t kPort = 123;
    /// How long one server has to answer (including the name lookup).
    static constexpr std::uint32_t kReplyTimeoutMs = 5000;
    /// Next attempt after a round in which no server answered.
    static constexpr std::uint32_t kRetryMs = 60000;
    /// Size of an SNTP packet without extensions.
    static constexpr std::size_t kPacketSize = 48;

    struct Config {
        bool enabled = false;              ///< AT+NTPEN
        std::vector<std::string> servers;  ///< AT+NTPSVR, in order, empty entries left out
        std::uint32_t period_ms = 3600000; ///< AT+NTPTM (minutes) in ms
    };
    /// The configuration in the saved parameters (a profile without NTP: disabled).
    static Config config(const params::Store& saved);

    struct Stats {
        std::uint32_t syncs = 0;       ///< clock updates
        std::uint32_t failures = 0;    ///< rounds in which no server answered
        std::uint32_t bad_replies = 0; ///< datagrams rejected by the checks above
    };

    using LogFn = std::function<void(hal::LogLevel, const std::string&)>;
    NtpClient(hal::Hal hal, WallClock& clock, Config config, LogFn log);
    ~NtpClient() override;
    NtpClient(const NtpClient&) = delete;
    NtpClient& operator=(const NtpClient&) = delete;

    /// Power-on: the first round, now or when the link attaches (nothing when disabled).
    void start();
    const Stats& stats() const { return stats_; }

    // hal::NetListener (events of kLink, and attach changes)
    void on_connected(hal::LinkId id) override;
    void on_connect_failed(hal::LinkId id, hal::NetError why) override;
    void on_data(hal::LinkId id, std::string_view bytes) override;
    void on_closed(hal::LinkId id, hal::NetError why) override;
    void on_attach_changed(bool attached) override;

private:
    enum class Phase : std::uint8_t { Idle, Opening, Waiting };

    void begin_round();
    void try_server();
    void send_request();
    void server_failed(std::string_view why);
    /// Empty when the reply is valid, else why not.
    std::string check_reply(std::string_view bytes) const;
    void accept_reply(std::string_view bytes);
    void end_round();
    void schedule(std::uint32_t ms);
    const std::string& server() const { return cfg_.servers[server_]; }
    void log(hal::LogLevel level, const std::string& line) const { log_(level, line); }

    hal::Hal hal_;
    WallClock& clock_;
    Config cfg_;
    LogFn log_;
    Timer timer_; ///< the reply timeout during a round, the next round between rounds
    Phase phase_ = Phase::Idle;
    bool in_round_ = false;
    bool waiting_for_link_ = false;   ///< a round is due but the link is down
    std::size_t server_ = 0;          ///< index into cfg_.servers during a round
    std::array<char, 8> origin_{};    ///< transmit timestamp of the request in flight
    std::uint64_t sent_local_ms_ = 0; ///< HAL time of that request
    std::uint16_t request_number_ = 0;
    Stats stats_;
};

} // namespace dtu::device
