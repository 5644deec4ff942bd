#pragma once
// The K7's server work modes with socket B beside them (K7 §4.2 form 4.2-1: SOCKA and SOCKB are set
// apart; spec k7 §2 GAP-18: socket B is in use when it names a client, TCPC/UDPC with an address
// and a port). Socket A is the work mode (TCP or UDP server); socket B connects to its server as in
// the client modes (a NetMode with only socket B in use). Every serial frame goes to both; what
// socket B's server sends goes to the serial port as in NET mode. AT+RSTIM stays the server's rule
// (data from socket A's clients, K7 §4.4.8): socket B's NetMode runs no restart of its own.
#include <memory>
#include <string_view>

#include "net_mode.hpp"
#include "work_mode.hpp"

namespace dtu::device {

class ServerWithSocketB final : public WorkMode {
public:
    ServerWithSocketB(std::unique_ptr<WorkMode> server, std::unique_ptr<NetMode> socket_b)
        : server_(std::move(server)), socket_b_(std::move(socket_b)) {}

    void start() override {
        server_->start();
        socket_b_->start();
    }
    /// Dropped (false) only if neither side took it; each counts what it drops.
    bool on_frame(std::string_view frame) override {
        const bool served = server_->on_frame(frame);
        const bool dialled = socket_b_->on_frame(frame);
        return served || dialled;
    }
    bool accepting() const override { return server_->accepting() && socket_b_->accepting(); }
    void report(Status& status) const override;
    void report(LiveState& live) const override {
        socket_b_->report(live); // socket B's link state; A is not one of its clients
        server_->report(live);   // socket A: listening, its clients
    }

private:
    std::unique_ptr<WorkMode> server_;
    std::unique_ptr<NetMode> socket_b_;
};

} // namespace dtu::device
