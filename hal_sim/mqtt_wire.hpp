#pragma once
// MQTT 3.1 / 3.1.1 control packets as bytes (MQTT 3.1.1 §2-§3; 3.1 differs only in CONNECT's
// protocol name "MQIsdp" and level 3): one codec that both ends of the in-process MQTT use — the
// broker model (mqtt_broker.hpp) and the module's virtual-time MQTT client (virtual_mqtt.hpp).
// Decoding never trusts the peer: every length is checked against what arrived, the remaining
// length against max_packet_bytes, reserved flag bits and packet ids per the standard; a packet
// that breaks a rule is Malformed with a reason (the caller closes the connection, §4.8).
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

namespace dtu::hal_sim {

enum class MqttPacketType : std::uint8_t {
    Connect = 1,
    Connack,
    Publish,
    Puback,
    Pubrec,
    Pubrel,
    Pubcomp,
    Subscribe,
    Suback,
    Unsubscribe,
    Unsuback,
    Pingreq,
    Pingresp,
    Disconnect,
};

struct MqttWillFields {
    std::string topic, payload;
    std::uint8_t qos = 0;
    bool retain = false;
};

struct MqttConnectPacket {
    std::uint8_t protocol_level = 4; ///< 3: "MQIsdp" (MQTT 3.1), 4: "MQTT" (3.1.1)
    std::string client_id;
    std::optional<std::string> username, password;
    std::uint16_t keepalive_s = 60;
    bool clean_session = true;
    std::optional<MqttWillFields> will;
    /// As on the wire; empty when encoding: "MQIsdp" for level 3, "MQTT" otherwise. The broker
    /// checks that name and level go together (§3.1.2.1-2).
    std::string protocol_name;
};
struct MqttConnackPacket {
    bool session_present = false;
    std::uint8_t return_code =
        0; ///< 0 accepted, 1 protocol version, 2 identifier, 3 unavailable, 4 user/password, 5 not authorized
};
struct MqttPublishPacket {
    std::string topic, payload;
    std::uint8_t qos = 0;
    bool retain = false, dup = false;
    std::uint16_t packet_id = 0; ///< QoS 1/2 only (non-zero)
};
/// PUBACK, PUBREC, PUBREL, PUBCOMP, UNSUBACK: a packet id and nothing else.
struct MqttAckPacket {
    MqttPacketType type = MqttPacketType::Puback;
    std::uint16_t packet_id = 0;
};
struct MqttSubscribePacket {
    std::uint16_t packet_id = 0;
    std::vector<std::pair<std::string, std::uint8_t>> filters; ///< filter, requested QoS
};
struct MqttSubackPacket {
    std::uint16_t packet_id = 0;
    std::vector<std::uint8_t> codes; ///< granted QoS, or 0x80 failure
};
struct MqttUnsubscribePacket {
    std::uint16_t packet_id = 0;
    std::vector<std::string> filters;
};
/// PINGREQ, PINGRESP, DISCONNECT.
struct MqttEmptyPacket {
    MqttPacketType type = MqttPacketType::Pingreq;
};

using MqttPacket =
    std::variant<MqttConnectPacket, MqttConnackPacket, MqttPublishPacket, MqttAckPacket, MqttSubscribePacket,
                 MqttSubackPacket, MqttUnsubscribePacket, MqttEmptyPacket>;

MqttPacketType packet_type(const MqttPacket& packet);
/// "CONNECT", "PUBLISH", ... (logs, traces).
std::string_view packet_name(MqttPacketType type);

/// The packet's bytes on the wire (fixed header, remaining length, variable header, payload).
std::string encode(const MqttPacket& packet);

/// Cuts a byte stream (TCP chunks, or TLS plaintext) into packets. Holds at most one incomplete
/// packet (bounded by max_packet_bytes + 5 header bytes).
class MqttFrameReader {
public:
    explicit MqttFrameReader(std::size_t max_packet_bytes) : max_packet_bytes_(max_packet_bytes) {}

    enum class Status : std::uint8_t { NeedMore, Packet, Malformed, TooLarge };
    struct Result {
        Status status = Status::NeedMore;
        MqttPacket packet; ///< valid for Packet
        std::string
            error; ///< Malformed / TooLarge: why, for the log ("PUBLISH: topic length 9 > 4 bytes left")
    };

    void feed(std::string_view bytes);
    /// The next complete packet, NeedMore, or an error. After Malformed / TooLarge the reader is
    /// spent (every further call repeats the error): the connection is to be closed.
    Result next();
    /// Bytes held (an incomplete packet, or whole ones not taken by next() yet).
    std::size_t buffered() const { return buffer_.size(); }

private:
    Result spend(Status status, std::string reason);

    std::size_t max_packet_bytes_;
    std::string buffer_;
    std::string error_; ///< non-empty: spent
    Status spent_status_ = Status::NeedMore;
    bool too_large_ = false; ///< an oversize packet follows what buffer_ holds
    std::string too_large_error_;
};

} // namespace dtu::hal_sim
