#include "server_listen.hpp"

#include "link_router.hpp"

namespace dtu::device {

ServerListen::ServerListen(hal::Net& net, hal::LinkId id, hal::Proto proto, std::uint16_t port,
                           hal::LinkRange accepted, Log log, std::string name)
    : net_(net), id_(id), proto_(proto), port_(port), accepted_(accepted), log_(std::move(log)),
      name_(!name.empty()              ? std::move(name)
            : proto == hal::Proto::Tcp ? "TCP server"
                                       : "UDP server") {}

ServerListen::~ServerListen() {
    if (state_ == State::Binding || state_ == State::Listening) net_.close(id_);
}

void ServerListen::start() { listen(); }

void ServerListen::listen() {
    state_ = State::Binding;
    if (net_.listen(id_, proto_, port_, accepted_)) return;
    state_ = State::Refused;
    log_(hal::LogLevel::Error,
         name_ + ": the module has no server sockets: not listening on port " + std::to_string(port_));
}

void ServerListen::on_listening() {
    if (state_ != State::Binding) return;
    state_ = State::Listening;
    log_(hal::LogLevel::Info, name_ + ": listening on port " + std::to_string(port_));
}

void ServerListen::on_failed(hal::NetError why) {
    if (state_ != State::Binding) return;
    const bool retry = why == hal::NetError::NotAttached;
    state_ = retry ? State::WaitingForNetwork : State::Refused;
    log_(hal::LogLevel::Warn, name_ + ": listen on port " + std::to_string(port_) +
                                  " failed: " + std::string(net_error_name(why)) +
                                  (retry ? " (again when the network is back)" : ""));
}

void ServerListen::on_attach_changed(bool attached) {
    if (attached && state_ == State::WaitingForNetwork) listen();
}

LinkState ServerListen::link_state() const {
    switch (state_) {
    case State::Off:
    case State::Refused: return LinkState::Disabled;
    case State::Binding: return LinkState::Connecting;
    case State::WaitingForNetwork: return LinkState::Waiting;
    case State::Listening: return LinkState::Idle;
    }
    return LinkState::Disabled;
}

} // namespace dtu::device
