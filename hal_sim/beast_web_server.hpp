#pragma once
// hal::WebServer on Boost.Beast HTTP/1.1: the K7's web server (K7 §4.1.4, §5.2; spec k7-ethernet
// §12), async on the device's io_context (single-threaded: the firmware's handler runs on it). It
// binds through host_acceptor.hpp and records "tcp/<port>" in HostPorts. The board's half of
// the job: HTTP framing, the Basic credentials, the query and form fields decoded; what a page says is the
// firmware's. A request Beast cannot parse is answered 400, a body over the limit 413, a body that is
// not a form 415; each closes that connection only. Keep-alive is honoured.
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <string>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>

#include "dtu/hal/log.hpp"
#include "dtu/hal/web.hpp"
#include "hal_sim/host_acceptor.hpp"
#include "hal_sim/host_ports.hpp"

namespace dtu::hal_sim {

struct BeastWebServerOptions {
    std::size_t max_body = 16 * 1024;               ///< a longer request body is answered 413
    std::size_t max_header = 8 * 1024;              ///< longer request headers are answered 400
    std::size_t max_connections = 16;               ///< TCP connections at once; more are closed at once
    std::chrono::milliseconds idle_timeout{30'000}; ///< a connection silent this long is closed
};

/// What the server saw since it was made.
struct BeastWebServerCounters {
    std::uint64_t connections = 0;  ///< TCP connections accepted
    std::uint64_t requests = 0;     ///< requests handed to the firmware
    std::uint64_t bad_requests = 0; ///< answered 400: not HTTP Beast could parse
    std::uint64_t too_large = 0;    ///< answered 413: body over max_body
    std::uint64_t not_a_form = 0;   ///< answered 415: a body that is not application/x-www-form-urlencoded
    std::uint64_t refused = 0;      ///< connections closed at once: max_connections open
};

class BeastWebServer final : public hal::WebServer {
public:
    BeastWebServer(boost::asio::io_context& io, HostPorts& ports, hal::Log& log,
                   BeastWebServerOptions options = {});
    ~BeastWebServer() override;
    BeastWebServer(const BeastWebServer&) = delete;
    BeastWebServer& operator=(const BeastWebServer&) = delete;

    bool serve(std::uint16_t port, hal::WebHandler& handler) override;
    void stop() override;

    const BeastWebServerCounters& counters() const { return counters_; }

    class Session; // beast_web_server.cpp

private:
    friend class Session;
    void on_accepted(boost::asio::ip::tcp::socket socket);
    void ended(std::uint64_t id);

    hal::Log& log_;
    BeastWebServerOptions options_;
    HostAcceptor acceptor_;
    hal::WebHandler* handler_ = nullptr;
    std::uint64_t next_id_ = 0;
    std::map<std::uint64_t, std::shared_ptr<Session>> sessions_;
    BeastWebServerCounters counters_;
};

} // namespace dtu::hal_sim
