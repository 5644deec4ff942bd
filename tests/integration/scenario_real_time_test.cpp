// `dtu-sim scenario --real-time` against real peers: an undeclared host the device really connects
// to (socat), declared servers listening on loopback ports, a real mosquitto broker through the
// module's MQTT service, HTTPS to `openssl s_server`. And the clock needs: a `clock: real` scenario
// is skipped without the flag, a `clock: virtual` one with it, and a real-time trace is not
// replayable.
#include <chrono>
#include <filesystem>
#include <string>

#include <gtest/gtest.h>

#include "child_process.hpp"
#include "loopback.hpp"
#include "mosquitto_broker.hpp"
#include "openssl_server.hpp"
#include "scenario_cli_fixture.hpp"
#include "test_pki.hpp"
#include "wait.hpp"

namespace dtu::itest {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

class ScenarioRealTime : public ScenarioCliFixture {
protected:
    /// dtu-sim scenario --real-time FILE (ctest gives each test 60 s).
    CliRun run_real_time(const std::string& file, std::vector<std::string> extra = {}) {
        std::vector<std::string> args{"scenario", "--real-time", file};
        args.insert(args.end(), extra.begin(), extra.end());
        return dtu_sim(args, 50s);
    }
};

/// socat as an echo server on a free 127.0.0.1 port, listening when constructed.
class SocatEcho {
public:
    SocatEcho() : port_(free_tcp_port()) {
        SpawnOptions o;
        o.argv = {"socat", "TCP-LISTEN:" + std::to_string(port_) + ",bind=127.0.0.1,reuseaddr,fork",
                  "EXEC:cat"};
        child_ = std::make_unique<ChildProcess>(o);
        listening_ = wait_until([&] { return tcp_listening(port_); }, 5s);
    }
    std::uint16_t port() const { return port_; }
    bool listening() const { return listening_; }

private:
    std::uint16_t port_;
    std::unique_ptr<ChildProcess> child_;
    bool listening_ = false;
};

std::string echo_scenario(std::uint16_t port) {
    return R"(name: real tcp echo
clock: real
params:
  - "AT+SOCKA=TCP,127.0.0.1,)" +
           std::to_string(port) + R"("
  - "AT+HEARTEN=OFF"
steps:
  - expect_status: {sockets.0.state: connected, timeout: 10s}
  - serial_write: "hello socat"
  - serial_expect: {text: "hello socat", timeout: 10s}
  - expect_status: {net.counters.connects: 1}
)";
}

TEST_F(ScenarioRealTime, AClockRealScenarioIsSkippedWithoutTheFlag) {
    const std::string file = write_file("echo.yaml", echo_scenario(9)); // nothing runs: no peer needed
    const CliRun r = dtu_sim({"scenario", file});
    EXPECT_EQ(r.code, 0) << r.out << r.err;
    EXPECT_NE(r.out.find("1 skipped"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("run it with --real-time"), std::string::npos) << r.out;
}

TEST_F(ScenarioRealTime, AClockVirtualScenarioIsSkippedInRealTime) {
    // Exact +CCLK answers from the fixed network epoch: meaningless on the host's clock.
    const std::string cclk = (fs::path(DTU_SOURCE_DIR) / "scenarios/38_network_time_cclk.yaml").string();
    const CliRun r = run_real_time(cclk);
    EXPECT_EQ(r.code, 0) << r.out << r.err;
    EXPECT_NE(r.out.find("1 skipped"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("run it without --real-time"), std::string::npos) << r.out;
}

TEST_F(ScenarioRealTime, TheDeviceReachesAnUndeclaredRealPeer) {
    SocatEcho echo;
    ASSERT_TRUE(echo.listening()) << "socat did not listen on " << echo.port();
    const CliRun r = run_real_time(write_file("echo.yaml", echo_scenario(echo.port())));
    EXPECT_EQ(r.code, 0) << r.out << r.err;
    EXPECT_NE(r.out.find("1 scenario(s): 1 passed"), std::string::npos) << r.out;
}

TEST_F(ScenarioRealTime, TheSameEchoFailsWhenThePeerIsNotThere) {
    // The expectation that passes above can fail: nobody listens, so the connect is refused.
    const CliRun r = run_real_time(write_file("echo.yaml", echo_scenario(free_tcp_port())));
    EXPECT_EQ(r.code, 1) << r.out << r.err;
    EXPECT_NE(r.out.find("sockets.0.state: expected \"connected\""), std::string::npos) << r.out;
}

TEST_F(ScenarioRealTime, DeclaredServersListenOnLoopbackAndTheTraceIsNotReplayable) {
    const std::string quick_start =
        (fs::path(DTU_SOURCE_DIR) / "scenarios/01_quick_start_echo.yaml").string();
    const CliRun r = run_real_time(quick_start, {"--trace", dir_.string()});
    EXPECT_EQ(r.code, 0) << r.out << r.err;
    EXPECT_NE(r.out.find("1 scenario(s): 1 passed"), std::string::npos) << r.out;
    const std::string trace = slurp(dir_ / "01_quick_start_echo.jsonl");
    EXPECT_NE(trace.find(R"("clock":"real")"), std::string::npos) << trace.substr(0, 400);
    EXPECT_NE(trace.find("listens on 127.0.0.1:"), std::string::npos) << "the redirect is logged";

    const CliRun replay = dtu_sim({"replay", (dir_ / "01_quick_start_echo.jsonl").string()});
    EXPECT_EQ(replay.code, 4) << replay.out << replay.err;
    EXPECT_NE(replay.err.find("recorded with --real-time"), std::string::npos) << replay.err;
}

TEST_F(ScenarioRealTime, MqttThroughARealMosquittoBroker) {
    MosquittoBroker broker;
    MqttSubscriber sub(broker.port(), "/PubTopic1");
    // The device subscribes to its own publish topic (GM5 §2.4), so the broker hands the serial
    // bytes back: a round trip through the real broker seen from the serial port alone.
    const std::string file = write_file("mqtt.yaml", R"(name: mqtt loop through mosquitto
clock: real
params:
  - "AT+WKMOD=MQTT,NOR"
  - "AT+MQTTSVR=127.0.0.1,)" + std::to_string(broker.port()) +
                                                         R"("
  - "AT+MQTTCID=dtu-scenario"
  - "AT+MQTTSUBTP=1,1,/PubTopic1,0"
steps:
  - expect_status: {mqtt.state: connected, timeout: 15s}
  - serial_write: "hello broker"
  - serial_expect: {text: "hello broker", timeout: 10s}
  - expect_status: {mqtt_service.client_id: dtu-scenario}
)");
    const CliRun r = run_real_time(file);
    EXPECT_EQ(r.code, 0) << r.out << r.err << broker.log();
    EXPECT_TRUE(sub.wait_for("/PubTopic1 hello broker")) << "the broker itself received the publish";
}

TEST_F(ScenarioRealTime, HttpsToOpensslServer) {
    OpensslServer server(test_pki().server, {"-www"}); // answers a GET with a page about itself
    const std::string file = write_file("https.yaml", R"(name: https to s_server
clock: real
params:
  - "AT+WKMOD=HTTPD"
  - "AT+HTPSV=127.0.0.1,)" + std::to_string(server.port()) +
                                                          R"("
  - "AT+SSLEN=ON"
  - "AT+SSLAUTH=NONE"
steps:
  - wait: 200ms
  - serial_write: "data=1"
  - serial_expect: {text: "Ciphers supported in s_server binary", timeout: 10s}
  - expect_status: {net.counters.tls_failures: 0, httpd.responses: 1, timeout: 5s}
    name: "counted once the server has closed: HTTP/1.0 has no length"
)");
    const CliRun r = run_real_time(file);
    EXPECT_EQ(r.code, 0) << r.out << r.err << server.output();
}

} // namespace
} // namespace dtu::itest
