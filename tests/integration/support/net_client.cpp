#include "net_client.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <stdexcept>

#include "sim/process/loopback_port.hpp"

namespace dtu::itest {
namespace {

using sim::process::loopback;

std::uint16_t local_port_of(int fd) {
    sockaddr_in a{};
    socklen_t len = sizeof a;
    if (getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len) != 0) return 0;
    return ntohs(a.sin_port);
}

bool readable(int fd, std::chrono::milliseconds timeout) {
    pollfd p{fd, POLLIN, 0};
    return ::poll(&p, 1, static_cast<int>(timeout.count())) > 0;
}

} // namespace

TcpClient::TcpClient(std::uint16_t port) {
    fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    const sockaddr_in a = loopback(port);
    if (fd_ < 0 || ::connect(fd_, reinterpret_cast<const sockaddr*>(&a), sizeof a) != 0) {
        if (fd_ >= 0) ::close(fd_);
        fd_ = -1;
        throw std::runtime_error("TcpClient: cannot connect to 127.0.0.1:" + std::to_string(port));
    }
    local_port_ = local_port_of(fd_);
    stream_ = std::make_unique<ByteStream>(fd_, fd_);
}

TcpClient::~TcpClient() {
    stream_.reset();
    if (fd_ >= 0) ::close(fd_);
}

bool TcpClient::closed_by_device(std::chrono::milliseconds timeout) {
    stream_->read_until([](std::string_view) { return false; }, timeout);
    return stream_->closed();
}

UdpClient::UdpClient(std::uint16_t device_port) : device_port_(device_port) {
    fd_ = ::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    const sockaddr_in any = loopback(0);
    if (fd_ < 0 || ::bind(fd_, reinterpret_cast<const sockaddr*>(&any), sizeof any) != 0)
        throw std::runtime_error("UdpClient: cannot bind a UDP socket");
    local_port_ = local_port_of(fd_);
}

UdpClient::~UdpClient() {
    if (fd_ >= 0) ::close(fd_);
}

void UdpClient::send(std::string_view bytes) {
    const sockaddr_in to = loopback(device_port_);
    ::sendto(fd_, bytes.data(), bytes.size(), 0, reinterpret_cast<const sockaddr*>(&to), sizeof to);
}

bool UdpClient::receive(std::string& datagram, std::chrono::milliseconds timeout) {
    if (!readable(fd_, timeout)) return false;
    char buf[65536];
    const ssize_t n = ::recv(fd_, buf, sizeof buf, 0);
    if (n < 0) return false;
    datagram.assign(buf, static_cast<std::size_t>(n));
    return true;
}

} // namespace dtu::itest
