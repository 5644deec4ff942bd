#pragma once
// What listens on a real-time broker's port while the scenario has it `refusing` or `silent`
// (broker_state): mosquitto cannot be told to refuse every CONNECT or to never answer one, so the
// broker process is stopped and this small loopback TCP server takes its port. Refusing: a CONNECT
// is answered with CONNACK (return code N; MQTT 3.1.1 §3.2.2.3) and the connection closed, as a
// broker that refuses does (§3.2.2.5). Silent: connections are accepted and whatever comes is read
// and never answered, until the state changes (the device's CONNACK timeout decides). It answers
// once the CONNECT's fixed header and its remaining length have arrived (§2.2), whatever is in it.
#include <cstdint>
#include <list>
#include <memory>
#include <optional>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>

namespace dtu::sim::scenario {

class ConnackFront {
public:
    /// Listen on 127.0.0.1:port (SO_REUSEADDR: the broker has just left it). refuse_code: the
    /// CONNACK code to answer; nullopt: silent. Throws boost::system::system_error if it cannot.
    ConnackFront(boost::asio::io_context& io, std::uint16_t port, std::optional<std::uint8_t> refuse_code);
    /// Every connection closed, the port released.
    ~ConnackFront();
    ConnackFront(const ConnackFront&) = delete;
    ConnackFront& operator=(const ConnackFront&) = delete;

private:
    struct Conn;
    void accept();
    void read(const std::shared_ptr<Conn>& conn);
    void answer(const std::shared_ptr<Conn>& conn);

    boost::asio::ip::tcp::acceptor acceptor_;
    std::optional<std::uint8_t> refuse_code_;
    std::list<std::weak_ptr<Conn>> conns_;
    std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
};

} // namespace dtu::sim::scenario
