#pragma once
// The server side of SOCKS version 5 (RFC 1928) as the relay speaks it: username/password
// authentication (RFC 1929) only, the CONNECT command only, with IPv4, domain-name or IPv6 destinations. Pure
// functions on bytes (no I/O): each parser consumes a complete message from the front of a buffer, or says it
// needs more, or says why the message is bad.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace dtu::hal_sim::socks5 {

inline constexpr std::uint8_t kVersion = 5;
/// RFC 1928 §3: METHOD values.
inline constexpr std::uint8_t kMethodNoAuth = 0x00;
inline constexpr std::uint8_t kMethodUserPass = 0x02;
inline constexpr std::uint8_t kMethodNoneAcceptable = 0xFF;
/// The longest greeting (2 + 255 methods) and request (4 + 1 + 255 + 2): what the relay buffers
/// before it has answered.
inline constexpr std::size_t kMaxGreeting = 257;
inline constexpr std::size_t kMaxRequest = 262;

/// RFC 1928 §6: REP values.
enum class Reply : std::uint8_t {
    Succeeded = 0x00,
    GeneralFailure = 0x01,
    NotAllowed = 0x02,
    NetworkUnreachable = 0x03,
    HostUnreachable = 0x04,
    ConnectionRefused = 0x05,
    TtlExpired = 0x06,
    CommandNotSupported = 0x07,
    AddressTypeNotSupported = 0x08,
};

enum class Parse : std::uint8_t { NeedMore, Bad, Ok };

/// The client's method selection message (RFC 1928 §3).
struct Greeting {
    Parse result = Parse::NeedMore;
    std::size_t consumed = 0; ///< bytes of the message (when Ok)
    bool no_auth = false;     ///< the client offers "no authentication required"
    bool user_pass = false;   ///< the client offers username/password (RFC 1929)
};
Greeting parse_greeting(std::string_view in);

/// A username and password (RFC 1929: 1 to 255 bytes each).
struct Credentials {
    std::string username;
    std::string password;
};

/// The client's username/password request (RFC 1929 §2): 01 ULEN UNAME PLEN PASSWD.
struct UserPass {
    Parse result = Parse::NeedMore;
    std::size_t consumed = 0;
    std::string username;
    std::string password;
};
UserPass parse_user_pass(std::string_view in);
/// The server's answer to it: 01 00 (success) or 01 01 (failure; the server then closes).
std::string user_pass_reply(bool ok);

/// The client's request (RFC 1928 §4, §5).
struct Request {
    Parse result = Parse::NeedMore;
    std::size_t consumed = 0;
    Reply error = Reply::GeneralFailure; ///< when Bad: the reply to send (if the version was right)
    bool answerable = false;             ///< when Bad: the message was SOCKS5, so a reply makes sense
    std::string host;                    ///< dotted IPv4, IPv6 text, or the domain name as sent
    std::uint16_t port = 0;
};
Request parse_request(std::string_view in);

/// The method selection reply: 05 method.
std::string method_reply(std::uint8_t method);
/// The reply to a request: 05 rep 00 01 0.0.0.0:0 (the relay does not disclose its bound address).
std::string reply(Reply code);

/// Short English name of a reply code, for logs.
const char* reply_name(Reply code);

} // namespace dtu::hal_sim::socks5
