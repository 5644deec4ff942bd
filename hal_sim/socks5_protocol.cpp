#include "hal_sim/socks5_protocol.hpp"

#include <boost/asio/ip/address_v4.hpp>
#include <boost/asio/ip/address_v6.hpp>

namespace dtu::hal_sim::socks5 {
namespace {

constexpr std::uint8_t kCmdConnect = 0x01;
constexpr std::uint8_t kAtypIpv4 = 0x01;
constexpr std::uint8_t kAtypDomain = 0x03;
constexpr std::uint8_t kAtypIpv6 = 0x04;

std::uint8_t byte(std::string_view in, std::size_t i) { return static_cast<std::uint8_t>(in[i]); }

Request bad(Reply code, bool answerable) {
    Request r;
    r.result = Parse::Bad;
    r.error = code;
    r.answerable = answerable;
    return r;
}

/// The address and port starting at in[4]; need-more / bad / ok.
Request parse_destination(std::string_view in) {
    const std::uint8_t atyp = byte(in, 3);
    std::size_t addr_len = 0;
    std::size_t addr_at = 4;
    if (atyp == kAtypIpv4) {
        addr_len = 4;
    } else if (atyp == kAtypIpv6) {
        addr_len = 16;
    } else if (atyp == kAtypDomain) {
        if (in.size() < 5) return {};
        addr_len = byte(in, 4);
        addr_at = 5;
        if (addr_len == 0) return bad(Reply::GeneralFailure, true);
    } else {
        return bad(Reply::AddressTypeNotSupported, true);
    }
    const std::size_t total = addr_at + addr_len + 2;
    if (in.size() < total) return {};
    Request r;
    r.result = Parse::Ok;
    r.consumed = total;
    r.port = static_cast<std::uint16_t>(byte(in, addr_at + addr_len) << 8 | byte(in, addr_at + addr_len + 1));
    if (atyp == kAtypIpv4) {
        boost::asio::ip::address_v4::bytes_type b;
        for (std::size_t i = 0; i < 4; ++i)
            b[i] = byte(in, addr_at + i);
        r.host = boost::asio::ip::make_address_v4(b).to_string();
    } else if (atyp == kAtypIpv6) {
        boost::asio::ip::address_v6::bytes_type b;
        for (std::size_t i = 0; i < 16; ++i)
            b[i] = byte(in, addr_at + i);
        r.host = boost::asio::ip::make_address_v6(b).to_string();
    } else {
        r.host.assign(in.substr(addr_at, addr_len));
    }
    return r;
}

} // namespace

Greeting parse_greeting(std::string_view in) {
    Greeting g;
    if (in.size() < 2) return g;
    if (byte(in, 0) != kVersion || byte(in, 1) == 0) {
        g.result = Parse::Bad;
        return g;
    }
    const std::size_t n = byte(in, 1);
    if (in.size() < 2 + n) return g;
    g.result = Parse::Ok;
    g.consumed = 2 + n;
    for (std::size_t i = 0; i < n; ++i)
        if (byte(in, 2 + i) == kMethodNoAuth)
            g.no_auth = true;
        else if (byte(in, 2 + i) == kMethodUserPass)
            g.user_pass = true;
    return g;
}

UserPass parse_user_pass(std::string_view in) {
    constexpr std::uint8_t kSubnegotiationVersion = 0x01;
    UserPass u;
    if (in.size() < 2) return u;
    const std::size_t ulen = byte(in, 1);
    if (byte(in, 0) != kSubnegotiationVersion || ulen == 0) {
        u.result = Parse::Bad;
        return u;
    }
    if (in.size() < 3 + ulen) return u;
    const std::size_t plen = byte(in, 2 + ulen);
    if (in.size() < 3 + ulen + plen) return u;
    u.result = Parse::Ok;
    u.consumed = 3 + ulen + plen;
    u.username.assign(in.substr(2, ulen));
    u.password.assign(in.substr(3 + ulen, plen));
    return u;
}

std::string user_pass_reply(bool ok) { return std::string{'\x01', ok ? '\x00' : '\x01'}; }

Request parse_request(std::string_view in) {
    if (in.size() < 4) return {};
    if (byte(in, 0) != kVersion) return bad(Reply::GeneralFailure, false);
    if (byte(in, 2) != 0x00) return bad(Reply::GeneralFailure, true); // RSV must be zero
    Request r = parse_destination(in);
    // RFC 1928 §4: BIND and UDP ASSOCIATE exist, but a modem's MQTT client never asks for them.
    if (r.result == Parse::Ok && byte(in, 1) != kCmdConnect) return bad(Reply::CommandNotSupported, true);
    return r;
}

std::string method_reply(std::uint8_t method) {
    return std::string{static_cast<char>(kVersion), static_cast<char>(method)};
}

std::string reply(Reply code) {
    // VER REP RSV ATYP=IPv4 BND.ADDR(4) BND.PORT(2)
    std::string out(10, '\0');
    out[0] = static_cast<char>(kVersion);
    out[1] = static_cast<char>(code);
    out[3] = static_cast<char>(kAtypIpv4);
    return out;
}

const char* reply_name(Reply code) {
    switch (code) {
    case Reply::Succeeded: return "succeeded";
    case Reply::GeneralFailure: return "general failure";
    case Reply::NotAllowed: return "not allowed";
    case Reply::NetworkUnreachable: return "network unreachable";
    case Reply::HostUnreachable: return "host unreachable";
    case Reply::ConnectionRefused: return "connection refused";
    case Reply::TtlExpired: return "TTL expired";
    case Reply::CommandNotSupported: return "command not supported";
    case Reply::AddressTypeNotSupported: return "address type not supported";
    }
    return "?";
}

} // namespace dtu::hal_sim::socks5
