// AsioNet: the firmware's link slots over AsioNet::Conn (asio_conn.hpp): opens and their refusals,
// the events to the firmware (posted, dropped when the slot or the epoch moved on), registration
// loss, reset injection and the module's own links.
#include "hal_sim/asio_net.hpp"

#include <utility>

#include <boost/asio/post.hpp>

#include "hal_sim/asio_conn.hpp"
#include "hal_sim/asio_listener.hpp"
#include "hal_sim/host_name.hpp"
#include "hal_sim/net_open_refusal.hpp"
#include "hal_sim/tls_session.hpp"

namespace dtu::hal_sim {

namespace asio = boost::asio;

AsioNet::AsioNet(asio::io_context& io, Scheduler& scheduler, LinkImpairment& link, hal::Log& log,
                 AsioNetOptions options)
    : io_(io), scheduler_(scheduler), link_(link), log_(log), options_(options),
      alive_(std::make_shared<AsioNet*>(this)) {
    link_.set_change_handler(
        [this](const LinkConfig& before, const LinkConfig& after) { on_config_changed(before, after); });
}

AsioNet::~AsioNet() {
    link_.set_change_handler(nullptr);
    ++epoch_;
    for (auto& l : listeners_)
        if (l) l->close();
    for (Slot& s : slots_) {
        if (s.conn) s.conn->abort();
        s.conn.reset();
    }
    abort_draining();
}

void AsioNet::open(hal::LinkId id, hal::Proto proto, std::string_view host, std::uint16_t port,
                   const hal::TlsParams* tls) {
    counters_.opens++;
    if (id >= slots_.size()) return refuse(id, 0, bad_link_id(id, slots_.size()));
    if (proto == hal::Proto::Udp && port == 123) port = options_.ntp_port; // see AsioNetOptions::ntp_port
    Slot& slot = slots_[id];
    let_go(slot, draining_, counters_);
    const std::uint32_t gen = ++slot.gen;
    if (auto refusal = refuse_open(id, proto, host, port, tls != nullptr, attached()))
        return refuse(id, gen, *refusal);
    std::unique_ptr<TlsSession> session;
    if (tls) {
        TlsContextCache& cache = options_.tls_contexts ? *options_.tls_contexts : TlsContextCache::shared();
        session = tls_report_.session(cache, id, *tls, host, port);
        if (!session) { // the settings cannot work (bad certificate text, key mismatch...): no connect
            counters_.connect_failures++;
            post_event(id, gen,
                       [id](hal::NetListener& l) { l.on_connect_failed(id, hal::NetError::TlsFailed); });
            return;
        }
    }
    slot.conn = std::make_shared<Conn>(*this, id, gen, proto, std::string(host), port, std::move(session));
    if (const AsioNetOptions::Redirect* r = redirect(proto, host, port))
        slot.conn->dial("127.0.0.1", r->to_port);
    slot.conn->start();
}

void AsioNet::refuse(hal::LinkId id, std::uint32_t gen, const OpenRefusal& refusal) {
    log(refusal.level, refusal.line);
    counters_.connect_failures++;
    post_event(id, gen, [id, why = refusal.why](hal::NetListener& l) { l.on_connect_failed(id, why); });
}

bool AsioNet::send_busy(hal::LinkId id) const { return busy_slot(slots_, id); }

bool AsioNet::send(hal::LinkId id, std::string_view bytes) {
    return send_on_slot(slots_, counters_, id, bytes);
}

void AsioNet::close(hal::LinkId id) {
    close_slot(slots_, draining_, counters_, id);
    stop_listening(id);
}

void AsioNet::set_link_listener(hal::LinkId id, hal::NetListener* listener) {
    if (id < link_listeners_.size()) link_listeners_[id] = listener;
}

void AsioNet::close_all() {
    ++epoch_;
    for (hal::LinkId id = 0; id < slots_.size(); ++id) {
        if (owned_by_module(id)) continue;
        Slot& s = slots_[id];
        ++s.gen;
        if (!s.conn) continue;
        s.conn->abort();
        s.conn.reset();
    }
    // Links already closed and still delivering their last bytes are cut, the module's own too
    // (their owner has let them go).
    abort_draining();
    stop_all_listeners(); // the firmware listens again as it boots
}

void AsioNet::abort_draining() {
    for (auto& c : draining_)
        c->abort();
    draining_.clear();
}

std::size_t AsioNet::reset_connections() {
    const std::size_t n =
        take_links(slots_, connected_tcp<Conn>, [this](hal::LinkId id, std::uint32_t gen, Conn& conn) {
            conn.reset();
            post_event(id, gen, [id](hal::NetListener& l) { l.on_closed(id, hal::NetError::Reset); });
        });
    if (n) log(hal::LogLevel::Info, "net: " + std::to_string(n) + " TCP connection(s) reset (injected)");
    return n;
}

std::vector<NetLinkSnapshot> AsioNet::snapshot() const { return snapshot_slots(slots_); }

std::vector<NetListenSnapshot> AsioNet::listeners() const {
    return listen_snapshot(listens_, [this](hal::LinkId i) { return slots_[i].conn != nullptr; });
}

void AsioNet::set_radio_attached(bool up) {
    const bool before = attached();
    radio_attached_ = up;
    attach_changed(before, attached());
}

void AsioNet::on_config_changed(const LinkConfig& before, const LinkConfig& after) {
    attach_changed(before.attached && radio_attached_, after.attached && radio_attached_);
    if (unstalled(before, after)) {
        // Posted: resume() delivers data, and set_config is not an event of the firmware's.
        std::weak_ptr<AsioNet*> weak = alive_;
        asio::post(io_, [this, weak] {
            if (weak.expired()) return;
            for (auto& c : live_conns(slots_, draining_))
                c->resume();
        });
    }
}

void AsioNet::attach_changed(bool before, bool after) {
    if (before && !after) {
        // Registration lost: every socket goes at once; the firmware hears of it from the io_context.
        post_event(hal::kMaxLinks, 0, [](hal::NetListener& l) { l.on_attach_changed(false); });
        end_every_link(
            slots_, draining_, counters_, [](Conn& conn) { conn.abort(); },
            [this](hal::LinkId id, std::uint32_t gen, bool was_connected) {
                if (was_connected)
                    post_event(id, gen,
                               [id](hal::NetListener& l) { l.on_closed(id, hal::NetError::NotAttached); });
                else
                    post_event(id, gen, [id](hal::NetListener& l) {
                        l.on_connect_failed(id, hal::NetError::NotAttached);
                    });
            });
        log(hal::LogLevel::Info, "net: data link detached, all links closed");
    } else if (!before && after) {
        log(hal::LogLevel::Info, "net: data link attached");
        post_event(hal::kMaxLinks, 0, [](hal::NetListener& l) { l.on_attach_changed(true); });
    }
}

void AsioNet::post_event(hal::LinkId id, std::uint32_t gen, std::function<void(hal::NetListener&)> event) {
    std::weak_ptr<AsioNet*> weak = alive_;
    asio::post(io_, [this, weak, id, gen, epoch = epoch_, event = std::move(event)] {
        if (weak.expired()) return;
        // close_all() (epoch) spares the module's own links; their generation still applies.
        if (epoch != epoch_ && !owned_by_module(id)) return;
        if (id < slots_.size() && slots_[id].gen != gen) return;
        if (hal::NetListener* l = listener_for(id)) event(*l);
    });
}

const AsioNetOptions::Redirect* AsioNet::redirect(hal::Proto proto, std::string_view host,
                                                  std::uint16_t port) const {
    const std::string key = host_key(host);
    for (const AsioNetOptions::Redirect& r : options_.redirects)
        if (r.proto == proto && r.port == port && host_key(r.host) == key) return &r;
    return nullptr;
}

void AsioNet::emit(hal::LinkId id, std::uint32_t gen, const std::function<void(hal::NetListener&)>& event) {
    if (!current_slot(slots_, id, gen)) return;
    if (hal::NetListener* l = listener_for(id)) event(*l);
}

void AsioNet::release(hal::LinkId id, std::uint32_t gen) { release_slot(slots_, id, gen); }

void AsioNet::finish_draining(const Conn* conn) { forget_draining(draining_, conn); }

const char* AsioNet::state_name(NetLinkState state) { return net_state_name(state); }

const char* AsioNet::error_name(hal::NetError error) { return net_error_name(error); }

} // namespace dtu::hal_sim
