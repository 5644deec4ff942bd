#pragma once
// Real clients of the device's own listeners (the K7's TCP/UDP servers, its discovery port) on
// 127.0.0.1, driven from the test thread with timeouts (no fixed sleeps).
#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "serial_client.hpp"

namespace dtu::itest {

/// A TCP connection to 127.0.0.1:port; its bytes are a ByteStream.
class TcpClient {
public:
    /// Connects at once (the kernel completes it even before the device accepts).
    explicit TcpClient(std::uint16_t port);
    ~TcpClient();
    TcpClient(const TcpClient&) = delete;
    TcpClient& operator=(const TcpClient&) = delete;

    bool connected() const { return fd_ >= 0; }
    /// The client's own port (what the device sees as its peer's).
    std::uint16_t local_port() const { return local_port_; }
    ByteStream& stream() { return *stream_; }
    /// Whether the device closed the connection within timeout (EOF or reset).
    bool closed_by_device(std::chrono::milliseconds timeout);

private:
    int fd_ = -1;
    std::uint16_t local_port_ = 0;
    std::unique_ptr<ByteStream> stream_;
};

/// A UDP socket on 127.0.0.1 that talks to one device port.
class UdpClient {
public:
    explicit UdpClient(std::uint16_t device_port);
    ~UdpClient();
    UdpClient(const UdpClient&) = delete;
    UdpClient& operator=(const UdpClient&) = delete;

    std::uint16_t local_port() const { return local_port_; }
    void send(std::string_view bytes);
    /// The next datagram from anyone within timeout; false if none came.
    bool receive(std::string& datagram, std::chrono::milliseconds timeout);

private:
    int fd_ = -1;
    std::uint16_t device_port_ = 0;
    std::uint16_t local_port_ = 0;
};

} // namespace dtu::itest
