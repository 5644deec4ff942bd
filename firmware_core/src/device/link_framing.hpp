#pragma once
// How a NET-family work mode frames what its sockets carry. NET sends the bytes as they are (no
// framing); UDC wraps them in the UDC protocol frame (732 §2.1.4, udc_framing.hpp).
#include <cstddef>
#include <functional>
#include <string>
#include <string_view>

namespace dtu::device {

class LinkFraming {
public:
    virtual ~LinkFraming() = default;
    /// What a socket sends first after every connect (in place of the registration packet).
    virtual std::string login() const = 0;
    /// The heartbeat to the server.
    virtual std::string heartbeat() const = 0;
    /// A payload (a serial frame, a network AT answer) as it goes to the server.
    virtual std::string up(std::string_view payload) const = 0;
    /// Bytes from the server on a socket: payload() gets what is for the device, answer() what the
    /// protocol itself sends back on that socket.
    virtual void down(std::size_t socket, std::string_view bytes,
                      const std::function<void(std::string_view)>& payload,
                      const std::function<void(std::string_view)>& answer) = 0;
};

} // namespace dtu::device
