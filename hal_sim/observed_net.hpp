#pragma once
// A hal::Net that reports what the device side does to a NetObserver (traces) and otherwise passes
// everything through: opens as they are asked for, connect results, bytes both ways and closes
// (the peer's as the firmware gets them, the firmware's own as it asks). VirtualNet reports these itself
// (with the server's ConnId); this wraps a net that does not, AsioNet in real time, where the peer's
// connection is not known (conn 0).
#include <string_view>

#include "dtu/hal/net.hpp"
#include "hal_sim/net_peer.hpp"

namespace dtu::hal_sim {

class ObservedNet final : public hal::Net, private hal::NetListener {
public:
    /// inner outlives this object.
    explicit ObservedNet(hal::Net& inner) : inner_(inner) {}
    ~ObservedNet() override { inner_.set_listener(nullptr); }
    ObservedNet(const ObservedNet&) = delete;
    ObservedNet& operator=(const ObservedNet&) = delete;

    /// Where events are reported (nullptr: nowhere); it outlives this object or is unset first.
    void set_observer(NetObserver* observer) { observer_ = observer; }

    // hal::Net
    void set_listener(hal::NetListener* listener) override {
        listener_ = listener;
        inner_.set_listener(listener ? this : nullptr);
    }
    bool attached() const override { return inner_.attached(); }
    using hal::Net::open;
    void open(hal::LinkId id, hal::Proto proto, std::string_view host, std::uint16_t port,
              const hal::TlsParams* tls) override {
        if (observer_) observer_->on_open(id, proto, host, port);
        inner_.open(id, proto, host, port, tls);
    }
    bool send(hal::LinkId id, std::string_view bytes) override {
        const bool taken = inner_.send(id, bytes);
        if (taken && observer_) observer_->on_to_server(id, bytes);
        return taken;
    }
    void close(hal::LinkId id) override {
        if (observer_) observer_->on_device_close(id);
        inner_.close(id);
    }
    bool send_busy(hal::LinkId id) const override { return inner_.send_busy(id); }
    // Server sockets pass through; the trace has no record kind for them yet.
    bool listen(hal::LinkId id, hal::Proto proto, std::uint16_t port, hal::LinkRange accepted) override {
        return inner_.listen(id, proto, port, accepted);
    }
    bool send_to(hal::LinkId id, const hal::NetAddress& to, std::string_view bytes) override {
        return inner_.send_to(id, to, bytes);
    }

private:
    // hal::NetListener: the observer first, so a trace shows the event before what it causes.
    void on_connected(hal::LinkId id) override {
        if (observer_) observer_->on_result(id, hal::NetError::None);
        listener_->on_connected(id);
    }
    void on_connect_failed(hal::LinkId id, hal::NetError why) override {
        if (observer_) observer_->on_result(id, why);
        listener_->on_connect_failed(id, why);
    }
    void on_data(hal::LinkId id, std::string_view bytes) override {
        if (observer_) observer_->on_to_device(id, 0, bytes);
        listener_->on_data(id, bytes);
    }
    void on_closed(hal::LinkId id, hal::NetError why) override {
        if (observer_) observer_->on_closed(id, why);
        listener_->on_closed(id, why);
    }
    void on_attach_changed(bool attached) override { listener_->on_attach_changed(attached); }
    void on_send_drained(hal::LinkId id) override { listener_->on_send_drained(id); }
    void on_listening(hal::LinkId id) override { listener_->on_listening(id); }
    void on_listen_failed(hal::LinkId id, hal::NetError why) override {
        listener_->on_listen_failed(id, why);
    }
    void on_accepted(hal::LinkId listener, hal::LinkId conn, const hal::NetAddress& peer) override {
        listener_->on_accepted(listener, conn, peer);
    }
    void on_datagram(hal::LinkId id, const hal::NetAddress& from, std::string_view bytes) override {
        if (observer_) observer_->on_to_device(id, 0, bytes);
        listener_->on_datagram(id, from, bytes);
    }

    hal::Net& inner_;
    NetObserver* observer_ = nullptr;
    hal::NetListener* listener_ = nullptr;
};

} // namespace dtu::hal_sim
