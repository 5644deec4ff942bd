// The real-time scenario broker (sim/scenario/mosquitto_broker.hpp) on its own: a mosquitto process
// it starts, driven by its BrokerPeer operations, against mosquitto_sub / mosquitto_pub and raw
// TCP clients as the device would be.
#include "sim/scenario/mosquitto_broker.hpp"

#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <filesystem>
#include <memory>
#include <string>

#include <boost/asio/io_context.hpp>
#include <gtest/gtest.h>

#include "child_process.hpp"
#include "loopback.hpp"
#include "mosquitto_broker.hpp"
#include "run_io.hpp"
#include "wait.hpp"

namespace dtu::itest {
namespace {

using namespace std::chrono_literals;
using sim::scenario::BrokerReceived;
using sim::scenario::BrokerSpec;
using ScenarioBroker = sim::scenario::MosquittoBroker;

/// mosquitto_sub as the device: a session with a client id, a will, and one subscription.
std::unique_ptr<ChildProcess> device(std::uint16_t port, const std::string& id,
                                     std::vector<std::string> extra = {}) {
    SpawnOptions o;
    o.argv = {"mosquitto_sub",
              "-h",
              "127.0.0.1",
              "-p",
              std::to_string(port),
              "-i",
              id,
              "-V",
              "311",
              "-k",
              "30",
              "-c",
              "-t",
              "/SubTopic1",
              "--will-topic",
              "/will",
              "--will-payload",
              "offline",
              "--will-qos",
              "1"};
    o.argv.insert(o.argv.end(), extra.begin(), extra.end());
    return std::make_unique<ChildProcess>(o);
}

/// A raw TCP connection to 127.0.0.1:port (-1 if refused).
struct RawClient {
    explicit RawClient(std::uint16_t port) {
        fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
        const sockaddr_in a = loopback(port);
        if (::connect(fd, reinterpret_cast<const sockaddr*>(&a), sizeof a) != 0) {
            ::close(fd);
            fd = -1;
        }
    }
    ~RawClient() {
        if (fd >= 0) ::close(fd);
    }
    bool send(const std::string& bytes) const {
        return ::send(fd, bytes.data(), bytes.size(), MSG_NOSIGNAL) == static_cast<ssize_t>(bytes.size());
    }
    /// Something (or the end) can be read now.
    bool readable() const {
        pollfd p{fd, POLLIN, 0};
        return ::poll(&p, 1, 0) > 0;
    }
    /// Read what is there now; false once the peer has closed (or reset) the connection.
    bool read_now(std::string& got) const {
        char buf[256];
        for (;;) {
            const ssize_t n = ::recv(fd, buf, sizeof buf, MSG_DONTWAIT);
            if (n > 0) {
                got.append(buf, static_cast<std::size_t>(n));
                continue;
            }
            return n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK);
        }
    }
    int fd = -1;
};

/// A minimal MQTT 3.1.1 CONNECT (client id "raw", clean session, keep-alive 60).
const std::string kConnect("\x10\x0f\x00\x04MQTT\x04\x02\x00\x3c\x00\x03raw", 17);

class ScenarioBrokerTest : public ::testing::Test {
protected:
    std::unique_ptr<ScenarioBroker> make(BrokerSpec spec = {}) {
        spec.name = "cloud";
        return std::make_unique<ScenarioBroker>(spec, io, [this] { return now; });
    }
    template <typename Predicate> bool run(Predicate done, std::chrono::milliseconds timeout = 10s) {
        return run_until(io, done, timeout);
    }
    /// Run the io_context until the front closes c; what c received before.
    std::string until_closed(const RawClient& c) {
        std::string got;
        EXPECT_TRUE(run([&] { return !c.read_now(got); })) << "the connection was not closed";
        return got;
    }
    static bool connected(const ScenarioBroker& b, const std::string& id) {
        const auto s = b.session(id);
        return s && s->connected;
    }

    boost::asio::io_context io;
    sim::scenario::Duration now{1234};
};

TEST_F(ScenarioBrokerTest, StartsListeningAndSeesTheSession) {
    auto broker = make();
    ASSERT_TRUE(tcp_accepts(broker->port()));
    EXPECT_FALSE(broker->session("dev1")) << "never connected";
    auto dev = device(broker->port(), "dev1");
    ASSERT_TRUE(wait_until([&] { return connected(*broker, "dev1"); }, 10s)) << broker->log();
    ASSERT_TRUE(wait_until([&] { return !broker->session("dev1")->subscriptions.empty(); }, 10s));
    const auto s = *broker->session("dev1");
    EXPECT_EQ(s.client_id, "dev1");
    EXPECT_EQ(s.protocol_level, 4);
    EXPECT_EQ(s.keepalive_s, 30);
    EXPECT_FALSE(s.clean_session); // -c
    EXPECT_EQ(s.username, "");
    EXPECT_EQ(s.subscriptions, std::vector<std::string>{"/SubTopic1"});
    EXPECT_EQ(broker->session("")->client_id, "dev1") << "the last client, not the observer";
}

TEST_F(ScenarioBrokerTest, AcceptsTheSpecsUsersAndRefusesOthers) {
    BrokerSpec spec;
    spec.users = {{"dtu", "secret"}};
    spec.allow_anonymous = false;
    auto broker = make(spec);
    EXPECT_TRUE(
        mqtt_publish(broker->port(), "/a", "ok", 0, false, {"-u", "dtu", "-P", "secret", "-i", "good"}))
        << broker->log();
    EXPECT_FALSE(
        mqtt_publish(broker->port(), "/a", "no", 0, false, {"-u", "dtu", "-P", "wrong", "-i", "bad"}));
    EXPECT_FALSE(mqtt_publish(broker->port(), "/a", "no", 0, false, {"-i", "anonymous"}));
    ASSERT_TRUE(run([&] { return broker->received().size() == 1; }));
    EXPECT_EQ(broker->received()[0].payload, "ok");
    EXPECT_EQ(broker->session("good")->username, "dtu");
    EXPECT_FALSE(broker->session("bad")) << "a refused CONNECT makes no session";
}

TEST_F(ScenarioBrokerTest, ReceivedHoldsAQos1RetainedPublishWithItsFlags) {
    auto broker = make();
    ASSERT_TRUE(mqtt_publish(broker->port(), "/PubTopic1", "hello", 1, true, {"-V", "311"}));
    ASSERT_TRUE(mqtt_publish(broker->port(), "/PubTopic2", "plain", 0, false, {"-V", "311"}));
    ASSERT_TRUE(run([&] { return broker->received().size() == 2; })) << broker->log();
    const BrokerReceived& r = broker->received()[0];
    EXPECT_EQ(r.topic, "/PubTopic1");
    EXPECT_EQ(r.payload, "hello");
    EXPECT_EQ(r.qos, 1);
    EXPECT_TRUE(r.retain) << "retain as published";
    EXPECT_FALSE(r.will);
    EXPECT_EQ(r.at, now);
    EXPECT_EQ(broker->received()[1].qos, 0);
    EXPECT_FALSE(broker->received()[1].retain);
}

TEST_F(ScenarioBrokerTest, TheWillOfAnAbnormalEndIsToldApart) {
    auto broker = make();
    auto dev = device(broker->port(), "dev1");
    ASSERT_TRUE(wait_until([&] { return connected(*broker, "dev1"); }, 10s)) << broker->log();
    // The same topic published while the session is alive is not a will.
    ASSERT_TRUE(mqtt_publish(broker->port(), "/will", "not yet", 1, false));
    ASSERT_TRUE(run([&] { return broker->received().size() == 1; }));
    EXPECT_FALSE(broker->received()[0].will);
    dev->signal(SIGKILL); // no DISCONNECT
    ASSERT_TRUE(run([&] { return broker->received().size() == 2; })) << broker->log();
    const BrokerReceived& w = broker->received()[1];
    EXPECT_EQ(w.topic, "/will");
    EXPECT_EQ(w.payload, "offline");
    EXPECT_EQ(w.qos, 1);
    EXPECT_TRUE(w.will);
    EXPECT_FALSE(broker->session("dev1")->connected);
}

TEST_F(ScenarioBrokerTest, ADisconnectDropsTheWill) {
    auto broker = make();
    auto dev = device(broker->port(), "dev1");
    ASSERT_TRUE(wait_until([&] { return connected(*broker, "dev1"); }, 10s));
    dev->terminate(); // mosquitto_sub sends DISCONNECT on SIGTERM
    ASSERT_TRUE(wait_until([&] { return !connected(*broker, "dev1"); }, 10s));
    ASSERT_TRUE(mqtt_publish(broker->port(), "/will", "later", 0, false));
    ASSERT_TRUE(run([&] { return broker->received().size() == 1; }))
        << broker->received().size() << " messages; " << broker->log();
    EXPECT_FALSE(broker->received()[0].will);
}

TEST_F(ScenarioBrokerTest, PublishReachesSubscribersButNotReceived) {
    auto broker = make();
    ASSERT_TRUE(broker->publish("/SubTopic1", "from the cloud", 1, true));
    MqttSubscriber late(broker->port(), "/SubTopic1"); // after the publish: the retained copy
    EXPECT_TRUE(late.wait_for("/SubTopic1 from the cloud")) << broker->log();
    ASSERT_TRUE(mqtt_publish(broker->port(), "/x", "marker"));
    ASSERT_TRUE(run([&] { return !broker->received().empty(); }));
    ASSERT_EQ(broker->received().size(), 1u) << "the observer's own publish is not the device's";
    EXPECT_EQ(broker->received()[0].payload, "marker");
}

TEST_F(ScenarioBrokerTest, DownRefusesTheSamePortAndUpComesBackKeepingRetained) {
    auto broker = make();
    const std::uint16_t port = broker->port();
    ASSERT_TRUE(broker->publish("/kept", "retained", 0, true));
    broker->set_state("down", 0);
    EXPECT_FALSE(tcp_accepts(port));
    EXPECT_FALSE(broker->publish("/x", "y", 0, false));
    broker->set_state("up", 0);
    EXPECT_EQ(broker->port(), port);
    EXPECT_TRUE(tcp_accepts(port));
    MqttSubscriber sub(port, "/kept");
    EXPECT_TRUE(sub.wait_for("/kept retained")) << "persistence keeps it across a restart";
}

TEST_F(ScenarioBrokerTest, RefusingAnswersConnackAndSilentNothing) {
    auto broker = make();
    broker->set_state("refusing", 3);
    {
        RawClient c(broker->port());
        ASSERT_GE(c.fd, 0);
        ASSERT_TRUE(c.send(kConnect));
        EXPECT_EQ(until_closed(c), std::string("\x20\x02\x00\x03", 4));
    }
    broker->set_state("silent", 0);
    RawClient c(broker->port());
    ASSERT_GE(c.fd, 0);
    ASSERT_TRUE(c.send(kConnect));
    EXPECT_FALSE(run([&] { return c.readable(); }, 500ms)) << "no CONNACK while silent";
    broker->set_state("up", 0); // closes what the front still holds, without an answer
    EXPECT_EQ(until_closed(c), "");
    EXPECT_TRUE(mqtt_publish(broker->port(), "/back", "up"));
}

TEST_F(ScenarioBrokerTest, DropConnectionsRestartsTheBroker) {
    auto broker = make();
    auto dev = device(broker->port(), "dev1");
    ASSERT_TRUE(wait_until([&] { return connected(*broker, "dev1"); }, 10s));
    const pid_t before = broker->pid();
    broker->drop_connections(false);
    EXPECT_NE(broker->pid(), before);
    // mosquitto publishes the wills of the clients connected as it shuts down.
    ASSERT_TRUE(run([&] { return broker->received().size() == 1; })) << broker->log();
    EXPECT_TRUE(broker->received()[0].will);
    EXPECT_EQ(broker->received()[0].payload, "offline");
    ASSERT_TRUE(mqtt_publish(broker->port(), "/after", "restart"));
    ASSERT_TRUE(run([&] { return broker->received().size() == 2; })) << "the observer is back";
    EXPECT_FALSE(broker->received()[1].will);
}

TEST_F(ScenarioBrokerTest, TheDestructorStopsAndReapsTheProcessAndRemovesItsFiles) {
    auto broker = make();
    const pid_t pid = broker->pid();
    const std::uint16_t port = broker->port();
    const std::filesystem::path dir = broker->dir();
    ASSERT_GT(pid, 0);
    ASSERT_TRUE(std::filesystem::exists(dir / "mosquitto.conf"));
    broker.reset();
    EXPECT_EQ(::kill(pid, 0), -1) << "neither running nor a zombie";
    EXPECT_EQ(errno, ESRCH);
    EXPECT_FALSE(tcp_accepts(port));
    EXPECT_FALSE(std::filesystem::exists(dir));
}

TEST_F(ScenarioBrokerTest, RefusedClientIdsCannotBeExpressed) {
    BrokerSpec spec;
    spec.refused_client_ids = {"banned"};
    EXPECT_THROW(make(spec), std::invalid_argument);
}

} // namespace
} // namespace dtu::itest
