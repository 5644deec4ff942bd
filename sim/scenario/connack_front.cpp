#include "sim/scenario/connack_front.hpp"

#include <array>
#include <string>

#include <boost/asio/write.hpp>

namespace dtu::sim::scenario {

namespace asio = boost::asio;
using asio::ip::tcp;
using boost::system::error_code;

struct ConnackFront::Conn {
    explicit Conn(tcp::socket s) : socket(std::move(s)) {}
    tcp::socket socket;
    std::array<char, 512> buffer{};
    std::string got; ///< the first packet's bytes so far
    bool answered = false;
};

namespace {

/// Whether bytes hold a whole MQTT packet: the fixed header, the remaining length (1-4 bytes, 7 bits
/// each, MQTT 3.1.1 §2.2.3) and that many bytes. A malformed length counts as whole (answer it).
bool whole_packet(const std::string& bytes) {
    std::size_t length = 0;
    for (std::size_t i = 1; i < bytes.size() && i <= 4; ++i) {
        const auto b = static_cast<unsigned char>(bytes[i]);
        length |= static_cast<std::size_t>(b & 0x7f) << (7 * (i - 1));
        if ((b & 0x80) == 0) return bytes.size() >= 1 + i + length;
    }
    return bytes.size() > 5;
}

} // namespace

ConnackFront::ConnackFront(asio::io_context& io, std::uint16_t port, std::optional<std::uint8_t> refuse_code)
    : acceptor_(io), refuse_code_(refuse_code) {
    const tcp::endpoint at(asio::ip::address_v4::loopback(), port);
    acceptor_.open(at.protocol());
    acceptor_.set_option(tcp::acceptor::reuse_address(true));
    acceptor_.bind(at);
    acceptor_.listen();
    accept();
}

ConnackFront::~ConnackFront() {
    *alive_ = false;
    error_code ignored;
    acceptor_.close(ignored);
    for (const auto& weak : conns_)
        if (auto c = weak.lock()) c->socket.close(ignored);
}

void ConnackFront::accept() {
    acceptor_.async_accept([this, alive = alive_](const error_code& ec, tcp::socket socket) {
        if (!*alive || ec == asio::error::operation_aborted) return;
        if (!ec) {
            auto conn = std::make_shared<Conn>(std::move(socket));
            conns_.remove_if([](const std::weak_ptr<Conn>& w) { return w.expired(); });
            conns_.push_back(conn);
            read(conn);
        }
        accept();
    });
}

void ConnackFront::read(const std::shared_ptr<Conn>& conn) {
    conn->socket.async_read_some(asio::buffer(conn->buffer),
                                 [this, conn, alive = alive_](const error_code& ec, std::size_t n) {
                                     if (!*alive || ec) return; // the peer left, or the front ends
                                     if (!conn->answered) conn->got.append(conn->buffer.data(), n);
                                     if (refuse_code_ && !conn->answered && whole_packet(conn->got))
                                         return answer(conn);
                                     read(conn); // silent: read on, answer nothing
                                 });
}

void ConnackFront::answer(const std::shared_ptr<Conn>& conn) {
    conn->answered = true;
    // CONNACK: type 2, remaining length 2, no session present, the return code (§3.2).
    auto bytes = std::make_shared<std::array<char, 4>>(
        std::array<char, 4>{0x20, 0x02, 0x00, static_cast<char>(*refuse_code_)});
    asio::async_write(conn->socket, asio::buffer(*bytes), [conn, bytes](const error_code&, std::size_t) {
        error_code ignored;
        conn->socket.shutdown(tcp::socket::shutdown_both, ignored);
        conn->socket.close(ignored);
    });
}

} // namespace dtu::sim::scenario
