#include "discovery_params.hpp"

#include <array>
#include <string_view>

#include "dtu/at/text.hpp"

namespace dtu::device::discovery_params {
namespace k7 = proto::k7_discovery;
namespace {

// K7 §5.1.2 form 5.1.2-3: "1 none, 2 odd, 3 even, 4 mark, 5 space".
constexpr std::array<std::string_view, 5> kParity{"NONE", "ODD", "EVEN", "MARK", "SPACE"};
// Form 5.1.2-3 ucWorkMode: 0 UDP (client), 1 TCP Client, 2 UDP Server, 3 TCP Server, 4 HTTPD Client.
constexpr std::array<std::string_view, 5> kWorkMode{"UDPC", "TCPC", "UDPS", "TCPS", "HTPC"};
constexpr std::uint8_t kUserMacAllF = 0xFF;

template <std::size_t N>
std::optional<std::uint8_t> code_of(const std::array<std::string_view, N>& words, std::string_view word,
                                    std::uint8_t first) {
    for (std::size_t i = 0; i < N; ++i)
        if (at::iequals(words[i], word)) return static_cast<std::uint8_t>(first + i);
    return std::nullopt;
}
template <std::size_t N>
std::optional<std::string_view> word_of(const std::array<std::string_view, N>& words, std::uint8_t code,
                                        std::uint8_t first) {
    if (code < first || code - first >= static_cast<int>(N)) return std::nullopt;
    return words[code - first];
}

/// Form 5.1.2-3 ucFlowControl: "0x01 no flow control, 0x03 hardware". The software flow (FCR) has
/// no code; INFERRED (GAP-19) 0x02, the one between. 0x00 (the form's example column) = none.
std::uint8_t flow_code(std::string_view word) {
    if (at::iequals(word, "FCH")) return 0x03;
    if (at::iequals(word, "FCR")) return 0x02;
    return 0x01;
}
std::optional<std::string_view> flow_word(std::uint8_t code) {
    switch (code) {
    case 0x00:
    case 0x01: return "NFC";
    case 0x02: return "FCR";
    case 0x03: return "FCH";
    default: return std::nullopt;
    }
}

std::uint32_t parse_ip(std::string_view text) {
    std::uint32_t ip = 0;
    for (int i = 0; i < 4; ++i) {
        const std::size_t dot = text.find('.');
        const auto part = at::parse_decimal(text.substr(0, dot));
        if (!part || *part > 255 || (i < 3) == (dot == std::string_view::npos)) return 0;
        ip = ip << 8 | static_cast<std::uint32_t>(*part);
        text = dot == std::string_view::npos ? std::string_view() : text.substr(dot + 1);
    }
    return ip;
}
std::string format_ip(std::uint32_t ip) {
    std::string s;
    for (int i = 3; i >= 0; --i)
        s += std::to_string(ip >> (8 * i) & 0xFF) + (i ? "." : "");
    return s;
}
int hex_digit(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}
bool parse_mac(std::string_view text, k7::Mac& out) {
    if (text.size() != 12) return false;
    for (std::size_t i = 0; i < out.size(); ++i) {
        const int hi = hex_digit(text[2 * i]), lo = hex_digit(text[2 * i + 1]);
        if (hi < 0 || lo < 0) return false;
        out[i] = static_cast<std::uint8_t>(hi << 4 | lo);
    }
    return true;
}
std::string format_mac(const k7::Mac& mac) {
    static constexpr char kHex[] = "0123456789ABCDEF";
    std::string s;
    for (auto b : mac)
        s += std::string{kHex[b >> 4], kHex[b & 0x0F]};
    return s;
}
template <class N> N number(const params::Store& s, std::string_view key, std::size_t i) {
    return static_cast<N>(s.number(key, i, 0));
}
std::string on_off(bool on) { return on ? "ON" : "OFF"; }

} // namespace

bool mac_of(const params::Store& store, k7::Mac& out) { return parse_mac(store.text("USERMAC"), out); }

std::uint32_t ip_of(const params::Store& store) { return parse_ip(store.text("WANN", 1)); }

// Spec k7 §11.5 RECOMMENDED (GAP-19) field mapping: static IP/gateway/mask/flags bit 7 <-> WANN;
// HTTP port <-> WEBPORT; location port <-> WEBSOCKPORT; name <-> MID; user/password <-> WEBU; user
// MAC <-> USERMAC. Sequence, CRC, version, user flag, net send time, ID, ID type and the reserved
// bytes have no AT parameter: "fill what you read", echoed.
k7::Basic read_basic(const params::Store& s, k7::Basic b) {
    b.flags = static_cast<std::uint8_t>((b.flags & ~k7::kFlagStaticIp) |
                                        (s.is("WANN", 0, "static") ? k7::kFlagStaticIp : 0));
    b.location_port = number<std::uint16_t>(s, "WEBSOCKPORT", 0);
    b.http_port = number<std::uint16_t>(s, "WEBPORT", 0);
    b.ip = parse_ip(s.text("WANN", 1));
    b.mask = parse_ip(s.text("WANN", 2));
    b.gateway = parse_ip(s.text("WANN", 3));
    b.name = std::string(s.text("MID"));
    b.user = std::string(s.text("WEBU", 0));
    b.password = std::string(s.text("WEBU", 1));
    parse_mac(s.text("USERMAC"), b.user_mac);
    return b;
}

std::optional<std::vector<Setting>> basic_settings(const k7::Basic& b) {
    std::vector<Setting> out;
    out.push_back({"WANN", std::string(b.flags & k7::kFlagStaticIp ? "static" : "DHCP") + "," +
                               format_ip(b.ip) + "," + format_ip(b.mask) + "," + format_ip(b.gateway)});
    out.push_back({"WEBPORT", std::to_string(b.http_port)});
    out.push_back({"WEBSOCKPORT", std::to_string(b.location_port)});
    out.push_back({"MID", b.name});
    out.push_back({"WEBU", b.user + "," + b.password});
    // Form 5.1.2-2 prints FF FF FF FF FF FF as the user MAC's example and K7 §4.4.7 says "Please do
    // not all F": all FF keeps the custom MAC as it is (INFERRED, GAP-19).
    bool all_f = true;
    for (auto v : b.user_mac)
        all_f = all_f && v == kUserMacAllF;
    if (!all_f) out.push_back({"USERMAC", format_mac(b.user_mac)});
    return out;
}

// Spec k7 §11.5 RECOMMENDED (GAP-19): baud/data/parity/stop/flow <-> UART; local/remote port and
// URL <-> SOCKA; work mode <-> SOCKA protocol; pack length/time <-> UARTTL; telnet timeout <->
// SOCKTON; flags bit 3 <-> RFCEN, bit 2 <-> MODTCP, bit 4 <-> REGEN=CLOUD. The telnet IP has "no
// effect" (0); time count, TCP server type, reserved and the other flag bits are echoed.
k7::Serial read_serial(const params::Store& s, k7::Serial r) {
    r.baud = number<std::uint32_t>(s, "UART", 0);
    r.data_bits = number<std::uint8_t>(s, "UART", 1);
    r.stop_bits = number<std::uint8_t>(s, "UART", 2);
    r.parity = code_of(kParity, s.text("UART", 3), 1).value_or(1);
    r.flow = flow_code(s.text("UART", 4));
    r.reconnect_timeout = number<std::uint32_t>(s, "SOCKTON", 0);
    // SOCKA has one port: the local one in server modes, the remote one otherwise (spec k7 §4,
    // GAP-20); the block shows it in both fields, as the form's example does (23 and 23).
    r.local_port = r.remote_port = number<std::uint16_t>(s, "SOCKA", 2);
    r.url = std::string(s.text("SOCKA", 1).substr(0, 30));
    r.telnet_ip = 0;
    r.work_mode = code_of(kWorkMode, s.text("SOCKA", 0), 0).value_or(3);
    std::uint8_t flags = r.flags & ~(k7::kSerialFlagModbus | k7::kSerialFlagRfc2217 | k7::kSerialFlagCloud);
    if (s.on("RFCEN")) flags |= k7::kSerialFlagRfc2217;
    if (s.on("MODTCP")) flags |= k7::kSerialFlagModbus;
    if (s.is("REGEN", 0, "CLOUD")) flags |= k7::kSerialFlagCloud;
    r.flags = flags;
    r.pack_time = number<std::uint8_t>(s, "UARTTL", 0);
    r.pack_len = number<std::uint32_t>(s, "UARTTL", 1);
    return r;
}

std::optional<std::vector<Setting>> serial_settings(const k7::Serial& r, const params::Store& current) {
    const auto parity = word_of(kParity, r.parity, 1);
    const auto flow = flow_word(r.flow);
    const auto mode = word_of(kWorkMode, r.work_mode, 0);
    if (!parity || !flow || !mode) return std::nullopt;
    std::vector<Setting> out;
    // Numbers go to AT as they are: AT+UART's own ranges decide (K7 §5.3.5 #13).
    out.push_back({"UART", std::to_string(r.baud) + "," + std::to_string(r.data_bits) + "," +
                               std::to_string(r.stop_bits) + "," + std::string(*parity) + "," +
                               std::string(*flow)});
    const bool server = *mode == "UDPS" || *mode == "TCPS";
    out.push_back({"SOCKA", std::string(*mode) + "," + r.url + "," +
                                std::to_string(server ? r.local_port : r.remote_port)});
    out.push_back({"UARTTL", std::to_string(r.pack_time) + "," + std::to_string(r.pack_len)});
    // The form's example has 0 ("00 00 00 00") where SOCKTON takes 1~99999: 0 keeps it (INFERRED).
    if (r.reconnect_timeout != 0) out.push_back({"SOCKTON", std::to_string(r.reconnect_timeout)});
    out.push_back({"RFCEN", on_off(r.flags & k7::kSerialFlagRfc2217)});
    out.push_back({"MODTCP", on_off(r.flags & k7::kSerialFlagModbus)});
    // Bit 4 says USR-cloud or not; which other registration applies without it is not in the block:
    // clearing it turns CLOUD off, and leaves USR / MAC registration alone.
    if (r.flags & k7::kSerialFlagCloud)
        out.push_back({"REGEN", "CLOUD"});
    else if (current.is("REGEN", 0, "CLOUD"))
        out.push_back({"REGEN", "OFF"});
    return out;
}

} // namespace dtu::device::discovery_params
