#pragma once
// Inside of VirtualNet (virtual_net.cpp, virtual_net_server.cpp): one link's connection, its two
// delay lines and its TLS. Not for other users.
#include <memory>
#include <string>
#include <utility>

#include <boost/asio/ip/address.hpp>

#include "hal_sim/delay_line.hpp"
#include "hal_sim/host_name.hpp"
#include "hal_sim/tls_session.hpp"
#include "hal_sim/virtual_net.hpp"

namespace dtu::hal_sim {

namespace virtual_net_detail {

/// An IP address needs no name server (pure parsing, nothing is looked up).
inline bool ip_literal(const std::string& host) {
    boost::system::error_code ec;
    boost::asio::ip::make_address(host, ec);
    return !ec;
}

} // namespace virtual_net_detail

// One connection attempt / connection of one slot: two delay lines (delay_line.hpp; upstream to the
// server, downstream to the firmware) and on a TLS link its TlsLink (records through the lines,
// plaintext to and from the firmware). Every task holds a shared_ptr to it and does nothing once
// closed_ is set; abort() cancels them all (the lines' own tasks with clear()).
class VirtualNet::Conn final : public std::enable_shared_from_this<VirtualNet::Conn>, private TlsTransport {
public:
    Conn(VirtualNet& net, hal::LinkId id, std::uint32_t gen, hal::Proto proto, std::string host,
         std::uint16_t port, std::unique_ptr<TlsSession> tls)
        : net_(net), id_(id), gen_(gen), epoch_(net.epoch_), proto_(proto), host_(std::move(host)),
          port_(port), tls_(tls ? std::make_unique<TlsLink>(std::move(tls), static_cast<TlsTransport&>(*this),
                                                            net.tls_report_, net.log_, id, host_, port)
                                : nullptr) {
        remote_ = host_ + ":" + std::to_string(port_);
    }

    NetLinkState state() const { return state_; }
    hal::Proto proto() const { return proto_; }
    ConnId conn_id() const { return conn_id_; }
    bool closed() const { return closed_; }

    void start() {
        state_ = NetLinkState::Resolving;
        connect_task_ = task(net_.scheduler_.now() + net_.options_.connect_timeout, [](Conn& c) {
            if (c.state_ != NetLinkState::Connected) c.fail_connect(hal::NetError::Timeout, "no answer");
        });
        const bool literal = virtual_net_detail::ip_literal(host_);
        if (!literal && (net_.link_.config().dns_failure || !net_.host_declared(host_))) {
            handshake_task_ = task(net_.scheduler_.now(), [](Conn& c) {
                c.fail_connect(hal::NetError::DnsFailed, "the name does not resolve");
            });
            return;
        }
        server_ = net_.find_server(proto_, host_, port_);
        state_ = NetLinkState::Connecting;
        if (proto_ == hal::Proto::Udp) { // G771 §2.6: a UDP socket needs no handshake
            handshake_task_ = task(net_.scheduler_.now() + net_.link_.connect_delay(),
                                   [](Conn& c) { c.report_connected(); });
            return;
        }
        if (net_.link_.config().refuse_connections) {
            handshake_task_ = task(net_.scheduler_.now(), [](Conn& c) {
                c.fail_connect(hal::NetError::Refused, "refused (link setting)");
            });
            return;
        }
        if (literal && !net_.host_declared(host_)) return; // nothing answers: the timeout decides
        handshake_task_ =
            task(net_.scheduler_.now() + net_.link_.connect_time(), [](Conn& c) { c.syn_arrived(); });
    }

    /// K7 §4.2.2: a client of the device's TCP server; the link is connected from the start and is
    /// in every other way a client link (server_ is the peer that dialled).
    void start_accepted(VirtualServer& peer, ConnId conn) {
        server_ = &peer;
        conn_id_ = conn;
        state_ = NetLinkState::Connected;
    }

    bool send(std::string_view bytes) {
        if (closed_ || detached_ || state_ != NetLinkState::Connected) return false;
        if (bytes.empty() && proto_ == hal::Proto::Tcp) return true; // nothing to stream
        if (up_.bytes() + bytes.size() > net_.options_.max_queue_bytes) {
            net_.link_.count_overflow(Direction::Upstream, bytes.size());
            return false;
        }
        if (tls_) { // the cap above counts the plaintext; the records are a little larger
            if (!tls_->write(bytes)) return false;
        } else {
            up_.offer(std::string(bytes));
        }
        if (up_.bytes() > net_.options_.send_busy_bytes) busy_ = true;
        return true;
    }

    /// Flow control (hal::Net::send_busy), as AsioNet: over send_busy_bytes until half drained.
    bool busy() const { return busy_ && state_ == NetLinkState::Connected && !detached_; }

    /// The firmware closed this link. True if it keeps delivering what was sent (and, TCP, the FIN).
    bool close_by_firmware() {
        if (closed_) return false;
        detached_ = true;
        down_.clear();
        const bool tcp = proto_ == hal::Proto::Tcp;
        if (state_ != NetLinkState::Connected || server_closed_ || (!tcp && up_.empty())) {
            abort(transport_up_ ? Notice::Fin : Notice::None); // a TLS handshake's server hears the FIN
            return false;
        }
        if (tls_) tls_->close(); // close_notify behind the data already sent
        state_ = NetLinkState::Closing;
        if (tcp) up_.offer_end();
        linger_task_ = task(net_.scheduler_.now() + net_.options_.linger, [](Conn& c) {
            c.abort(Notice::Fin); // the linger time is up: the socket closes with what is left unsent
            c.net_.finish_draining(&c);
        });
        return true;
    }

    enum class Notice : std::uint8_t { None, Fin, Rst };

    /// Close now: no event to the firmware, queued bytes dropped; the server hears `notice` (TCP).
    void abort(Notice notice) {
        if (closed_) return;
        closed_ = true;
        state_ = NetLinkState::Idle;
        for (Scheduler::TaskId t : {connect_task_, handshake_task_, linger_task_})
            if (t) net_.scheduler_.cancel(t);
        up_.clear();
        down_.clear();
        if (notice != Notice::None && server_ && conn_id_ && !server_closed_ && proto_ == hal::Proto::Tcp)
            net_.post_server_closed(server_, conn_id_, notice == Notice::Rst);
        server_closed_ = true;
    }

    /// A stall was cleared: move what waited.
    void resume() {
        if (closed_) return;
        if (handshake_due_ && !stalled_any()) {
            handshake_due_ = false;
            syn_arrived();
            if (closed_) return;
        }
        pump_up();
        if (closed_ || detached_) return;
        pump_down();
    }

    bool server_send(std::string_view bytes) {
        if (closed_ || server_closed_ || end_queued_ || state_ == NetLinkState::Resolving ||
            (state_ == NetLinkState::Connecting && !transport_up_))
            return false;
        if (detached_) return true; // the device closed its socket: the bytes are discarded
        if (bytes.empty() && proto_ == hal::Proto::Tcp) return true;
        if (down_.bytes() + bytes.size() > net_.options_.max_queue_bytes) {
            net_.link_.count_overflow(Direction::Downstream, bytes.size());
            return proto_ == hal::Proto::Udp; // a UDP datagram is lost; a TCP send is refused
        }
        down_.offer(std::string(bytes));
        return true;
    }

    void server_close(bool reset) {
        if (closed_ || server_closed_) return;
        server_closed_ = true;
        if (proto_ == hal::Proto::Udp) return;
        if (detached_) { // both sides closed: nothing is left to deliver
            abort(Notice::None);
            net_.finish_draining(this);
            return;
        }
        end_queued_ = true;
        const hal::NetError why = reset ? hal::NetError::Reset : hal::NetError::PeerClosed;
        down_.offer_end(why);
    }

    NetLinkSnapshot snapshot() const {
        NetLinkSnapshot s;
        s.id = id_;
        s.proto = proto_;
        s.host = host_;
        s.port = port_;
        if (state_ == NetLinkState::Connected || state_ == NetLinkState::Closing) s.remote = remote_;
        s.state = state_;
        s.tx_bytes = tx_bytes_;
        s.tx_packets = tx_packets_;
        s.rx_bytes = rx_bytes_;
        s.rx_packets = rx_packets_;
        s.up_queued_bytes = up_.bytes();
        s.down_queued_bytes = down_.bytes();
        if (tls_) tls_->fill(s);
        return s;
    }

private:
    using Item = DelayItem;

    template <typename Fn> Scheduler::TaskId task(Scheduler::TimePoint when, Fn fn) {
        return net_.later(when, [self = shared_from_this(), fn] {
            if (!self->closed_) fn(*self);
        });
    }

    bool stalled_any() const {
        return net_.link_.stalled(Direction::Upstream) || net_.link_.stalled(Direction::Downstream);
    }

    /// The SYN reached the server's address (one round trip after open()).
    void syn_arrived() {
        handshake_task_ = 0;
        if (stalled_any()) {
            handshake_due_ = true; // SYN / SYN-ACK cannot pass; resume() or the timeout decides
            return;
        }
        if (!server_) return fail_connect(hal::NetError::Refused, "no server on that port");
        conn_id_ = net_.next_conn_id();
        if (!server_->on_connect(conn_id_)) {
            server_closed_ = true; // a refused SYN: the server has no connection to hear about
            return fail_connect(hal::NetError::Refused, "refused by the server");
        }
        if (closed_) return;
        if (!tls_) return report_connected();
        transport_up_ = true; // G771 §2.6.2: the TLS handshake over the link
        net_.log(hal::LogLevel::Debug,
                 net_link_name(id_) + ": TCP connected to " + remote_ + ", TLS handshake");
        tls_->start(net_.network_time());
    }

    void report_connected() {
        handshake_task_ = 0;
        state_ = NetLinkState::Connected;
        net_.scheduler_.cancel(connect_task_);
        connect_task_ = 0;
        net_.counters_.connects++;
        net_.log(hal::LogLevel::Debug, net_link_name(id_) + ": connected to " + remote_);
        net_.emit_result(id_, gen_, hal::NetError::None);
    }

    void fail_connect(hal::NetError why, const char* detail) {
        auto self = shared_from_this();
        abort(transport_up_ ? Notice::Fin : Notice::None);
        net_.counters_.connect_failures++;
        const char* what = tls_ && tls_->started()     ? ": TLS handshake with "
                           : proto_ == hal::Proto::Tcp ? ": TCP connect to "
                                                       : ": UDP connect to ";
        net_.log(hal::LogLevel::Info, net_link_name(id_) + what + remote_ +
                                          " failed: " + net_error_name(why) + " (" + detail + ")");
        net_.release(id_, gen_);
        net_.emit_result(id_, gen_, why);
    }

    /// The server's FIN / RST went through the downstream delay line (or, TLS, its close_notify or a
    /// TLS error: then the server hears the FIN).
    void finish_closed(hal::NetError why) {
        auto self = shared_from_this();
        abort(Notice::Fin);
        net_.counters_.closed_by_peer++;
        net_.log(hal::LogLevel::Info,
                 net_link_name(id_) + ": connection to " + remote_ + " ended: " + net_error_name(why));
        net_.release(id_, gen_);
        net_.emit_closed(id_, gen_, why);
    }

    /// A line's earliest item is due (its task, or resume()).
    void wake(void (Conn::*pump)()) {
        if (closed_) return;
        auto self = shared_from_this(); // delivery may end the link and let the net drop it
        (this->*pump)();
    }

    void pump_up() {
        if (closed_) return;
        const DelayLine::End end = up_.pump([this](Item&& item) {
            deliver_up(item);
            maybe_drained();
            return !closed_;
        });
        if (end == DelayLine::End::Empty && detached_) { // UDP drain done
            abort(Notice::None);
            net_.finish_draining(this);
        }
    }

    void pump_down() {
        if (closed_) return;
        down_.pump([this](Item&& item) {
            deliver_down(item);
            return !closed_ && !detached_;
        });
    }

    void maybe_drained() {
        if (!busy_ || up_.bytes() > net_.options_.send_busy_bytes / 2) return;
        busy_ = false;
        if (!detached_) net_.post_drained(id_, gen_);
    }

    void deliver_up(const Item& item) {
        auto self = shared_from_this();
        if (item.eof) { // the device's FIN reached the server
            VirtualServer* server = server_closed_ ? nullptr : server_;
            abort(Notice::None);
            net_.finish_draining(this);
            if (server && conn_id_) server->on_closed(conn_id_, false);
            return;
        }
        tx_bytes_ += item.data.size();
        tx_packets_++;
        if (!server_ || server_closed_) return; // UDP to a port nobody serves; a closed server
        if (!conn_id_) {                        // UDP: the first datagram of this socket
            conn_id_ = net_.next_conn_id();
            server_->on_connect(conn_id_);
            if (closed_ || server_closed_) return;
        }
        server_->on_data(conn_id_, item.data);
    }

    void deliver_down(const Item& item) {
        if (item.eof && tls_ && !tls_->established()) return tls_->on_transport_end_in_handshake(item.why);
        if (item.eof) return finish_closed(item.why);
        if (tls_) return tls_->on_records(item.data);
        deliver_plain(item.data);
    }

    void deliver_plain(const std::string& data) {
        rx_bytes_ += data.size();
        rx_packets_++;
        if (!net_.current(id_, gen_, epoch_)) return;
        if (NetObserver* o = net_.observer_for(id_)) o->on_to_device(id_, conn_id_, data);
        if (hal::NetListener* l = net_.listener_for(id_)) l->on_data(id_, data);
    }

    // ---- TlsTransport ----
    void tls_send(std::string records) override { up_.offer(std::move(records)); }
    void tls_connected() override { report_connected(); }
    void tls_plaintext(const std::string& plaintext) override { deliver_plain(plaintext); }
    void tls_failed() override {
        auto self = shared_from_this();
        abort(Notice::Fin);
        net_.counters_.connect_failures++;
        net_.release(id_, gen_);
        net_.emit_result(id_, gen_, hal::NetError::TlsFailed);
    }
    void tls_ended(hal::NetError why) override { finish_closed(why); }
    bool tls_gone() const override { return closed_ || detached_; }
    const std::string& tls_remote() const override { return remote_; }

    VirtualNet& net_;
    const hal::LinkId id_;
    const std::uint32_t gen_;
    const std::uint64_t epoch_;
    const hal::Proto proto_;
    const std::string host_;
    const std::uint16_t port_;
    const std::unique_ptr<TlsLink> tls_; ///< TLS links only
    std::string remote_;
    VirtualServer* server_ = nullptr;
    ConnId conn_id_ = 0; ///< 0 until the server heard of this socket
    NetLinkState state_ = NetLinkState::Idle;
    bool closed_ = false;        ///< every task returns at once
    bool detached_ = false;      ///< the firmware closed it: no events, downstream discarded
    bool server_closed_ = false; ///< the server closed (or refused, or was told): it hears nothing more
    bool end_queued_ = false;    ///< the server's FIN/RST is on its way to the device
    bool busy_ = false;          ///< over send_busy_bytes upstream, not yet half drained
    bool handshake_due_ = false;
    bool transport_up_ = false; ///< TLS: the server took the SYN, the handshake runs
    Scheduler::TaskId connect_task_ = 0, handshake_task_ = 0, linger_task_ = 0;
    DelayLine up_{net_.scheduler_, net_.link_, Direction::Upstream, proto_ == hal::Proto::Tcp,
                  [this] { wake(&Conn::pump_up); }};
    DelayLine down_{net_.scheduler_, net_.link_, Direction::Downstream, proto_ == hal::Proto::Tcp,
                    [this] { wake(&Conn::pump_down); }};
    std::uint64_t tx_bytes_ = 0, tx_packets_ = 0, rx_bytes_ = 0, rx_packets_ = 0;
};

} // namespace dtu::hal_sim
