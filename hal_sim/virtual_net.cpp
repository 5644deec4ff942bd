#include "hal_sim/virtual_net.hpp"

#include <utility>

#include <boost/asio/ip/address.hpp>

#include "hal_sim/delay_line.hpp"
#include "hal_sim/host_name.hpp"
#include "hal_sim/net_open_refusal.hpp"
#include "hal_sim/tls_session.hpp"

namespace dtu::hal_sim {

using TimePoint = Scheduler::TimePoint;

namespace {

/// An IP address needs no name server (pure parsing, nothing is looked up).
bool ip_literal(const std::string& host) {
    boost::system::error_code ec;
    boost::asio::ip::make_address(host, ec);
    return !ec;
}

} // namespace

// One connection attempt / connection of one slot: two delay lines (upstream to the server,
// downstream to the firmware), each with one scheduler task armed for its earliest item, and on a
// TLS link its TlsLink (records through the lines, plaintext to and from the firmware). Every task
// holds a shared_ptr to it and does nothing once closed_ is set; abort() cancels them all.
class VirtualNet::Conn : public std::enable_shared_from_this<VirtualNet::Conn>, private TlsTransport {
public:
    Conn(VirtualNet& net, hal::LinkId id, std::uint32_t gen, hal::Proto proto, std::string host,
         std::uint16_t port, std::unique_ptr<TlsSession> tls)
        : net_(net), id_(id), gen_(gen), epoch_(net.epoch_), proto_(proto), host_(std::move(host)),
          port_(port), tls_(tls ? std::make_unique<TlsLink>(std::move(tls), static_cast<TlsTransport&>(*this),
                                                            net.tls_report_, net.log_, id, host_, port)
                                : nullptr) {
        up_.flow = {Direction::Upstream, proto == hal::Proto::Tcp, {}};
        down_.flow = {Direction::Downstream, proto == hal::Proto::Tcp, {}};
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
        const bool literal = ip_literal(host_);
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
        if (up_.bytes + bytes.size() > net_.options_.max_queue_bytes) {
            net_.link_.count_overflow(Direction::Upstream, bytes.size());
            return false;
        }
        if (tls_) { // the cap above counts the plaintext; the records are a little larger
            if (!tls_->write(bytes)) return false;
        } else {
            offer(up_, Item{std::string(bytes)});
        }
        if (up_.bytes > net_.options_.send_busy_bytes) busy_ = true;
        return true;
    }

    /// Flow control (hal::Net::send_busy), as AsioNet: over send_busy_bytes until half drained.
    bool busy() const { return busy_ && state_ == NetLinkState::Connected && !detached_; }

    /// The firmware closed this link. True if it keeps delivering what was sent (and, TCP, the FIN).
    bool close_by_firmware() {
        if (closed_) return false;
        detached_ = true;
        clear(down_);
        const bool tcp = proto_ == hal::Proto::Tcp;
        if (state_ != NetLinkState::Connected || server_closed_ || (!tcp && up_.items.empty())) {
            abort(transport_up_ ? Notice::Fin : Notice::None); // a TLS handshake's server hears the FIN
            return false;
        }
        if (tls_) tls_->close(); // close_notify behind the data already sent
        state_ = NetLinkState::Closing;
        if (tcp) push(up_, net_.link_.schedule_control(up_.flow, net_.scheduler_.now()), Item{{}, true});
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
        clear(up_);
        clear(down_);
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
        pump(up_);
        if (closed_ || detached_) return;
        pump(down_);
    }

    bool server_send(std::string_view bytes) {
        if (closed_ || server_closed_ || end_queued_ || state_ == NetLinkState::Resolving ||
            (state_ == NetLinkState::Connecting && !transport_up_))
            return false;
        if (detached_) return true; // the device closed its socket: the bytes are discarded
        if (bytes.empty() && proto_ == hal::Proto::Tcp) return true;
        if (down_.bytes + bytes.size() > net_.options_.max_queue_bytes) {
            net_.link_.count_overflow(Direction::Downstream, bytes.size());
            return proto_ == hal::Proto::Udp; // a UDP datagram is lost; a TCP send is refused
        }
        offer(down_, Item{std::string(bytes)});
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
        push(down_, net_.link_.schedule_control(down_.flow, net_.scheduler_.now()), Item{{}, true, why});
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
        s.up_queued_bytes = up_.bytes;
        s.down_queued_bytes = down_.bytes;
        if (tls_) tls_->fill(s);
        return s;
    }

private:
    using Item = DelayItem;

    /// One direction's delay line: items by delivery time (equal times keep their order).
    struct Queue {
        DelayItems items;
        std::size_t bytes = 0;
        Scheduler::TaskId task = 0;
        TimePoint armed_at{};
        LinkImpairment::Flow flow;
    };

    template <typename Fn> Scheduler::TaskId task(TimePoint when, Fn fn) {
        return net_.later(when, [self = shared_from_this(), fn] {
            if (!self->closed_) fn(*self);
        });
    }

    bool stalled_any() const {
        return net_.link_.stalled(Direction::Upstream) || net_.link_.stalled(Direction::Downstream);
    }
    Direction direction(const Queue& q) const {
        return &q == &up_ ? Direction::Upstream : Direction::Downstream;
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

    void offer(Queue& q, Item item) {
        const auto v = net_.link_.schedule(q.flow, item.data.size(), net_.scheduler_.now());
        if (v.drop) return; // lost on the radio (UDP): the sender believes it was sent
        push(q, v.deliver_at, std::move(item));
    }

    void push(Queue& q, TimePoint t, Item item) {
        q.bytes += item.data.size();
        q.items.emplace(t, std::move(item));
        arm(q, t);
    }

    void clear(Queue& q) {
        q.items.clear();
        q.bytes = 0;
        if (q.task) net_.scheduler_.cancel(q.task);
        q.task = 0;
    }

    void arm(Queue& q, TimePoint t) {
        if (q.task && q.armed_at <= t) return;
        if (q.task) net_.scheduler_.cancel(q.task);
        q.armed_at = t;
        const bool up = &q == &up_;
        q.task = task(t, [up](Conn& c) {
            Queue& qq = up ? c.up_ : c.down_;
            qq.task = 0;
            c.pump(qq);
        });
    }

    /// Deliver what is due (from the scheduler only); a stalled direction holds it, in order.
    void pump(Queue& q) {
        const Direction d = direction(q);
        const TimePoint now = net_.scheduler_.now();
        while (!closed_ && !q.items.empty()) {
            auto it = q.items.begin();
            if (it->first > now) return arm(q, it->first);
            if (net_.link_.stalled(d)) {
                it = hold_due(q.items, now, net_.link_, d);
                if (it != q.items.end()) arm(q, it->first);
                return;
            }
            Item item = std::move(it->second);
            q.bytes -= item.data.size();
            q.items.erase(it);
            if (d == Direction::Upstream) {
                deliver_up(item);
                maybe_drained();
            } else {
                deliver_down(item);
                if (detached_) return;
            }
        }
        if (!closed_ && d == Direction::Upstream && detached_ && q.items.empty()) { // UDP drain done
            abort(Notice::None);
            net_.finish_draining(this);
        }
    }

    void maybe_drained() {
        if (!busy_ || up_.bytes > net_.options_.send_busy_bytes / 2) return;
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
    void tls_send(std::string records) override { offer(up_, Item{std::move(records)}); }
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
    Queue up_, down_;
    std::uint64_t tx_bytes_ = 0, tx_packets_ = 0, rx_bytes_ = 0, rx_packets_ = 0;
};

// ---- VirtualNet -------------------------------------------------------------------------------------

VirtualNet::VirtualNet(Scheduler& scheduler, LinkImpairment& link, hal::Log& log, VirtualNetOptions options)
    : scheduler_(scheduler), link_(link), log_(log), options_(options),
      alive_(std::make_shared<VirtualNet*>(this)) {
    link_.set_change_handler(
        [this](const LinkConfig& before, const LinkConfig& after) { on_config_changed(before, after); });
}

VirtualNet::~VirtualNet() {
    link_.set_change_handler(nullptr);
    alive_.reset();
    for (Slot& s : slots_) {
        if (s.conn) s.conn->abort(Conn::Notice::None);
        s.conn.reset();
    }
    for (auto& c : draining_)
        c->abort(Conn::Notice::None);
    draining_.clear();
}

void VirtualNet::add_server(hal::Proto proto, std::string host, std::uint16_t port, VirtualServer& server) {
    std::string key = host_key(host);
    hosts_.insert(key);
    servers_[ServerKey{proto, std::move(key), port}] = &server;
}

bool VirtualNet::host_declared(std::string_view host) const { return hosts_.count(host_key(host)) != 0; }

VirtualServer* VirtualNet::find_server(hal::Proto proto, std::string_view host, std::uint16_t port) const {
    const auto it = servers_.find(ServerKey{proto, host_key(host), port});
    return it == servers_.end() ? nullptr : it->second;
}

void VirtualNet::open(hal::LinkId id, hal::Proto proto, std::string_view host, std::uint16_t port,
                      const hal::TlsParams* tls) {
    counters_.opens++;
    if (NetObserver* o = observer_for(id)) o->on_open(id, proto, host, port);
    if (id >= slots_.size()) return refuse(id, 0, bad_link_id(id, slots_.size()));
    Slot& slot = slots_[id];
    let_go(slot, draining_, counters_);
    const std::uint32_t gen = ++slot.gen;
    std::unique_ptr<TlsSession> session;
    if (open_rejected(id, gen, proto, host, port, tls, session)) return;
    slot.conn = std::make_shared<Conn>(*this, id, gen, proto, std::string(host), port, std::move(session));
    slot.conn->start();
}

bool VirtualNet::open_rejected(hal::LinkId id, std::uint32_t gen, hal::Proto proto, std::string_view host,
                               std::uint16_t port, const hal::TlsParams* tls,
                               std::unique_ptr<TlsSession>& session) {
    if (auto refusal = refuse_open(id, proto, host, port, tls != nullptr, attached())) {
        refuse(id, gen, *refusal);
        return true;
    }
    if (!tls) return false;
    TlsContextCache& cache = options_.tls_contexts ? *options_.tls_contexts : TlsContextCache::shared();
    session = tls_report_.session(cache, id, *tls, host, port);
    if (session) return false;
    counters_.connect_failures++; // the settings cannot work (reported): no connect, as AsioNet
    post_result(id, gen, hal::NetError::TlsFailed);
    return true;
}

std::optional<std::time_t> VirtualNet::network_time() const {
    if (!network_time_) return std::nullopt;
    return std::chrono::system_clock::to_time_t(network_time_());
}

void VirtualNet::refuse(hal::LinkId id, std::uint32_t gen, const OpenRefusal& refusal) {
    log(refusal.level, refusal.line);
    counters_.connect_failures++;
    post_result(id, gen, refusal.why);
}

bool VirtualNet::send_busy(hal::LinkId id) const { return busy_slot(slots_, id); }

bool VirtualNet::send(hal::LinkId id, std::string_view bytes) {
    return send_on_slot(slots_, counters_, id, bytes);
}

void VirtualNet::close(hal::LinkId id) {
    stop_listening(id);
    close_slot(slots_, draining_, counters_, id);
}

// ---- server sockets -----------------------------------------------------------------------------

void VirtualNet::stop_listening(hal::LinkId id) {
    if (id >= listens_.size() || !listens_[id].active) return;
    listens_[id].active = false; // K7 §4.2.2: the clients it accepted stay open
    log(hal::LogLevel::Info,
        net_link_name(id) + ": stopped listening on " + listen_name(listens_[id].proto, listens_[id].port));
}

bool VirtualNet::listen(hal::LinkId id, hal::Proto proto, std::uint16_t port, hal::LinkRange accepted) {
    if (id < slots_.size()) close(id); // an id in use is closed first
    std::optional<hal::NetError> why = listen_invalid(id, proto, port, accepted);
    if (!why && !attached()) why = hal::NetError::NotAttached;
    if (!why && find_listener(listens_, proto, port)) why = hal::NetError::Invalid; // port taken
    const std::uint32_t gen = id < slots_.size() ? slots_[id].gen : 0;
    if (why) {
        log(hal::LogLevel::Info,
            net_link_name(id) + ": listen " + listen_name(proto, port) + " failed: " + net_error_name(*why));
        later(scheduler_.now(), [this, id, gen, why = *why, epoch = epoch_] {
            if (current(id, gen, epoch))
                if (hal::NetListener* l = listener_for(id)) l->on_listen_failed(id, why);
        });
        return true;
    }
    listens_[id] = NetListen{true, proto, port, accepted};
    log(hal::LogLevel::Info, net_link_name(id) + ": listening on " + listen_name(proto, port));
    later(scheduler_.now(), [this, id, gen, epoch = epoch_] {
        if (current(id, gen, epoch) && listens_[id].active)
            if (hal::NetListener* l = listener_for(id)) l->on_listening(id);
    });
    return true;
}

ConnId VirtualNet::connect_client(hal::Proto proto, std::uint16_t device_port, hal::NetAddress from,
                                  VirtualServer& peer) {
    const ConnId conn = next_conn_id();
    if (proto != hal::Proto::Tcp) { // a UDP peer has no connection: client_datagram
        post_server_closed(&peer, conn, true);
        return conn;
    }
    later(scheduler_.now() + link_.connect_time(),
          [this, conn, device_port, from, &peer] { accept_client(conn, device_port, from, peer); });
    return conn;
}

void VirtualNet::accept_client(ConnId conn, std::uint16_t device_port, hal::NetAddress from,
                               VirtualServer& peer) {
    const auto listener = attached() ? find_listener(listens_, hal::Proto::Tcp, device_port) : std::nullopt;
    if (!listener) return peer.on_closed(conn, true); // nothing listens: the host answers RST
    const NetListen& l = listens_[*listener];
    const auto id =
        free_accept_id(listens_, l.accepted, [this](hal::LinkId i) { return slots_[i].conn != nullptr; });
    if (!id) { // hal::Net::listen: no free id, the client is closed at once
        counters_.accept_refused++;
        log(hal::LogLevel::Info, net_link_name(*listener) + ": " + listen_name(hal::Proto::Tcp, device_port) +
                                     " client " + net_address_text(from) + " refused (no free link)");
        return peer.on_closed(conn, true);
    }
    Slot& slot = slots_[*id];
    const std::uint32_t gen = ++slot.gen;
    const std::string host = net_address_text({from.ip, 0});
    slot.conn = std::make_shared<Conn>(*this, *id, gen, hal::Proto::Tcp, host.substr(0, host.rfind(':')),
                                       from.port, nullptr);
    slot.conn->start_accepted(peer, conn);
    counters_.accepts++;
    log(hal::LogLevel::Debug, net_link_name(*id) + ": accepted " + net_address_text(from) + " on " +
                                  listen_name(hal::Proto::Tcp, device_port));
    if (!peer.on_connect(conn)) {
        // The peer changed its mind: it resets what the device just accepted.
        if (const auto c = find_conn(conn)) c->server_close(true);
    }
    if (slots_[*id].gen != gen) return;
    if (hal::NetListener* fl = listener_for(*listener)) fl->on_accepted(*listener, *id, from);
}

ConnId VirtualNet::client_datagram(std::uint16_t device_port, hal::NetAddress from, std::string_view bytes,
                                   VirtualServer& peer) {
    UdpPeer* known = nullptr;
    for (UdpPeer& p : udp_peers_)
        if (p.address == from) known = &p;
    if (!known) {
        udp_peers_.push_back(UdpPeer{from, device_port, &peer, next_conn_id()});
        known = &udp_peers_.back();
    }
    known->peer = &peer;
    known->device_port = device_port;
    const ConnId conn = known->conn;
    datagram_to_device(device_port, from, std::string(bytes));
    return conn;
}

void VirtualNet::datagram_to_device(std::uint16_t device_port, hal::NetAddress from, std::string bytes) {
    LinkImpairment::Flow flow{Direction::Downstream, false, {}};
    const auto v = link_.schedule(flow, bytes.size(), scheduler_.now());
    if (v.drop) return; // lost on the way, as a client link's UDP
    later(v.deliver_at, [this, device_port, from, bytes = std::move(bytes), epoch = epoch_] {
        const auto id = attached() ? find_listener(listens_, hal::Proto::Udp, device_port) : std::nullopt;
        if (!id || epoch != epoch_) {
            counters_.udp_rx_unbound++;
            return;
        }
        if (hal::NetListener* l = listener_for(*id)) l->on_datagram(*id, from, bytes);
    });
}

VirtualNet::UdpPeer* VirtualNet::find_udp_peer(ConnId conn) {
    for (UdpPeer& p : udp_peers_)
        if (p.conn == conn) return &p;
    return nullptr;
}

bool VirtualNet::send_to(hal::LinkId id, const hal::NetAddress& to, std::string_view bytes) {
    if (id >= listens_.size() || !listens_[id].active || listens_[id].proto != hal::Proto::Udp) {
        counters_.send_refused++;
        return false;
    }
    LinkImpairment::Flow flow{Direction::Upstream, false, {}};
    const auto v = link_.schedule(flow, bytes.size(), scheduler_.now());
    if (v.drop) return true; // lost on the radio: the sender believes it was sent
    later(v.deliver_at, [this, to, data = std::string(bytes)] {
        for (const UdpPeer& p : udp_peers_)
            if (p.address == to || to.ip == 0xFFFFFFFF)
                p.peer->on_data(p.conn, data); // broadcast: every peer
    });
    return true;
}

std::shared_ptr<VirtualNet::Conn> VirtualNet::find_conn(ConnId conn) const {
    if (conn == 0) return nullptr;
    for (const Slot& s : slots_)
        if (s.conn && s.conn->conn_id() == conn) return s.conn;
    for (const auto& c : draining_)
        if (c->conn_id() == conn) return c;
    return nullptr;
}

bool VirtualNet::server_send(ConnId conn, std::string_view bytes) {
    if (const auto c = find_conn(conn)) return c->server_send(bytes);
    if (UdpPeer* p = find_udp_peer(conn)) { // a UDP peer's next datagram (client_datagram)
        datagram_to_device(p->device_port, p->address, std::string(bytes));
        return true;
    }
    return false;
}

void VirtualNet::server_close(ConnId conn, bool reset) {
    if (const auto c = find_conn(conn)) c->server_close(reset);
}

void VirtualNet::set_link_listener(hal::LinkId id, hal::NetListener* listener) {
    if (id < link_listeners_.size()) link_listeners_[id] = listener;
}

void VirtualNet::close_all() {
    ++epoch_;
    for (hal::LinkId id = 0; id < listens_.size(); ++id)
        if (!owned_by_module(id)) listens_[id].active = false;
    for (hal::LinkId id = 0; id < slots_.size(); ++id) {
        if (owned_by_module(id)) continue;
        Slot& s = slots_[id];
        ++s.gen;
        if (s.conn) s.conn->abort(Conn::Notice::Fin);
        s.conn.reset();
    }
    // Links already closed and still delivering their last bytes are cut, the module's own too
    // (their owner has let them go).
    for (auto& c : draining_)
        c->abort(Conn::Notice::Fin);
    draining_.clear();
}

std::size_t VirtualNet::reset_connections() {
    const std::size_t n =
        take_links(slots_, connected_tcp<Conn>, [this](hal::LinkId id, std::uint32_t gen, Conn& conn) {
            conn.abort(Conn::Notice::Rst);
            counters_.closed_by_peer++;
            post_closed(id, gen, hal::NetError::Reset);
        });
    if (n) log(hal::LogLevel::Info, "net: " + std::to_string(n) + " TCP connection(s) reset (injected)");
    return n;
}

std::vector<NetLinkSnapshot> VirtualNet::snapshot() const { return snapshot_slots(slots_); }

void VirtualNet::set_radio_attached(bool up) {
    const bool before = attached();
    radio_attached_ = up;
    attach_changed(before, attached());
}

void VirtualNet::on_config_changed(const LinkConfig& before, const LinkConfig& after) {
    attach_changed(before.attached && radio_attached_, after.attached && radio_attached_);
    if (!unstalled(before, after)) return;
    // From the scheduler: resume() delivers, and set_config is not an event of the firmware's.
    later(scheduler_.now(), [this] {
        for (auto& c : live_conns(slots_, draining_))
            c->resume();
    });
}

void VirtualNet::attach_changed(bool before, bool after) {
    if (before && !after) {
        // Registration lost: every link goes at once; the server sees an RST (VirtualServer).
        post_attach(false);
        end_every_link(
            slots_, draining_, counters_, [](Conn& conn) { conn.abort(Conn::Notice::Rst); },
            [this](hal::LinkId id, std::uint32_t gen, bool was_connected) {
                if (was_connected)
                    post_closed(id, gen, hal::NetError::NotAttached);
                else
                    post_result(id, gen, hal::NetError::NotAttached);
            });
        log(hal::LogLevel::Info, "net: data link detached, all links closed");
    } else if (!before && after) {
        log(hal::LogLevel::Info, "net: data link attached");
        post_attach(true);
    }
}

Scheduler::TaskId VirtualNet::later(TimePoint when, std::function<void()> fn) {
    std::weak_ptr<VirtualNet*> weak = alive_;
    return scheduler_.at(when, [weak, fn = std::move(fn)] {
        if (!weak.expired()) fn();
    });
}

void VirtualNet::emit_result(hal::LinkId id, std::uint32_t gen, hal::NetError why) {
    if (id < slots_.size() && slots_[id].gen != gen) return;
    if (NetObserver* o = observer_for(id)) o->on_result(id, why);
    hal::NetListener* l = listener_for(id);
    if (!l) return;
    if (why == hal::NetError::None)
        l->on_connected(id);
    else
        l->on_connect_failed(id, why);
}

void VirtualNet::emit_closed(hal::LinkId id, std::uint32_t gen, hal::NetError why) {
    if (id >= slots_.size() || slots_[id].gen != gen) return;
    if (NetObserver* o = observer_for(id)) o->on_closed(id, why);
    if (hal::NetListener* l = listener_for(id)) l->on_closed(id, why);
}

void VirtualNet::post_result(hal::LinkId id, std::uint32_t gen, hal::NetError why) {
    later(scheduler_.now(), [this, id, gen, why, epoch = epoch_] {
        if (epoch == epoch_ || owned_by_module(id)) emit_result(id, gen, why);
    });
}

void VirtualNet::post_closed(hal::LinkId id, std::uint32_t gen, hal::NetError why) {
    later(scheduler_.now(), [this, id, gen, why, epoch = epoch_] {
        if (epoch == epoch_ || owned_by_module(id)) emit_closed(id, gen, why);
    });
}

void VirtualNet::post_drained(hal::LinkId id, std::uint32_t gen) {
    later(scheduler_.now(), [this, id, gen, epoch = epoch_] {
        if (!current(id, gen, epoch)) return;
        if (hal::NetListener* l = listener_for(id)) l->on_send_drained(id);
    });
}

void VirtualNet::post_attach(bool up) {
    later(scheduler_.now(), [this, up, epoch = epoch_] {
        if (epoch == epoch_ && listener_) listener_->on_attach_changed(up);
    });
}

void VirtualNet::post_server_closed(VirtualServer* server, ConnId conn, bool reset) {
    later(scheduler_.now(), [server, conn, reset] { server->on_closed(conn, reset); });
}

void VirtualNet::release(hal::LinkId id, std::uint32_t gen) { release_slot(slots_, id, gen); }

void VirtualNet::finish_draining(const Conn* conn) { forget_draining(draining_, conn); }

} // namespace dtu::hal_sim
