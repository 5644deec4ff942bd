// The MQTT packet codec (hal_sim/mqtt_wire.hpp): every packet type survives encode -> decode, the
// stream is cut correctly however it is split, and each rule of MQTT 3.1.1 §2-§3 a peer can break
// is refused as Malformed with its reason.
#include <gtest/gtest.h>

#include <string>

#include "hal_sim/mqtt_wire.hpp"

using namespace dtu::hal_sim;
using Status = MqttFrameReader::Status;

namespace {

constexpr std::size_t kMax = 1024;

MqttFrameReader::Result decode_one(std::string_view bytes, std::size_t max = kMax) {
    MqttFrameReader reader(max);
    reader.feed(bytes);
    return reader.next();
}

template <typename T> T decoded(const MqttPacket& packet) {
    const auto bytes = encode(packet);
    auto result = decode_one(bytes, 1 << 20);
    EXPECT_EQ(result.status, Status::Packet) << result.error;
    const auto* p = std::get_if<T>(&result.packet);
    EXPECT_NE(p, nullptr);
    return p ? *p : T{};
}

std::string bytes(std::initializer_list<int> list) {
    std::string out;
    for (int b : list)
        out.push_back(static_cast<char>(b));
    return out;
}

void expect_malformed(std::string_view wire, std::string_view reason_part) {
    const auto result = decode_one(wire);
    EXPECT_EQ(result.status, Status::Malformed);
    EXPECT_NE(result.error.find(reason_part), std::string::npos) << "error: " << result.error;
}

} // namespace

TEST(MqttWire, ConnectRoundTripsWithEveryField) {
    MqttConnectPacket c;
    c.client_id = "dtu-1";
    c.username = "user";
    c.password = std::string("p\0ss", 4);
    c.keepalive_s = 300;
    c.clean_session = false;
    c.will = MqttWillFields{"will/t", "gone", 2, true};
    const auto d = decoded<MqttConnectPacket>(c);
    EXPECT_EQ(d.protocol_level, 4);
    EXPECT_EQ(d.client_id, "dtu-1");
    EXPECT_EQ(d.username, std::optional<std::string>("user"));
    EXPECT_EQ(d.password, std::optional<std::string>(std::string("p\0ss", 4)));
    EXPECT_EQ(d.keepalive_s, 300);
    EXPECT_FALSE(d.clean_session);
    ASSERT_TRUE(d.will);
    EXPECT_EQ(d.will->topic, "will/t");
    EXPECT_EQ(d.will->payload, "gone");
    EXPECT_EQ(d.will->qos, 2);
    EXPECT_TRUE(d.will->retain);
}

TEST(MqttWire, ConnectMinimalAndMqtt31) {
    MqttConnectPacket c;
    c.client_id = "";
    const auto d = decoded<MqttConnectPacket>(c);
    EXPECT_EQ(d.client_id, "");
    EXPECT_FALSE(d.username);
    EXPECT_FALSE(d.password);
    EXPECT_FALSE(d.will);
    EXPECT_TRUE(d.clean_session);

    c.protocol_level = 3;
    c.client_id = "old";
    const auto wire = encode(c);
    EXPECT_NE(wire.find("MQIsdp"), std::string::npos) << "MQTT 3.1 names itself MQIsdp";
    const auto d3 = decoded<MqttConnectPacket>(c);
    EXPECT_EQ(d3.protocol_level, 3);
    EXPECT_EQ(d3.client_id, "old");
}

TEST(MqttWire, ConnectOfAnUnsupportedLevelDecodesItsLevelForConnack1) {
    // MQTT 5 CONNECT: properties follow the keep-alive; only the level is needed (§3.1.2.2).
    const auto wire = bytes({0x10, 13, 0, 4, 'M', 'Q', 'T', 'T', 5, 0x02, 0, 60, 0, 0, 0});
    const auto result = decode_one(wire);
    ASSERT_EQ(result.status, Status::Packet) << result.error;
    EXPECT_EQ(std::get<MqttConnectPacket>(result.packet).protocol_level, 5);
}

TEST(MqttWire, ConnackPublishAndAcksRoundTrip) {
    const auto ca = decoded<MqttConnackPacket>(MqttConnackPacket{true, 5});
    EXPECT_TRUE(ca.session_present);
    EXPECT_EQ(ca.return_code, 5);

    MqttPublishPacket p{"a/b", std::string("x\0y", 3), 1, true, true, 77};
    const auto dp = decoded<MqttPublishPacket>(p);
    EXPECT_EQ(dp.topic, "a/b");
    EXPECT_EQ(dp.payload, std::string("x\0y", 3));
    EXPECT_EQ(dp.qos, 1);
    EXPECT_TRUE(dp.retain);
    EXPECT_TRUE(dp.dup);
    EXPECT_EQ(dp.packet_id, 77);

    MqttPublishPacket p0{"t", "", 0, false, false, 0};
    const auto dp0 = decoded<MqttPublishPacket>(p0);
    EXPECT_EQ(dp0.qos, 0);
    EXPECT_EQ(dp0.packet_id, 0);
    EXPECT_EQ(dp0.payload, "");

    for (auto type : {MqttPacketType::Puback, MqttPacketType::Pubrec, MqttPacketType::Pubrel,
                      MqttPacketType::Pubcomp, MqttPacketType::Unsuback}) {
        const auto a = decoded<MqttAckPacket>(MqttAckPacket{type, 65535});
        EXPECT_EQ(a.type, type) << packet_name(type);
        EXPECT_EQ(a.packet_id, 65535);
        EXPECT_EQ(packet_type(MqttAckPacket{type, 1}), type);
    }
    EXPECT_EQ(static_cast<std::uint8_t>(encode(MqttAckPacket{MqttPacketType::Pubrel, 1})[0]), 0x62)
        << "PUBREL carries flags 0010 (§3.6.1)";
}

TEST(MqttWire, SubscribeSubackUnsubscribeAndEmptyPacketsRoundTrip) {
    const auto s = decoded<MqttSubscribePacket>(MqttSubscribePacket{9, {{"a/+", 0}, {"b/#", 2}}});
    EXPECT_EQ(s.packet_id, 9);
    ASSERT_EQ(s.filters.size(), 2u);
    EXPECT_EQ(s.filters[1], (std::pair<std::string, std::uint8_t>("b/#", 2)));

    const auto sa = decoded<MqttSubackPacket>(MqttSubackPacket{9, {0, 1, 2, 0x80}});
    EXPECT_EQ(sa.codes, (std::vector<std::uint8_t>{0, 1, 2, 0x80}));

    const auto u = decoded<MqttUnsubscribePacket>(MqttUnsubscribePacket{10, {"a/+", "c"}});
    EXPECT_EQ(u.packet_id, 10);
    EXPECT_EQ(u.filters, (std::vector<std::string>{"a/+", "c"}));

    for (auto type : {MqttPacketType::Pingreq, MqttPacketType::Pingresp, MqttPacketType::Disconnect}) {
        const auto e = decoded<MqttEmptyPacket>(MqttEmptyPacket{type});
        EXPECT_EQ(e.type, type);
        EXPECT_EQ(encode(MqttEmptyPacket{type}).size(), 2u);
    }
    EXPECT_EQ(packet_name(MqttPacketType::Subscribe), "SUBSCRIBE");
}

TEST(MqttWire, RemainingLengthEdges) {
    // §2.2.3: 127 fits one byte, 128 needs two, 16383 two, 16384 three.
    for (auto [size, header] :
         {std::pair<std::size_t, std::size_t>{127, 2}, {128, 3}, {16383, 3}, {16384, 4}}) {
        // PUBLISH QoS 0: 2 bytes topic length, 1 topic byte, the payload.
        MqttPublishPacket p{"t", std::string(size - 3, 'x'), 0, false, false, 0};
        const auto wire = encode(p);
        EXPECT_EQ(wire.size(), size + header) << size;
        const auto d = decoded<MqttPublishPacket>(p);
        EXPECT_EQ(d.payload.size(), size - 3) << size;
    }
    EXPECT_EQ(encode(MqttPublishPacket{"t", std::string(124, 'x')}).substr(1, 1), bytes({127}));
    EXPECT_EQ(encode(MqttPublishPacket{"t", std::string(125, 'x')}).substr(1, 2), bytes({0x80, 0x01}));
    EXPECT_EQ(encode(MqttPublishPacket{"t", std::string(16380, 'x')}).substr(1, 2), bytes({0xff, 0x7f}));
    EXPECT_EQ(encode(MqttPublishPacket{"t", std::string(16381, 'x')}).substr(1, 3),
              bytes({0x80, 0x80, 0x01}));
}

TEST(MqttWire, ByteByByteFeedsYieldTheSamePackets) {
    std::string stream = encode(MqttConnectPacket{}) +
                         encode(MqttPublishPacket{"a/b", std::string(300, 'p'), 2, false, false, 5}) +
                         encode(MqttEmptyPacket{MqttPacketType::Pingreq});
    MqttFrameReader reader(kMax);
    std::vector<MqttPacketType> got;
    for (char c : stream) {
        reader.feed(std::string_view(&c, 1));
        for (auto r = reader.next(); r.status != Status::NeedMore; r = reader.next()) {
            ASSERT_EQ(r.status, Status::Packet) << r.error;
            got.push_back(packet_type(r.packet));
            if (got.back() == MqttPacketType::Publish)
                EXPECT_EQ(std::get<MqttPublishPacket>(r.packet).payload.size(), 300u);
        }
    }
    EXPECT_EQ(got, (std::vector<MqttPacketType>{MqttPacketType::Connect, MqttPacketType::Publish,
                                                MqttPacketType::Pingreq}));
    EXPECT_EQ(reader.buffered(), 0u);
}

TEST(MqttWire, SeveralPacketsInOneChunkComeOutOneByOne) {
    MqttFrameReader reader(kMax);
    reader.feed(encode(MqttAckPacket{MqttPacketType::Puback, 1}) +
                encode(MqttAckPacket{MqttPacketType::Puback, 2}) +
                encode(MqttAckPacket{MqttPacketType::Puback, 3}).substr(0, 3));
    EXPECT_EQ(std::get<MqttAckPacket>(reader.next().packet).packet_id, 1);
    EXPECT_EQ(std::get<MqttAckPacket>(reader.next().packet).packet_id, 2);
    EXPECT_EQ(reader.next().status, Status::NeedMore);
    reader.feed(bytes({0x03}));
    EXPECT_EQ(std::get<MqttAckPacket>(reader.next().packet).packet_id, 3);
}

TEST(MqttWire, FiveLengthBytesAreMalformed) {
    expect_malformed(bytes({0x30, 0xff, 0xff, 0xff, 0xff, 0x01}), "remaining length");
}

TEST(MqttWire, LengthsPastTheEndAreMalformed) {
    // PUBLISH whose topic length (9) is more than its remaining length holds.
    expect_malformed(bytes({0x30, 4, 0, 9, 'a', 'b'}), "PUBLISH: topic length 9 > 2 bytes left");
    // CONNECT whose client id runs past the packet.
    expect_malformed(bytes({0x10, 14, 0, 4, 'M', 'Q', 'T', 'T', 4, 0x02, 0, 60, 0, 5, 'a', 'b'}),
                     "CONNECT: client id length 5 > 2");
    // PUBACK with one byte of packet id.
    expect_malformed(bytes({0x40, 1, 0}), "PUBACK: packet id needs 2 bytes");
    // Bytes after the end of a fixed-size packet.
    expect_malformed(bytes({0x40, 3, 0, 1, 0}), "PUBACK: 1 bytes after the end");
    expect_malformed(bytes({0xc0, 1, 0}), "PINGREQ: 1 bytes after the end");
}

TEST(MqttWire, ReservedFlagsWrongAreMalformed) {
    expect_malformed(bytes({0x82, 4, 0, 1, 0, 1}),
                     "SUBSCRIBE: topic filter length"); // sanity: flags right, body short
    expect_malformed(bytes({0x80, 6, 0, 1, 0, 1, 'a', 0}), "SUBSCRIBE: reserved flags 0, must be 2");
    expect_malformed(bytes({0x60, 2, 0, 1}), "PUBREL: reserved flags 0, must be 2");
    expect_malformed(bytes({0xc1, 0}), "PINGREQ: reserved flags 1");
    expect_malformed(bytes({0xe2, 0}), "DISCONNECT: reserved flags 2");
    expect_malformed(bytes({0x10, 12, 0, 4, 'M', 'Q', 'T', 'T', 4, 0x03, 0, 60, 0, 0}),
                     "reserved connect flag set");
    expect_malformed(bytes({0x00, 0}), "reserved packet type 0");
    expect_malformed(bytes({0xf0, 0}), "reserved packet type 15");
    expect_malformed(bytes({0x20, 2, 0x02, 0}), "reserved acknowledge flags");
}

TEST(MqttWire, QoS3IsMalformed) {
    expect_malformed(bytes({0x36, 5, 0, 1, 't', 0, 1}), "PUBLISH: QoS 3");
    expect_malformed(bytes({0x82, 6, 0, 1, 0, 1, 'a', 3}), "requested QoS byte 3");
    // CONNECT with will flag and will QoS 3.
    expect_malformed(bytes({0x10, 12, 0, 4, 'M', 'Q', 'T', 'T', 4, 0x1e, 0, 60, 0, 0}), "will QoS 3");
    expect_malformed(bytes({0x30 | 0x08, 3, 0, 1, 't'}), "DUP set on QoS 0");
}

TEST(MqttWire, PacketIdZeroIsMalformed) {
    expect_malformed(bytes({0x32, 5, 0, 1, 't', 0, 0}), "PUBLISH: packet id 0");
    expect_malformed(bytes({0x40, 2, 0, 0}), "PUBACK: packet id 0");
    expect_malformed(bytes({0x82, 6, 0, 0, 0, 1, 'a', 0}), "SUBSCRIBE: packet id 0");
}

TEST(MqttWire, SubscribeOrUnsubscribeWithoutFiltersIsMalformed) {
    expect_malformed(bytes({0x82, 2, 0, 1}), "SUBSCRIBE: no topic filter");
    expect_malformed(bytes({0xa2, 2, 0, 1}), "UNSUBSCRIBE: no topic filter");
    expect_malformed(bytes({0x90, 2, 0, 1}), "SUBACK: no return code");
}

TEST(MqttWire, ConnectRulesAreChecked) {
    expect_malformed(bytes({0x10, 12, 0, 4, 'M', 'Q', 'T', 'X', 4, 0x02, 0, 60, 0, 0}),
                     "protocol name 'MQTX'");
    // Password flag without user name (3.1.1 §3.1.2.9).
    expect_malformed(bytes({0x10, 14, 0, 4, 'M', 'Q', 'T', 'T', 4, 0x42, 0, 60, 0, 0, 0, 0}),
                     "password flag without user name");
    // Will retain without will flag (§3.1.2.7).
    expect_malformed(bytes({0x10, 12, 0, 4, 'M', 'Q', 'T', 'T', 4, 0x22, 0, 60, 0, 0}), "without will flag");
}

TEST(MqttWire, OversizeIsTooLargeWithoutBufferingTheBody) {
    MqttFrameReader reader(100);
    const auto big = encode(MqttPublishPacket{"t", std::string(5000, 'x')});
    const auto ack = encode(MqttAckPacket{MqttPacketType::Puback, 4});
    reader.feed(ack + big.substr(0, 10));
    EXPECT_LE(reader.buffered(), ack.size()) << "the oversize packet's bytes are not kept";
    for (std::size_t pos = 10; pos < big.size(); pos += 100) {
        reader.feed(big.substr(pos, 100));
        EXPECT_LE(reader.buffered(), ack.size());
    }
    auto first = reader.next();
    ASSERT_EQ(first.status, Status::Packet) << "the packet before the oversize one still arrives";
    EXPECT_EQ(std::get<MqttAckPacket>(first.packet).packet_id, 4);
    auto r = reader.next();
    EXPECT_EQ(r.status, Status::TooLarge);
    EXPECT_NE(r.error.find("PUBLISH: remaining length 5003 > 100"), std::string::npos) << r.error;
    EXPECT_EQ(reader.next().status, Status::TooLarge) << "spent: the error repeats";
    reader.feed(ack);
    EXPECT_EQ(reader.next().status, Status::TooLarge);
}

TEST(MqttWire, MalformedSpendsTheReader) {
    MqttFrameReader reader(kMax);
    reader.feed(bytes({0x40, 2, 0, 0}) + encode(MqttAckPacket{MqttPacketType::Puback, 1}));
    EXPECT_EQ(reader.next().status, Status::Malformed);
    EXPECT_EQ(reader.next().status, Status::Malformed);
    EXPECT_EQ(reader.buffered(), 0u);
}

TEST(MqttWire, ExactlyMaxIsAccepted) {
    MqttFrameReader reader(100);
    reader.feed(encode(MqttPublishPacket{"t", std::string(97, 'x')})); // remaining length 100
    EXPECT_EQ(reader.next().status, Status::Packet);
}

TEST(MqttWire, ConnectKeepsItsProtocolNameForTheBrokerToCheck) {
    MqttConnectPacket c;
    c.protocol_level = 3;
    c.protocol_name = "MQTT"; // MQTT 3.1.1's name with 3.1's level: the broker answers CONNACK 1
    c.client_id = "x";
    const auto d = decoded<MqttConnectPacket>(c);
    EXPECT_EQ(d.protocol_name, "MQTT");
    EXPECT_EQ(d.protocol_level, 3);
    c.protocol_name.clear();
    EXPECT_EQ(decoded<MqttConnectPacket>(c).protocol_name, "MQIsdp");
}

TEST(MqttWire, Mqtt31ConnectIsReadByMqtt31Rules) {
    // 3.1 reserved no connect flag bit: mosquitto takes bit 0 set from an MQIsdp client.
    auto wire = bytes({0x10, 14, 0, 6, 'M', 'Q', 'I', 's', 'd', 'p', 3, 0x03, 0, 60, 0, 0});
    const auto r = decode_one(wire);
    ASSERT_EQ(r.status, Status::Packet) << r.error;
    EXPECT_TRUE(std::get<MqttConnectPacket>(r.packet).clean_session);
    // ... but a password without user name is refused for 3.1 too.
    wire = bytes({0x10, 16, 0, 6, 'M', 'Q', 'I', 's', 'd', 'p', 3, 0x42, 0, 60, 0, 0, 0, 0});
    EXPECT_EQ(decode_one(wire).status, Status::Malformed);
}

TEST(MqttWire, StringsMustBeUtf8ButBinaryFieldsNeedNot) {
    expect_malformed(bytes({0x30, 4, 0, 2, 't', 0xff}), "PUBLISH: topic not valid UTF-8");
    expect_malformed(bytes({0x30, 5, 0, 3, 't', 0xc0, 0x80}), "topic not valid UTF-8"); // overlong NUL
    expect_malformed(bytes({0x30, 4, 0, 2, 't', 0}), "topic not valid UTF-8");          // U+0000 (§1.5.3)
    expect_malformed(bytes({0x82, 7, 0, 1, 0, 2, 'a', 0xfe, 0}), "topic filter not valid UTF-8");
    MqttConnectPacket c;
    c.client_id = "\xe4\xb8\xad"; // one CJK character: valid
    c.password = std::string("\xff\x00", 2);
    c.username = "u";
    c.will = MqttWillFields{"w", std::string("\xff\x00\xfe", 3), 0, false};
    const auto d = decoded<MqttConnectPacket>(c);
    EXPECT_EQ(d.client_id, "\xe4\xb8\xad");
    EXPECT_EQ(d.password, c.password) << "a password is binary data";
    EXPECT_EQ(d.will->payload, c.will->payload) << "a will message is binary data";
    c.client_id = "\xff";
    EXPECT_EQ(decode_one(encode(c)).status, Status::Malformed);
    EXPECT_EQ(decoded<MqttPublishPacket>(MqttPublishPacket{"t", std::string("\xff\x00", 2)}).payload,
              std::string("\xff\x00", 2))
        << "a payload is bytes";
}
