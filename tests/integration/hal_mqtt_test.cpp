// hal_sim::MosquittoMqtt against a real mosquitto broker: CONNACK outcomes, protocol versions,
// publish and subscribe both ways, QoS 1, disconnect, reset, bounds, hostile brokers. The link's
// impairment is tested in hal_mqtt_link_test.cpp.
#include <array>
#include <memory>
#include <string>

#include <boost/asio/read.hpp>
#include <boost/asio/write.hpp>

#include "mqtt_harness.hpp"
#include "net_peers.hpp"

namespace dtu::itest {
namespace {

using hal::MqttError;

class MqttServiceTest : public MqttHarness {};

ConnectSpec to(const MosquittoBroker& broker, const std::string& client_id = "dtu-test") {
    ConnectSpec s;
    s.port = broker.port();
    s.client_id = client_id;
    return s;
}

TEST_F(MqttServiceTest, ConnectsThroughTheRelayAndReportsConnackZero) {
    MosquittoBroker broker;
    ASSERT_TRUE(connect_and_wait(to(broker, "dtu-hello")));
    const auto snap = mqtt->snapshot();
    EXPECT_EQ(snap.state, hal_sim::MqttServiceState::Connected);
    EXPECT_EQ(snap.broker, "127.0.0.1:" + std::to_string(broker.port()));
    EXPECT_EQ(snap.client_id, "dtu-hello");
    EXPECT_EQ(snap.counters.sessions, 1u);
    // The broker saw our CONNECT (MQTT 3.1.1, clean session, keep-alive 60) ...
    EXPECT_TRUE(run([&] { return broker.log().find("as dtu-hello (p2, c1, k60)") != std::string::npos; }))
        << broker.log();
    // ... over the device's link, not straight from libmosquitto.
    const auto l = relay_link();
    ASSERT_TRUE(l);
    EXPECT_EQ(l->state, hal_sim::NetLinkState::Connected);
    EXPECT_EQ(l->remote, "127.0.0.1:" + std::to_string(broker.port()));
    EXPECT_GT(l->tx_bytes, 0u);
    EXPECT_GT(l->rx_bytes, 0u);
    EXPECT_EQ(mqtt->relay().counters().sessions, 1u);
    EXPECT_EQ(mqtt->relay().counters().connects, 1u);
}

TEST_F(MqttServiceTest, WrongPasswordIsRejectedWithTheConnackCodeAndTheRightOneConnects) {
    MosquittoBroker broker({.allow_anonymous = false, .users = {{"dtu", "secret"}}});
    ConnectSpec s = to(broker);
    s.username = "dtu";
    s.password = "wrong";
    EXPECT_EQ(failure_of(s), MqttError::Rejected);
    const int code = ev.last(MKind::Failed)->connack;
    EXPECT_TRUE(code == 5 || code == 4) << "CONNACK " << code;
    EXPECT_NE(mqtt->snapshot().last_error.find("rejected (CONNACK"), std::string::npos)
        << mqtt->snapshot().last_error;
    s.password = "secret";
    EXPECT_TRUE(connect_and_wait(s)) << broker.log();
}

TEST_F(MqttServiceTest, ABrokerThatIsDownIsRefusedAndOneThatCameBackConnects) {
    MosquittoBroker broker;
    broker.stop();
    EXPECT_EQ(failure_of(to(broker)), MqttError::Refused);
    broker.start();
    EXPECT_TRUE(connect_and_wait(to(broker)));
}

TEST_F(MqttServiceTest, BothProtocolVersionsConnect) {
    MosquittoBroker broker;
    ConnectSpec v31 = to(broker, "dtu-v31");
    v31.level = 3;
    ASSERT_TRUE(connect_and_wait(v31));
    ConnectSpec v311 = to(broker, "dtu-v311");
    v311.level = 4;
    ASSERT_TRUE(connect_and_wait(v311));
    EXPECT_TRUE(run([&] {
        const std::string log = broker.log();
        return log.find("as dtu-v31 (p1,") != std::string::npos &&
               log.find("as dtu-v311 (p2,") != std::string::npos;
    })) << broker.log();
}

TEST_F(MqttServiceTest, PublishesReachASubscriberAtQos0AndQos1) {
    MosquittoBroker broker;
    MqttSubscriber sub(broker.port(), "/PubTopic1", 1);
    ASSERT_TRUE(connect_and_wait(to(broker)));
    ASSERT_TRUE(publish("/PubTopic1", "hello qos0", 0));
    ASSERT_TRUE(publish("/PubTopic1", "hello qos1", 1));
    EXPECT_TRUE(run([&] { return sub.lines().size() >= 2; }));
    EXPECT_EQ(sub.lines(), (std::vector<std::string>{"/PubTopic1 hello qos0", "/PubTopic1 hello qos1"}));
    EXPECT_TRUE(settled()) << "the PUBACK completes the QoS 1 publish";
    const auto c = mqtt->snapshot().counters;
    EXPECT_EQ(c.messages_out, 2u);
    EXPECT_EQ(c.bytes_out, 20u);
}

TEST_F(MqttServiceTest, SubscribedMessagesArriveAndUnsubscribeStopsThem) {
    MosquittoBroker broker;
    ASSERT_TRUE(connect_and_wait(to(broker)));
    ASSERT_TRUE(subscribe("/SubTopic1", 1));
    ASSERT_TRUE(subscribe("/marker", 0));
    ASSERT_TRUE(settled()) << "SUBACKs";
    ASSERT_TRUE(mqtt_publish(broker.port(), "/SubTopic1", "from the broker", 1));
    EXPECT_TRUE(run([&] { return ev.got_message("/SubTopic1", "from the broker"); }));

    ASSERT_TRUE(unsubscribe("/SubTopic1"));
    ASSERT_TRUE(settled()) << "UNSUBACK";
    ASSERT_TRUE(mqtt_publish(broker.port(), "/SubTopic1", "not for us"));
    ASSERT_TRUE(mqtt_publish(broker.port(), "/marker", "after"));
    ASSERT_TRUE(run([&] { return ev.got_message("/marker", "after"); }));
    EXPECT_FALSE(ev.got_message("/SubTopic1", "not for us")) << "the broker sends in order: it would be here";
    EXPECT_EQ(mqtt->snapshot().counters.messages_in, 2u);
}

TEST_F(MqttServiceTest, NothingWorksWithoutASession) {
    EXPECT_FALSE(publish("/t", "x"));
    EXPECT_FALSE(subscribe("/t"));
    EXPECT_FALSE(unsubscribe("/t"));
    EXPECT_EQ(mqtt->snapshot().counters.publish_no_session, 1u);
}

TEST_F(MqttServiceTest, BadParametersAreInvalid) {
    ConnectSpec s;
    s.port = 1883;
    s.host = "";
    EXPECT_EQ(failure_of(s), MqttError::Invalid);
    s.host = "127.0.0.1";
    s.port = 0;
    EXPECT_EQ(failure_of(s), MqttError::Invalid);
    s.port = 1883;
    s.client_id = "";
    s.clean = false;
    EXPECT_EQ(failure_of(s), MqttError::Invalid) << "a persistent session needs a client id";
}

TEST_F(MqttServiceTest, DisconnectSendsDisconnectSoTheWillIsNotPublished) {
    MosquittoBroker broker;
    MqttSubscriber sub(broker.port(), "test/#");
    ConnectSpec s = to(broker, "dtu-bye");
    s.will_topic = "test/will";
    ASSERT_TRUE(connect_and_wait(s));
    const std::size_t events = ev.log.size();
    disconnect();
    ASSERT_TRUE(run([&] { return broker.log().find("Client dtu-bye disconnected.") != std::string::npos; }))
        << broker.log();
    ASSERT_TRUE(mqtt_publish(broker.port(), "test/marker", "after"));
    ASSERT_TRUE(run([&] { return sub.has("test/marker after"); }));
    EXPECT_EQ(sub.lines(), (std::vector<std::string>{"test/marker after"})) << "no will";
    EXPECT_EQ(ev.log.size(), events) << "no event after disconnect()";
    EXPECT_TRUE(connect_and_wait(s)) << "ready for the next connect";
}

TEST_F(MqttServiceTest, DisconnectThenConnectAtOnceStillSaysGoodbye) {
    MosquittoBroker broker;
    MqttSubscriber sub(broker.port(), "test/#");
    ConnectSpec s = to(broker, "dtu-again");
    s.will_topic = "test/will";
    ASSERT_TRUE(connect_and_wait(s));
    disconnect();
    connect(s); // same turn of the event loop: the relay hands the DISCONNECT on before it moves on
    ASSERT_TRUE(run([&] { return ev.count(MKind::Connected) == 2; })) << broker.log();
    ASSERT_TRUE(mqtt_publish(broker.port(), "test/marker", "after"));
    ASSERT_TRUE(run([&] { return sub.has("test/marker after"); }));
    EXPECT_EQ(sub.lines(), (std::vector<std::string>{"test/marker after"})) << "no will: " << broker.log();
}

TEST_F(MqttServiceTest, ConnectOverASessionDropsItWithoutDisconnect) {
    MosquittoBroker broker;
    MqttSubscriber sub(broker.port(), "test/will");
    ConnectSpec first = to(broker, "dtu-first");
    first.will_topic = "test/will";
    first.will_payload = "first gone";
    ASSERT_TRUE(connect_and_wait(first));
    ASSERT_TRUE(connect_and_wait(to(broker, "dtu-second")));
    EXPECT_TRUE(run([&] { return sub.has("test/will first gone"); })) << broker.log();
    EXPECT_EQ(ev.count(MKind::Closed), 0u) << "the dropped session reports nothing";
}

TEST_F(MqttServiceTest, ResetDropsTheSessionAndWhatWasNotDeliveredYet) {
    MosquittoBroker broker;
    MqttSubscriber sub(broker.port(), "test/will");
    ConnectSpec s = to(broker, "dtu-reset");
    s.will_topic = "test/will";
    s.will_payload = "module reset";
    connect(s);
    // One handler at a time: stop right after CONNACK, before the posted event runs.
    ASSERT_TRUE(run_handlers([&] { return mqtt->snapshot().state == hal_sim::MqttServiceState::Connected; }));
    mqtt->reset();
    EXPECT_TRUE(run([&] { return sub.has("test/will module reset"); })) << broker.log();
    EXPECT_TRUE(ev.log.empty()) << "events of the reset session are dropped";
    EXPECT_EQ(mqtt->snapshot().state, hal_sim::MqttServiceState::Idle);
    EXPECT_TRUE(connect_and_wait(s));
}

// ---- bounds -------------------------------------------------------------------------------------

class MqttBoundsTest : public MqttHarness {
protected:
    MqttBoundsTest() : MqttHarness(options()) {}
    static hal_sim::MqttServiceOptions options() {
        hal_sim::MqttServiceOptions o;
        o.max_payload = 1024;
        o.max_pending_messages = 4;
        return o;
    }
};

TEST_F(MqttBoundsTest, OversizePublishIsRefusedAndCounted) {
    MosquittoBroker broker;
    ASSERT_TRUE(connect_and_wait(to(broker)));
    EXPECT_FALSE(publish("/t", std::string(1025, 'x')));
    EXPECT_TRUE(publish("/t", std::string(1024, 'x')));
    EXPECT_EQ(mqtt->snapshot().counters.publish_oversize, 1u);
}

TEST_F(MqttBoundsTest, TheQueueOfUnacknowledgedMessagesIsBounded) {
    MosquittoBroker broker;
    ASSERT_TRUE(connect_and_wait(to(broker)));
    configure([](hal_sim::LinkConfig& c) { c.downstream.stall = true; }); // no PUBACK comes back
    for (int i = 0; i < 4; ++i)
        ASSERT_TRUE(publish("/t", "m" + std::to_string(i), 1)) << i;
    EXPECT_FALSE(publish("/t", "one too many", 1));
    EXPECT_FALSE(subscribe("/s"));
    EXPECT_EQ(mqtt->snapshot().counters.queue_full, 2u);
    configure([](hal_sim::LinkConfig& c) { c.downstream.stall = false; });
    ASSERT_TRUE(settled());
    EXPECT_TRUE(publish("/t", "room again", 1));
}

TEST_F(MqttBoundsTest, OversizeIncomingMessageIsDroppedAndCountedThenTrafficContinues) {
    MosquittoBroker broker;
    ASSERT_TRUE(connect_and_wait(to(broker)));
    ASSERT_TRUE(subscribe("/big", 1));
    ASSERT_TRUE(settled());
    const std::string huge(10 * 1024 * 1024, 'z');
    ASSERT_TRUE(mqtt_publish(broker.port(), "/big", huge, 1));
    ASSERT_TRUE(mqtt_publish(broker.port(), "/big", "small", 1));
    ASSERT_TRUE(run([&] { return ev.got_message("/big", "small"); }, 30s));
    EXPECT_EQ(ev.count(MKind::Message), 1u);
    const auto c = mqtt->snapshot().counters;
    EXPECT_EQ(c.incoming_dropped, 1u);
    EXPECT_EQ(c.incoming_dropped_bytes, huge.size());
    EXPECT_EQ(mqtt->snapshot().state, hal_sim::MqttServiceState::Connected);
}

// ---- hostile brokers ----------------------------------------------------------------------------

class MqttHostileTest : public MqttHarness {
protected:
    MqttHostileTest() : MqttHarness(options()) {}
    static hal_sim::MqttServiceOptions options() {
        hal_sim::MqttServiceOptions o;
        o.connect_timeout = 1500ms;
        return o;
    }
    ConnectSpec at(const TcpPeer& server) {
        ConnectSpec s;
        s.port = server.port();
        return s;
    }
    /// After each misbehaviour the service still works with a real broker.
    void expect_ready() {
        MosquittoBroker broker;
        EXPECT_TRUE(connect_and_wait(to(broker)));
    }
};

TEST_F(MqttHostileTest, AServerThatClosesAtOnceIsRefused) {
    TcpPeer server(io);
    connect(at(server));
    ASSERT_TRUE(run([&] { return !server.sessions.empty(); }));
    server.close(0);
    ASSERT_TRUE(run([&] { return ev.count(MKind::Failed) == 1; }));
    EXPECT_EQ(ev.last(MKind::Failed)->why, MqttError::Refused);
    expect_ready();
}

TEST_F(MqttHostileTest, GarbageInsteadOfConnackIsAProtocolError) {
    TcpPeer server(io);
    connect(at(server));
    ASSERT_TRUE(run([&] { return !server.sessions.empty() && !server.sessions[0]->received.empty(); }));
    EXPECT_EQ(server.sessions[0]->received[0], '\x10') << "a CONNECT came through the relay";
    server.send(0, std::string("\xF0\x00", 2)); // packet type 15: reserved
    ASSERT_TRUE(run([&] { return ev.count(MKind::Failed) == 1; }));
    EXPECT_EQ(ev.last(MKind::Failed)->why, MqttError::Protocol);
    expect_ready();
}

TEST_F(MqttHostileTest, GarbageDuringASessionEndsItWithAProtocolError) {
    TcpPeer server(io);
    connect(at(server));
    ASSERT_TRUE(run([&] { return !server.sessions.empty() && !server.sessions[0]->received.empty(); }));
    server.send(0, std::string("\x20\x02\x00\x00", 4)); // CONNACK 0
    ASSERT_TRUE(run([&] { return ev.count(MKind::Connected) == 1; }));
    server.send(0, std::string("\xF0\x00", 2));
    ASSERT_TRUE(run([&] { return ev.count(MKind::Closed) == 1; }));
    EXPECT_EQ(ev.last(MKind::Closed)->why, MqttError::Protocol);
    expect_ready();
}

TEST_F(MqttHostileTest, AServerThatNeverAnswersTimesOut) {
    TcpPeer server(io);
    EXPECT_EQ(failure_of(at(server)), MqttError::Timeout);
    expect_ready();
}

TEST_F(MqttHostileTest, TheRelayServesOnlyItsOwnClient) {
    boost::asio::ip::tcp::socket stranger(io);
    stranger.connect({boost::asio::ip::address_v4::loopback(), mqtt->relay().port()});
    ASSERT_TRUE(run([&] { return mqtt->relay().counters().foreign_clients == 1; }));
    std::array<char, 16> buf{};
    boost::system::error_code ec;
    stranger.write_some(boost::asio::buffer(std::string("\x05\x01\x00", 3)), ec);
    stranger.read_some(boost::asio::buffer(buf), ec);
    EXPECT_TRUE(ec) << "closed without an answer";
    EXPECT_EQ(mqtt->relay().counters().sessions, 0u);
    expect_ready();
}

/// A local process that talks to a relay port: its answer bytes, and whether the relay closed it.
struct Stranger {
    Stranger(boost::asio::io_context& io, const std::string& from_address)
        : socket(io), buf(std::make_shared<std::array<char, 64>>()) {
        socket.open(boost::asio::ip::tcp::v4());
        socket.bind({boost::asio::ip::make_address_v4(from_address), 0});
    }
    std::uint16_t port() const { return socket.local_endpoint().port(); }
    /// Connect to the relay, send bytes, and collect whatever comes back until the relay closes.
    void speak(std::uint16_t relay_port, const std::string& bytes) {
        socket.connect({boost::asio::ip::address_v4::loopback(), relay_port});
        boost::system::error_code ec;
        boost::asio::write(socket, boost::asio::buffer(bytes), ec);
        read();
    }
    void read() {
        socket.async_read_some(boost::asio::buffer(*buf), [this, keep = buf](const auto& ec, std::size_t n) {
            if (ec == boost::asio::error::operation_aborted) return; // the stranger is gone
            answer.append(keep->data(), n);
            if (ec)
                closed = true;
            else
                read();
        });
    }
    boost::asio::ip::tcp::socket socket;
    std::shared_ptr<std::array<char, 64>> buf;
    std::string answer;
    bool closed = false;
};

// The relay's port is open to every local process. Even one that connects from the very port the
// relay expects (from another loopback address, or once it guessed the port) gets nowhere without
// the one-time credentials, while the device's own MQTT goes on through a real mosquitto.
TEST_F(MqttHostileTest, AStrangerFromTheExpectedPortCannotReachTheBroker) {
    using namespace std::string_literals;
    TcpPeer target(io); // where the stranger wants to go
    hal_sim::Socks5Relay relay(io, *net, 6, log);
    const std::string connect_target = "\x05\x01\x00\x01\x7f\x00\x00\x01"s +
                                       static_cast<char>(target.port() >> 8) +
                                       static_cast<char>(target.port() & 0xFF);

    Stranger elsewhere(io, "127.0.0.2"); // the expected port number, another loopback address
    relay.issue_credentials();
    relay.expect(elsewhere.port());
    elsewhere.speak(relay.port(), "\x05\x01\x00"s + connect_target);
    ASSERT_TRUE(run([&] { return elsewhere.closed; })) << "the relay closes it";
    EXPECT_EQ(elsewhere.answer, "") << "not one SOCKS byte for a client from another address";
    EXPECT_EQ(relay.counters().foreign_clients, 1u);

    const struct {
        const char* name;
        std::string hello;
        std::string answer;
    } tries[] = {
        {"no authentication", "\x05\x01\x00"s, "\x05\xFF"s},
        {"wrong credentials", "\x05\x02\x00\x02\x01\x04user\x04pass"s, "\x05\x02\x01\x01"s},
    };
    for (const auto& t : tries) {
        SCOPED_TRACE(t.name);
        Stranger right_port(io, "127.0.0.1");
        relay.issue_credentials();
        relay.expect(right_port.port());
        right_port.speak(relay.port(), t.hello + connect_target);
        ASSERT_TRUE(run([&] { return right_port.closed; })) << "the relay closes it";
        EXPECT_EQ(right_port.answer, t.answer);
    }
    EXPECT_EQ(relay.counters().auth_failures, 2u);
    EXPECT_EQ(relay.counters().connects, 0u);
    EXPECT_TRUE(target.sessions.empty()) << "nothing reached the target through the device's link";

    MosquittoBroker broker;
    MqttSubscriber sub(broker.port(), "/PubTopic1", 0);
    ASSERT_TRUE(connect_and_wait(to(broker))) << broker.log();
    ASSERT_TRUE(publish("/PubTopic1", "still here", 0));
    EXPECT_TRUE(run([&] { return !sub.lines().empty(); }));
    EXPECT_EQ(sub.lines(), std::vector<std::string>{"/PubTopic1 still here"});
    EXPECT_EQ(mqtt->relay().counters().auth_failures, 0u) << "the device's client had the credentials";
}

} // namespace
} // namespace dtu::itest
