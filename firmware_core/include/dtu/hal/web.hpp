#pragma once
// HAL: the module's web server (K7 §5.2, spec k7 §12). The board parses HTTP (its HTTP server
// library); the firmware decides what the pages say and what a form changes. So the pages, the login
// and the parameter writes are device behaviour in the firmware, and HTTP framing is not written by
// hand in it.
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "dtu/hal/net.hpp"

namespace dtu::hal {

/// One HTTP request to the module's web server, as the board's HTTP server parsed it.
struct WebRequest {
    std::string_view method; ///< "GET", "POST", ...
    std::string_view path;   ///< "/", "/serial" (without the query)
    /// The query's fields, then (POST, application/x-www-form-urlencoded) the body's, decoded, in order.
    std::vector<std::pair<std::string, std::string>> fields;
    bool has_credentials = false; ///< an "Authorization: Basic" header that decoded
    std::string_view user;        ///< its user name
    std::string_view password;    ///< its password
    NetAddress peer;              ///< who asked
};

/// The firmware's answer; the board frames it as HTTP/1.1.
struct WebReply {
    int status = 200;
    std::string content_type = "text/html; charset=utf-8";
    std::string body;
    std::string location; ///< non-empty: a Location header (303 after a form)
    std::string realm;    ///< non-empty (status 401): WWW-Authenticate: Basic realm="<realm>"
};

class WebHandler {
public:
    virtual ~WebHandler() = default;
    /// Called on the firmware executor, never inside a WebServer call.
    virtual WebReply on_web_request(const WebRequest& request) = 0;
};

class WebServer {
public:
    virtual ~WebServer() = default;
    /// Serve HTTP on the module's `port` (the host may map it, hal_sim/host_ports.hpp); requests go to
    /// handler. A serve() before replaces it. False (logged) when the board cannot serve that port.
    virtual bool serve(std::uint16_t port, WebHandler& handler) = 0;
    /// Stop serving; no request reaches the handler after this (open connections are closed).
    virtual void stop() = 0;
};

} // namespace dtu::hal
