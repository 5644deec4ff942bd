#pragma once
// The control API: JSON over HTTP under /api/v1/ (cpp-httplib) for scripts, tests and CI — board
// status, link impairment, radio and SIM cards, power. docs/control-api.md documents the requests,
// docs/control-api.openapi.yaml describes them (checked against this server by openapi_tests).
//
// Threads: httplib serves on threads of its own. Each request is parsed and checked there (pure
// data), then handed to the device's io_context and waited for, so the firmware, the HAL and the
// link are only ever touched on the one executor that runs them.
#include <memory>
#include <string>

#include <boost/asio/io_context.hpp>

#include "dtu/hal/log.hpp"
#include "sim/cli.hpp"

namespace dtu::sim {

class DeviceHost;

class ControlApi {
public:
    /// Serves host, which must outlive this object; profile is the device model's name.
    ControlApi(boost::asio::io_context& io, DeviceHost& host, std::string profile, hal::Log& log);
    /// Stops serving (see stop()).
    ~ControlApi();
    ControlApi(const ControlApi&) = delete;
    ControlApi& operator=(const ControlApi&) = delete;

    /// Bind to at and serve on a background thread. False, with error set, if it cannot bind.
    /// Requests are answered once io runs.
    bool start(const ControlEndpoint& at, std::string& error);
    /// Stop serving and join the server's threads. A request still waiting for the device is
    /// answered 503. Safe whether or not io still runs; idempotent. Call on the io thread (or
    /// after io has stopped), never from a request.
    void stop();
    /// The base URL, e.g. "http://127.0.0.1:40123"; empty before start().
    const std::string& url() const;

    /// True after POST /api/v1/power {"action":"off"} until the next "on" or "cycle": whoever
    /// would otherwise boot the board (--wait-serial's first client) must leave it off. io thread.
    bool power_held_off() const;

private:
    class Impl;
    std::unique_ptr<Impl> impl_;
};

} // namespace dtu::sim
