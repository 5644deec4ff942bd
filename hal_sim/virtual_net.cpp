#include "hal_sim/virtual_net.hpp"

#include <utility>

#include "hal_sim/net_open_refusal.hpp"
#include "hal_sim/virtual_net_conn.hpp"

namespace dtu::hal_sim {

using TimePoint = Scheduler::TimePoint;

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
        datagram_to_device(p->device_port, p->address, p->conn, std::string(bytes));
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

std::vector<NetListenSnapshot> VirtualNet::listeners() const {
    return listen_snapshot(listens_, [this](hal::LinkId i) { return slots_[i].conn != nullptr; });
}

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
