#pragma once
// A scenario peer (VirtualServer) on real sockets, for scenarios in real time: it listens on
// 127.0.0.1 at a port the kernel picks, and the device's AsioNet is redirected there when it dials
// the peer's declared address (AsioNetOptions::redirects). The peer's code is the same as in
// virtual time; only the transport differs:
// - TCP: each accepted connection is a ConnId. set_accepting(false) closes the listening socket, so
//   the host refuses connections (the device gets Refused) until set_accepting(true) listens again
//   on the same port. The kernel completes a handshake before the peer is asked, so a connection
//   the peer refuses in on_connect is reset at once (the device sees a connect, then Reset).
//   server_close(FIN) goes out after everything sent before it; the peer gets nothing more on that
//   connection.
// - UDP: one socket; each remote address is a ConnId, made at its first datagram.
// Events come from the io_context's handlers, never inside a ServerLink call.
#include <cstdint>
#include <map>
#include <memory>
#include <string_view>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ip/udp.hpp>

#include "dtu/hal/log.hpp"
#include "dtu/hal/net.hpp"
#include "hal_sim/net_peer.hpp"

namespace dtu::hal_sim {

class LoopbackServer final : public ServerLink {
public:
    /// Binds 127.0.0.1:0 (throws boost::system::system_error if the host refuses). log gets one
    /// line per socket error.
    LoopbackServer(boost::asio::io_context& io, hal::Proto proto, hal::Log& log);
    ~LoopbackServer() override;
    LoopbackServer(const LoopbackServer&) = delete;
    LoopbackServer& operator=(const LoopbackServer&) = delete;

    /// Start taking connections (datagrams) for peer, which outlives this object.
    void serve(VirtualServer& peer);
    /// The port the kernel gave.
    std::uint16_t port() const { return port_; }

    // ServerLink
    bool server_send(ConnId conn, std::string_view bytes) override;
    void server_close(ConnId conn, bool reset) override;
    void set_accepting(bool accepting) override;

private:
    class TcpConn;
    friend class TcpConn;

    /// Listen on port_ again (it was closed by set_accepting(false)); logged if the host refuses.
    void listen_again();
    void accept_next();
    void receive_next();
    void on_datagram(std::size_t size);
    /// The device ended conn (or it broke); the peer hears of it if it had not closed it itself.
    void tcp_ended(ConnId conn, bool notify, bool reset);

    boost::asio::io_context& io_;
    hal::Proto proto_;
    hal::Log& log_;
    VirtualServer* peer_ = nullptr;
    std::uint16_t port_ = 0;
    bool accepting_ = true;
    ConnId last_conn_ = 0;
    // TCP
    boost::asio::ip::tcp::acceptor acceptor_;
    std::map<ConnId, std::shared_ptr<TcpConn>> tcp_conns_;
    // UDP
    boost::asio::ip::udp::socket udp_;
    boost::asio::ip::udp::endpoint from_;
    std::string datagram_;
    std::map<boost::asio::ip::udp::endpoint, ConnId> udp_conns_;
    std::map<ConnId, boost::asio::ip::udp::endpoint> udp_peers_; ///< open (not closed by the server)
    /// Handlers hold a weak_ptr to this: they do nothing once the server is gone.
    std::shared_ptr<LoopbackServer*> alive_;
};

} // namespace dtu::hal_sim
