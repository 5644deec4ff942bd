// NTP time update end to end (G771 §2.6.4): dtu-sim's PTY on one side, an SNTP responder on
// 127.0.0.1 on the other, reached through --ntp-port (the test cannot bind UDP port 123).
#include <atomic>
#include <cstdint>
#include <string>
#include <thread>

#include <QJsonDocument>
#include <QJsonObject>
#include <gtest/gtest.h>
#include <httplib.h>

#include "at_session.hpp"
#include "net_peer.hpp"
#include "serial_client.hpp"
#include "sim_process.hpp"
#include "wait.hpp"

namespace dtu::itest {
namespace {

using namespace std::chrono_literals;

constexpr std::uint64_t kServerTime = 1935817689 + 2208988800ull; // 2031-05-06 07:08:09 UTC, NTP era 0

/// An SNTP server (RFC 4330) on 127.0.0.1 that always says it is kServerTime, in its own thread.
class SntpResponder {
public:
    SntpResponder() : thread_([this] { run(); }) {}
    ~SntpResponder() {
        stop_ = true;
        thread_.join();
    }
    std::uint16_t port() const { return udp_.port(); }
    int requests() const { return requests_; }

private:
    void run() {
        std::string request;
        while (!stop_) {
            if (!udp_.receive(request, 50ms)) continue;
            if (request.size() < 48 || (request[0] & 7) != 3) continue; // not a client request
            ++requests_;
            std::string reply(48, '\0');
            reply[0] = 0x24;                               // LI 0, VN 4, mode 4 (server)
            reply[1] = 1;                                  // stratum 1
            reply.replace(12, 4, std::string("GPS\0", 4)); // reference id
            reply.replace(24, 8, request.substr(40, 8));   // origin = the client's transmit timestamp
            for (std::size_t at : {16u, 32u, 40u})         // reference, receive, transmit
                for (std::size_t i = 0; i < 4; ++i)
                    reply[at + i] = static_cast<char>(kServerTime >> (24 - 8 * i) & 0xFF);
            udp_.reply(reply);
        }
    }

    UdpServer udp_;
    std::atomic<bool> stop_{false};
    std::atomic<int> requests_{0};
    std::thread thread_; // last: starts after the socket exists
};

/// A booted device, configured by AT commands, saved, restarted and back in command mode.
struct Device {
    Device(std::initializer_list<std::string> commands, const SntpResponder& ntp)
        : sim({"--ntp-port", std::to_string(ntp.port()), "--control", "127.0.0.1:0"}) {
        EXPECT_TRUE(sim.start());
        port = std::make_unique<SerialClient>(sim.serial());
        EXPECT_EQ(port->read_until(kStartMessage, 3s), kStartMessage);
        configure_and_restart(*port, commands);
        enter_command_mode(*port);
    }
    /// Ask AT+CCLK until it shows a time on 2031-05-06 (the responder's day), or timeout.
    std::string wait_for_synced_cclk(std::chrono::milliseconds timeout) {
        std::string answer;
        wait_until(
            [&] {
                answer = at_command(*port, "AT+CCLK");
                return answer.find("31/05/06") != std::string::npos;
            },
            timeout, 100ms);
        return answer;
    }
    QJsonObject status() {
        httplib::Client api(sim.control());
        const auto r = api.Get("/api/v1/status");
        if (!r || r->status != 200) return {};
        return QJsonDocument::fromJson(QByteArray::fromStdString(r->body)).object();
    }
    SimProcess sim;
    std::unique_ptr<SerialClient> port;
};

/// "+CCLK:"31/05/06,15:08:ss+32"" with ss a few seconds after 09 (UTC+8, the simulator's zone).
void expect_responder_time(const std::string& answer) {
    const std::string head = "\r\n+CCLK:\"31/05/06,15:08:";
    ASSERT_EQ(answer.substr(0, head.size()), head) << answer;
    const int seconds = std::stoi(answer.substr(head.size(), 2));
    EXPECT_GE(seconds, 9) << answer;
    EXPECT_LE(seconds, 20) << answer;
    EXPECT_EQ(answer.substr(head.size() + 2), "+32\"\r\n\r\nOK\r\n");
}

TEST(NtpEndToEnd, CclkShowsTheTimeFromTheConfiguredServer) {
    SntpResponder ntp;
    Device dut({"AT+NTPEN=ON", "AT+NTPSVR=127.0.0.1", "AT+SOCKAEN=OFF"}, ntp);
    expect_responder_time(dut.wait_for_synced_cclk(10s));
    EXPECT_GE(ntp.requests(), 1);
    const QJsonObject s = dut.status();
    EXPECT_TRUE(s.value("clock_synced").toBool()) << dut.sim.err();
    EXPECT_EQ(s.value("ntp_syncs").toInt(), 1);
    EXPECT_EQ(s.value("ntp_failures").toInt(), 0);
    EXPECT_EQ(s.value("ntp_bad_replies").toInt(), 0);
}

TEST(NtpEndToEnd, ASilentServerIsSkippedForTheNextOne) {
    SntpResponder ntp; // on 127.0.0.1 only: nothing answers on 127.0.0.2
    Device dut({"AT+NTPEN=ON", "AT+NTPSVR=127.0.0.2,127.0.0.1", "AT+SOCKAEN=OFF"}, ntp);
    expect_responder_time(dut.wait_for_synced_cclk(15s)); // the first server's 5 s timeout, then the second
    const QJsonObject s = dut.status();
    EXPECT_EQ(s.value("ntp_syncs").toInt(), 1);
    EXPECT_EQ(s.value("ntp_failures").toInt(), 0) << "the round succeeded with its second server";
}

TEST(NtpEndToEnd, NtpPortOptionIsDocumentedAndChecked) {
    const RunResult help = run_sim({"--help"});
    EXPECT_NE(help.out.find("--ntp-port"), std::string::npos) << help.out;
    for (const char* bad : {"0", "65536", "x", ""}) {
        TempDir dir;
        const RunResult r = run_sim({"--state-dir", (dir.path() / "state").string(), "--ntp-port", bad});
        EXPECT_TRUE(r.status.exited() && r.status.code == 2) << bad << ": " << r.status.describe();
        EXPECT_NE(r.err.find("--ntp-port"), std::string::npos) << r.err;
    }
}

} // namespace
} // namespace dtu::itest
