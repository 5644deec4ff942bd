#include "ntp_client.hpp"

#include <algorithm>
#include <cstdio>

#include "link_router.hpp"

namespace dtu::device {
namespace {

/// Seconds from 1900-01-01 (NTP era 0) to 1970-01-01 (unix).
constexpr std::int64_t kNtpToUnix = 2208988800;
constexpr std::size_t kOriginAt = 24, kReceiveAt = 32, kTransmitAt = 40;

/// Unix milliseconds as a 64-bit NTP timestamp (32.32 fixed point, seconds wrap at the era).
std::uint64_t to_ntp(std::int64_t unix_ms) {
    const auto seconds = static_cast<std::uint64_t>(unix_ms / 1000 + kNtpToUnix) & 0xFFFFFFFFu;
    const auto fraction = (static_cast<std::uint64_t>(unix_ms % 1000) << 32) / 1000;
    return seconds << 32 | fraction;
}

/// An NTP timestamp as unix milliseconds. RFC 4330 §3: with the top bit of the seconds clear the
/// time is in era 1 (from 2036-02-07 06:28:16 UTC on).
std::int64_t to_unix_ms(std::uint64_t ntp) {
    auto seconds = static_cast<std::int64_t>(ntp >> 32);
    if ((seconds & 0x80000000) == 0) seconds += std::int64_t{1} << 32;
    const auto ms = static_cast<std::int64_t>(((ntp & 0xFFFFFFFFu) * 1000) >> 32);
    return (seconds - kNtpToUnix) * 1000 + ms;
}

std::uint64_t read64(std::string_view b, std::size_t at) {
    std::uint64_t v = 0;
    for (std::size_t i = 0; i < 8; ++i)
        v = v << 8 | static_cast<unsigned char>(b[at + i]);
    return v;
}

void write64(std::string& b, std::size_t at, std::uint64_t v) {
    for (std::size_t i = 0; i < 8; ++i)
        b[at + i] = static_cast<char>(v >> (56 - 8 * i) & 0xFF);
}

/// "+12.345 s"
std::string seconds_text(std::int64_t ms) {
    const std::uint64_t magnitude =
        ms < 0 ? 0 - static_cast<std::uint64_t>(ms) : static_cast<std::uint64_t>(ms);
    char buf[40];
    std::snprintf(buf, sizeof buf, "%c%llu.%03u s", ms < 0 ? '-' : '+',
                  static_cast<unsigned long long>(magnitude / 1000), static_cast<unsigned>(magnitude % 1000));
    return buf;
}

} // namespace

NtpClient::Config NtpClient::config(const params::Store& saved) {
    Config c;
    c.enabled = saved.on("NTPEN");
    if (const params::Values* servers = saved.find("NTPSVR"))
        for (const std::string& s : *servers)
            if (!s.empty()) c.servers.push_back(s);
    const auto minutes = std::clamp<std::int64_t>(saved.number("NTPTM", 0, 60), 1, 65535);
    c.period_ms = static_cast<std::uint32_t>(minutes) * 60000u;
    return c;
}

NtpClient::NtpClient(hal::Hal hal, WallClock& clock, Config config, LogFn log)
    : hal_(hal), clock_(clock), cfg_(std::move(config)), log_(std::move(log)), timer_(hal.clock) {}

NtpClient::~NtpClient() {
    if (in_round_) hal_.net.close(kLink);
}

void NtpClient::start() {
    if (!cfg_.enabled) return;
    if (cfg_.servers.empty()) {
        log(hal::LogLevel::Warn, "NTP: enabled but no server configured");
        return;
    }
    begin_round();
}

void NtpClient::begin_round() {
    if (!hal_.net.attached()) {
        waiting_for_link_ = true;
        log(hal::LogLevel::Debug, "NTP: waiting for the data link");
        return;
    }
    waiting_for_link_ = false;
    in_round_ = true;
    server_ = 0;
    try_server();
}

void NtpClient::try_server() {
    phase_ = Phase::Opening;
    timer_.start(kReplyTimeoutMs, [this] {
        server_failed("no answer within " + std::to_string(kReplyTimeoutMs / 1000) + " s");
    });
    hal_.net.open(kLink, hal::Proto::Udp, server(), kPort);
}

void NtpClient::send_request() {
    // RFC 4330 §5: LI 0, VN 4, mode 3 (client); everything else zero but the transmit timestamp.
    std::string request(kPacketSize, '\0');
    request[0] = static_cast<char>(0 << 6 | 4 << 3 | 3);
    const std::uint64_t stamp = (to_ntp(clock_.unix_ms()) & ~std::uint64_t{0xFFFF}) | ++request_number_;
    write64(request, kTransmitAt, stamp);
    std::copy(request.begin() + kTransmitAt, request.begin() + kTransmitAt + 8, origin_.begin());
    sent_local_ms_ = hal_.clock.now_ms();
    phase_ = Phase::Waiting;
    if (!hal_.net.send(kLink, request)) server_failed("send refused");
}

void NtpClient::on_connected(hal::LinkId id) {
    if (id == kLink && phase_ == Phase::Opening) send_request();
}

void NtpClient::on_connect_failed(hal::LinkId id, hal::NetError why) {
    if (id == kLink && in_round_) server_failed(net_error_name(why));
}

void NtpClient::on_closed(hal::LinkId id, hal::NetError why) {
    if (id == kLink && in_round_) server_failed(net_error_name(why));
}

void NtpClient::on_data(hal::LinkId id, std::string_view bytes) {
    if (id != kLink || phase_ != Phase::Waiting) return;
    const std::string why = check_reply(bytes);
    if (why.empty()) {
        accept_reply(bytes);
        return;
    }
    ++stats_.bad_replies;
    log(hal::LogLevel::Warn, "NTP: reply from " + server() + " ignored: " + why);
}

void NtpClient::on_attach_changed(bool attached) {
    if (!cfg_.enabled) return;
    if (attached) {
        if (waiting_for_link_) begin_round();
        return;
    }
    if (!in_round_) return;
    log(hal::LogLevel::Info, "NTP: data link lost, time update postponed");
    end_round();
    waiting_for_link_ = true;
}

std::string NtpClient::check_reply(std::string_view b) const {
    if (b.size() < kPacketSize) return "too short (" + std::to_string(b.size()) + " bytes)";
    const auto first = static_cast<unsigned char>(b[0]);
    const int leap = first >> 6, version = first >> 3 & 7, mode = first & 7;
    if (mode != 4) return "mode " + std::to_string(mode) + ", not 4 (server)";
    if (version < 1 || version > 4) return "version " + std::to_string(version);
    if (leap == 3) return "server clock not synchronised (leap indicator 3)";
    const auto stratum = static_cast<unsigned char>(b[1]);
    if (stratum == 0) {
        std::string code; // kiss-o'-death: the reference id is a 4-letter code (RFC 4330 §8)
        for (std::size_t i = 12; i < 16; ++i)
            if (b[i] >= 0x20 && b[i] < 0x7F) code += b[i];
        return "kiss-o'-death " + code;
    }
    if (stratum > 15) return "stratum " + std::to_string(stratum);
    if (!std::equal(origin_.begin(), origin_.end(), b.begin() + kOriginAt))
        return "origin timestamp is not the request's";
    if (read64(b, kTransmitAt) == 0) return "transmit timestamp is zero";
    return {};
}

void NtpClient::accept_reply(std::string_view b) {
    const std::uint64_t received = hal_.clock.now_ms();
    const std::int64_t transmit = to_unix_ms(read64(b, kTransmitAt));
    auto round_trip = static_cast<std::int64_t>(received - sent_local_ms_);
    // RFC 4330 §5: delay = (T4 - T1) - (T3 - T2); without a plausible T2 the whole round trip.
    if (const std::uint64_t t2 = read64(b, kReceiveAt); t2 != 0) {
        const std::int64_t held = transmit - to_unix_ms(t2);
        if (held >= 0 && held <= round_trip) round_trip -= held;
    }
    const std::int64_t now = transmit + round_trip / 2;
    const std::int64_t offset = now - clock_.unix_ms();
    clock_.set(now, received);
    ++stats_.syncs;
    log(hal::LogLevel::Info, "NTP: time set from " + server() + " (offset " + seconds_text(offset) +
                                 ", round trip " + std::to_string(round_trip) + " ms)");
    end_round();
    schedule(cfg_.period_ms);
}

void NtpClient::server_failed(std::string_view why) {
    log(hal::LogLevel::Info, "NTP: " + server() + ": " + std::string(why));
    hal_.net.close(kLink);
    timer_.cancel();
    phase_ = Phase::Idle;
    if (++server_ < cfg_.servers.size()) {
        try_server();
        return;
    }
    end_round();
    ++stats_.failures;
    const std::uint32_t retry = std::min(kRetryMs, cfg_.period_ms);
    log(hal::LogLevel::Warn,
        "NTP: time update failed (no server answered), next try in " + std::to_string(retry / 1000) + " s");
    schedule(retry);
}

void NtpClient::end_round() {
    if (in_round_) hal_.net.close(kLink);
    timer_.cancel();
    phase_ = Phase::Idle;
    in_round_ = false;
}

void NtpClient::schedule(std::uint32_t ms) {
    timer_.start(ms, [this] { begin_round(); });
}

} // namespace dtu::device
