// MQTT 3.1 / 3.1.1 packets as bytes (MQTT 3.1.1 §2-§3). Decoding is a cursor over one packet's
// remaining bytes that refuses to read past them; every refusal names the packet and the field.
#include "hal_sim/mqtt_wire.hpp"

#include <algorithm>
#include <type_traits>

#include <mosquitto.h>

namespace dtu::hal_sim {
namespace {

constexpr std::size_t kMaxRemainingLength = 268'435'455; // §2.2.3: four length bytes
constexpr std::size_t kMaxLengthBytes = 4;

/// A decode failure: the reason for the log.
struct DecodeError {
    std::string reason;
};

// --- encoding ----------------------------------------------------------------------------------

void put_u16(std::string& out, std::uint16_t value) {
    out.push_back(static_cast<char>(value >> 8));
    out.push_back(static_cast<char>(value & 0xff));
}

/// A UTF-8 string or binary data: 2-byte length, then the bytes (§1.5.3). Longer than 65535 bytes
/// cannot be encoded; the caller's input is cut there rather than producing a corrupt length.
void put_string(std::string& out, std::string_view text) {
    const auto size = std::min<std::size_t>(text.size(), 0xffff);
    put_u16(out, static_cast<std::uint16_t>(size));
    out.append(text.substr(0, size));
}

void put_remaining_length(std::string& out, std::size_t length) {
    length = std::min(length, kMaxRemainingLength);
    do {
        auto byte = static_cast<std::uint8_t>(length % 128);
        length /= 128;
        if (length > 0) byte |= 0x80;
        out.push_back(static_cast<char>(byte));
    } while (length > 0);
}

std::string frame(MqttPacketType type, std::uint8_t flags, std::string_view body) {
    std::string out;
    out.reserve(body.size() + 5);
    out.push_back(static_cast<char>((static_cast<std::uint8_t>(type) << 4) | (flags & 0x0f)));
    put_remaining_length(out, body.size());
    out.append(body);
    return out;
}

std::string encode_connect(const MqttConnectPacket& p) {
    std::string body;
    // §3.1.2.1: "MQTT" level 4; MQTT 3.1 named itself "MQIsdp" at level 3.
    put_string(body, !p.protocol_name.empty() ? p.protocol_name
                     : p.protocol_level == 3  ? std::string_view("MQIsdp")
                                              : std::string_view("MQTT"));
    body.push_back(static_cast<char>(p.protocol_level));
    std::uint8_t flags = 0;
    if (p.username) flags |= 0x80;
    if (p.password) flags |= 0x40;
    if (p.will) {
        flags |= 0x04 | static_cast<std::uint8_t>((p.will->qos & 3) << 3);
        if (p.will->retain) flags |= 0x20;
    }
    if (p.clean_session) flags |= 0x02;
    body.push_back(static_cast<char>(flags));
    put_u16(body, p.keepalive_s);
    put_string(body, p.client_id);
    if (p.will) {
        put_string(body, p.will->topic);
        put_string(body, p.will->payload);
    }
    if (p.username) put_string(body, *p.username);
    if (p.password) put_string(body, *p.password);
    return frame(MqttPacketType::Connect, 0, body);
}

std::string encode_publish(const MqttPublishPacket& p) {
    std::string body;
    put_string(body, p.topic);
    if (p.qos > 0) put_u16(body, p.packet_id);
    body.append(p.payload);
    const auto flags =
        static_cast<std::uint8_t>((p.dup ? 0x08 : 0) | ((p.qos & 3) << 1) | (p.retain ? 0x01 : 0));
    return frame(MqttPacketType::Publish, flags, body);
}

/// §2.2.2: PUBREL, SUBSCRIBE and UNSUBSCRIBE carry flags 0010, every other type but PUBLISH 0000.
constexpr std::uint8_t required_flags(MqttPacketType type) {
    return type == MqttPacketType::Pubrel || type == MqttPacketType::Subscribe ||
                   type == MqttPacketType::Unsubscribe
               ? 0x02
               : 0x00;
}

struct Encoder {
    std::string operator()(const MqttConnectPacket& p) const { return encode_connect(p); }
    std::string operator()(const MqttConnackPacket& p) const {
        const char body[] = {static_cast<char>(p.session_present ? 1 : 0), static_cast<char>(p.return_code)};
        return frame(MqttPacketType::Connack, 0, std::string_view(body, 2));
    }
    std::string operator()(const MqttPublishPacket& p) const { return encode_publish(p); }
    std::string operator()(const MqttAckPacket& p) const {
        std::string body;
        put_u16(body, p.packet_id);
        return frame(p.type, required_flags(p.type), body);
    }
    std::string operator()(const MqttSubscribePacket& p) const {
        std::string body;
        put_u16(body, p.packet_id);
        for (const auto& [filter, qos] : p.filters) {
            put_string(body, filter);
            body.push_back(static_cast<char>(qos));
        }
        return frame(MqttPacketType::Subscribe, 0x02, body);
    }
    std::string operator()(const MqttSubackPacket& p) const {
        std::string body;
        put_u16(body, p.packet_id);
        for (auto code : p.codes)
            body.push_back(static_cast<char>(code));
        return frame(MqttPacketType::Suback, 0, body);
    }
    std::string operator()(const MqttUnsubscribePacket& p) const {
        std::string body;
        put_u16(body, p.packet_id);
        for (const auto& filter : p.filters)
            put_string(body, filter);
        return frame(MqttPacketType::Unsubscribe, 0x02, body);
    }
    std::string operator()(const MqttEmptyPacket& p) const { return frame(p.type, 0, {}); }
};

// --- decoding ----------------------------------------------------------------------------------

/// Reads one packet's variable header and payload; every read checks what is left.
class Cursor {
public:
    Cursor(std::string_view name, std::string_view bytes) : name_(name), bytes_(bytes) {}

    std::size_t left() const { return bytes_.size(); }
    [[noreturn]] void fail(const std::string& what) const {
        throw DecodeError{std::string(name_) + ": " + what};
    }

    std::uint8_t u8(std::string_view field) {
        if (bytes_.empty()) fail(std::string(field) + " missing");
        const auto value = static_cast<std::uint8_t>(bytes_.front());
        bytes_.remove_prefix(1);
        return value;
    }
    std::uint16_t u16(std::string_view field) {
        if (bytes_.size() < 2)
            fail(std::string(field) + " needs 2 bytes, " + std::to_string(left()) + " left");
        const auto value = static_cast<std::uint16_t>((static_cast<std::uint8_t>(bytes_[0]) << 8) |
                                                      static_cast<std::uint8_t>(bytes_[1]));
        bytes_.remove_prefix(2);
        return value;
    }
    /// Binary data (§1.5.3's length-prefixed bytes, any content): passwords, will messages.
    std::string binary(std::string_view field) {
        const auto size = u16(std::string(field) + " length");
        if (size > bytes_.size())
            fail(std::string(field) + " length " + std::to_string(size) + " > " + std::to_string(left()) +
                 " bytes left");
        std::string value(bytes_.substr(0, size));
        bytes_.remove_prefix(size);
        return value;
    }
    /// A UTF-8 string (§1.5.3): well-formed, no U+0000, by libmosquitto's own check, so that the
    /// model refuses exactly the strings mosquitto refuses (it reads every string this way).
    std::string string(std::string_view field) {
        auto value = binary(field);
        if (mosquitto_validate_utf8(value.data(), static_cast<int>(value.size())) != MOSQ_ERR_SUCCESS)
            fail(std::string(field) + " not valid UTF-8");
        return value;
    }
    std::uint16_t packet_id() {
        const auto id = u16("packet id");
        if (id == 0) fail("packet id 0"); // §2.3.1: non-zero
        return id;
    }
    std::string rest() {
        std::string value(bytes_);
        bytes_ = {};
        return value;
    }
    void end() const {
        if (!bytes_.empty()) fail(std::to_string(left()) + " bytes after the end");
    }

private:
    std::string_view name_;
    std::string_view bytes_;
};

MqttWillFields decode_will(Cursor& in, std::uint8_t flags) {
    MqttWillFields will;
    will.qos = static_cast<std::uint8_t>((flags >> 3) & 3);
    will.retain = (flags & 0x20) != 0;
    will.topic = in.string("will topic");
    will.payload = in.binary("will message");
    return will;
}

MqttConnectPacket decode_connect(Cursor& in) {
    MqttConnectPacket p;
    p.protocol_name = in.string("protocol name");
    p.protocol_level = in.u8("protocol level");
    if (p.protocol_name != "MQTT" && p.protocol_name != "MQIsdp") // §3.1.2.1
        in.fail("protocol name '" + p.protocol_name + "'");
    // §3.1.2.2: a level the server does not support is answered with CONNACK 1; what follows may
    // be laid out differently (MQTT 5 properties), so it is not read.
    if (p.protocol_level != 3 && p.protocol_level != 4) return p;
    const bool v311 = p.protocol_level == 4;
    const auto flags = in.u8("connect flags");
    // MQTT 3.1 reserved nothing of these; mosquitto 2.0 (handle_connect.c) checks the reserved bit
    // and will QoS/retain without will only for 3.1.1, and so does this codec.
    if (v311 && (flags & 0x01)) in.fail("reserved connect flag set"); // §3.1.2.3
    if (((flags >> 3) & 3) == 3) in.fail("will QoS 3");               // §3.1.2.6
    const bool will = (flags & 0x04) != 0;
    if (v311 && !will && (flags & 0x38)) in.fail("will QoS/retain without will flag"); // §3.1.2.6-7
    const bool username = (flags & 0x80) != 0;
    const bool password = (flags & 0x40) != 0;
    // §3.1.2.9: no password without a user name (mosquitto refuses it for 3.1 too).
    if (password && !username) in.fail("password flag without user name flag");
    p.clean_session = (flags & 0x02) != 0;
    p.keepalive_s = in.u16("keep alive");
    p.client_id = in.string("client id");
    if (will) p.will = decode_will(in, flags);
    if (username) p.username = in.string("user name");
    if (password) p.password = in.binary("password");
    in.end();
    return p;
}

MqttPublishPacket decode_publish(Cursor& in, std::uint8_t flags) {
    MqttPublishPacket p;
    p.dup = (flags & 0x08) != 0;
    p.qos = static_cast<std::uint8_t>((flags >> 1) & 3);
    p.retain = (flags & 0x01) != 0;
    if (p.qos == 3) in.fail("QoS 3");                     // §3.3.1.2
    if (p.dup && p.qos == 0) in.fail("DUP set on QoS 0"); // §3.3.1.1
    p.topic = in.string("topic");
    if (p.qos > 0) p.packet_id = in.packet_id();
    p.payload = in.rest();
    return p;
}

MqttSubscribePacket decode_subscribe(Cursor& in) {
    MqttSubscribePacket p;
    p.packet_id = in.packet_id();
    while (in.left() > 0) {
        auto filter = in.string("topic filter");
        const auto qos = in.u8("requested QoS");
        if (qos > 2) in.fail("requested QoS byte " + std::to_string(qos)); // §3.8.3.1
        p.filters.emplace_back(std::move(filter), qos);
    }
    if (p.filters.empty()) in.fail("no topic filter"); // §3.8.3.1
    return p;
}

MqttSubackPacket decode_suback(Cursor& in) {
    MqttSubackPacket p;
    p.packet_id = in.packet_id();
    while (in.left() > 0) {
        const auto code = in.u8("return code");
        if (code > 2 && code != 0x80) in.fail("return code " + std::to_string(code)); // §3.9.3
        p.codes.push_back(code);
    }
    if (p.codes.empty()) in.fail("no return code");
    return p;
}

MqttUnsubscribePacket decode_unsubscribe(Cursor& in) {
    MqttUnsubscribePacket p;
    p.packet_id = in.packet_id();
    while (in.left() > 0)
        p.filters.push_back(in.string("topic filter"));
    if (p.filters.empty()) in.fail("no topic filter"); // §3.10.3
    return p;
}

MqttPacket decode_body(MqttPacketType type, std::uint8_t flags, Cursor& in) {
    if (type != MqttPacketType::Publish && flags != required_flags(type))
        in.fail("reserved flags " + std::to_string(flags) + ", must be " +
                std::to_string(required_flags(type)));
    switch (type) {
    case MqttPacketType::Connect: return decode_connect(in);
    case MqttPacketType::Connack: {
        MqttConnackPacket p;
        const auto ack_flags = in.u8("acknowledge flags");
        if (ack_flags & 0xfe) in.fail("reserved acknowledge flags set"); // §3.2.2.1
        p.session_present = (ack_flags & 1) != 0;
        p.return_code = in.u8("return code");
        in.end();
        return p;
    }
    case MqttPacketType::Publish: return decode_publish(in, flags);
    case MqttPacketType::Puback:
    case MqttPacketType::Pubrec:
    case MqttPacketType::Pubrel:
    case MqttPacketType::Pubcomp:
    case MqttPacketType::Unsuback: {
        MqttAckPacket p{type, in.packet_id()};
        in.end();
        return p;
    }
    case MqttPacketType::Subscribe: return decode_subscribe(in);
    case MqttPacketType::Suback: return decode_suback(in);
    case MqttPacketType::Unsubscribe: return decode_unsubscribe(in);
    case MqttPacketType::Pingreq:
    case MqttPacketType::Pingresp:
    case MqttPacketType::Disconnect: in.end(); return MqttEmptyPacket{type};
    }
    in.fail("unknown type");
}

/// The fixed header at the start of bytes: first byte, remaining length, header size.
struct FixedHeader {
    std::uint8_t first = 0;
    std::size_t remaining = 0;
    std::size_t header_bytes = 0;
};
enum class HeaderState : std::uint8_t { Incomplete, Complete, BadLength };

HeaderState read_header(std::string_view bytes, FixedHeader& header) {
    if (bytes.empty()) return HeaderState::Incomplete;
    header.first = static_cast<std::uint8_t>(bytes[0]);
    std::size_t value = 0, multiplier = 1;
    for (std::size_t i = 1; i <= kMaxLengthBytes; ++i) {
        if (i >= bytes.size()) return HeaderState::Incomplete;
        const auto byte = static_cast<std::uint8_t>(bytes[i]);
        value += (byte & 0x7f) * multiplier;
        multiplier *= 128;
        if ((byte & 0x80) == 0) {
            header.remaining = value;
            header.header_bytes = i + 1;
            return HeaderState::Complete;
        }
    }
    return HeaderState::BadLength; // §2.2.3: a fifth length byte
}

} // namespace

MqttPacketType packet_type(const MqttPacket& packet) {
    return std::visit(
        [](const auto& p) {
            using T = std::decay_t<decltype(p)>;
            if constexpr (std::is_same_v<T, MqttConnectPacket>)
                return MqttPacketType::Connect;
            else if constexpr (std::is_same_v<T, MqttConnackPacket>)
                return MqttPacketType::Connack;
            else if constexpr (std::is_same_v<T, MqttPublishPacket>)
                return MqttPacketType::Publish;
            else if constexpr (std::is_same_v<T, MqttSubscribePacket>)
                return MqttPacketType::Subscribe;
            else if constexpr (std::is_same_v<T, MqttSubackPacket>)
                return MqttPacketType::Suback;
            else if constexpr (std::is_same_v<T, MqttUnsubscribePacket>)
                return MqttPacketType::Unsubscribe;
            else
                return p.type; // MqttAckPacket, MqttEmptyPacket
        },
        packet);
}

std::string_view packet_name(MqttPacketType type) {
    switch (type) {
    case MqttPacketType::Connect: return "CONNECT";
    case MqttPacketType::Connack: return "CONNACK";
    case MqttPacketType::Publish: return "PUBLISH";
    case MqttPacketType::Puback: return "PUBACK";
    case MqttPacketType::Pubrec: return "PUBREC";
    case MqttPacketType::Pubrel: return "PUBREL";
    case MqttPacketType::Pubcomp: return "PUBCOMP";
    case MqttPacketType::Subscribe: return "SUBSCRIBE";
    case MqttPacketType::Suback: return "SUBACK";
    case MqttPacketType::Unsubscribe: return "UNSUBSCRIBE";
    case MqttPacketType::Unsuback: return "UNSUBACK";
    case MqttPacketType::Pingreq: return "PINGREQ";
    case MqttPacketType::Pingresp: return "PINGRESP";
    case MqttPacketType::Disconnect: return "DISCONNECT";
    }
    return "UNKNOWN";
}

std::string encode(const MqttPacket& packet) { return std::visit(Encoder{}, packet); }

void MqttFrameReader::feed(std::string_view bytes) {
    if (!error_.empty() || too_large_) return; // spent, or the rest of an oversize packet
    buffer_.append(bytes);
    // Walk the whole packets now held: one whose header announces more than max_packet_bytes is
    // cut off here, so its body is never stored (what came before it is still delivered).
    std::size_t pos = 0;
    FixedHeader header;
    while (read_header(std::string_view(buffer_).substr(pos), header) == HeaderState::Complete) {
        if (header.remaining > max_packet_bytes_) {
            const auto type = static_cast<MqttPacketType>(header.first >> 4);
            too_large_error_ = std::string(packet_name(type)) + ": remaining length " +
                               std::to_string(header.remaining) + " > " + std::to_string(max_packet_bytes_);
            too_large_ = true;
            buffer_.resize(pos);
            return;
        }
        pos += header.header_bytes + header.remaining;
        if (pos >= buffer_.size()) return;
    }
}

MqttFrameReader::Result MqttFrameReader::next() {
    if (!error_.empty()) return {spent_status_, {}, error_};
    FixedHeader header;
    const auto state = read_header(buffer_, header);
    if (state == HeaderState::BadLength)
        return spend(Status::Malformed, "remaining length longer than 4 bytes");
    if (state == HeaderState::Incomplete || buffer_.size() < header.header_bytes + header.remaining) {
        if (too_large_ && buffer_.empty()) return spend(Status::TooLarge, too_large_error_);
        return {};
    }
    const auto type_bits = header.first >> 4;
    if (type_bits == 0 || type_bits == 15) // §2.2.1: reserved
        return spend(Status::Malformed, "reserved packet type " + std::to_string(type_bits));
    const auto type = static_cast<MqttPacketType>(type_bits);
    Cursor in(packet_name(type), std::string_view(buffer_).substr(header.header_bytes, header.remaining));
    try {
        Result result{Status::Packet, decode_body(type, header.first & 0x0f, in), {}};
        buffer_.erase(0, header.header_bytes + header.remaining);
        return result;
    } catch (const DecodeError& e) {
        return spend(Status::Malformed, e.reason);
    }
}

MqttFrameReader::Result MqttFrameReader::spend(Status status, std::string reason) {
    spent_status_ = status;
    error_ = std::move(reason);
    buffer_.clear();
    buffer_.shrink_to_fit();
    return {status, {}, error_};
}

} // namespace dtu::hal_sim
