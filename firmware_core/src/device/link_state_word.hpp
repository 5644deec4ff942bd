#pragma once
// The word a link-state query answers (AT+SOCKALK, AT+SOCKLKA...), taken from its row's choices:
// "connected|not connected", optionally followed by "|listening|connected with n clients" for a
// model whose TCP server reports them (K7 §4.1.4; spec k7-ethernet §12.1 RECOMMENDED:
// "CONNECTED|IDLE|LISTEN|CONNECTED(n)").
#include <optional>
#include <string>
#include <string_view>

#include "at_engine.hpp"

namespace dtu::device {

/// The 4th choice's placeholder for the client count.
inline constexpr std::string_view kClientCountMark = "(n)";

/// connected: the socket's link is up (a client socket connected, a UDP server bound); server: the
/// TCP server's own state when the socket is one (then connected is ignored).
std::string link_state_word(std::string_view choices, bool connected,
                            const std::optional<ServerSocketLive>& server);

} // namespace dtu::device
