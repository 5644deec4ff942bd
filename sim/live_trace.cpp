#include "sim/live_trace.hpp"

#include <QDateTime>

#include "sim/scenario/world.hpp"

namespace dtu::sim {

using scenario::TraceKind;

namespace {

QJsonObject live_header(const std::string& profile, std::uint64_t seed) {
    scenario::WorldSetup setup;
    setup.name = "dtu-sim";
    setup.profile = profile;
    setup.seed = seed;
    setup.real_time = true;
    setup.baud_pacing = false; // serial_in is recorded as the firmware got it: already paced
    return scenario::setup_to_json(setup);
}

} // namespace

LiveTrace::LiveTrace(const hal_sim::RunnableScheduler& scheduler, const std::string& profile,
                     std::uint64_t seed)
    : recorder_(scheduler) {
    recorder_.record(TraceKind::Scenario, live_header(profile, seed));
}

bool LiveTrace::open(const std::string& dir, const std::string& stem, std::string& error) {
    if (!files_.open(dir, stem, recorder_.events().front().info, error)) return false;
    files_.attach(recorder_);
    return true;
}

bool LiveTrace::close(std::string& error) { return files_.close(error); }

void LiveTrace::on_serial_in(std::string_view bytes) { recorder_.record_bytes(TraceKind::SerialIn, bytes); }

void LiveTrace::on_serial_out(std::string_view bytes) { recorder_.record_bytes(TraceKind::SerialOut, bytes); }

void LiveTrace::on_open(hal::LinkId link, hal::Proto proto, std::string_view host, std::uint16_t port) {
    links_[link] = Link{std::string(host) + ":" + std::to_string(port), proto == hal::Proto::Udp, 0};
    recorder_.record(TraceKind::NetOpen, scenario::net_open_info(link, proto, host, port));
}

void LiveTrace::on_result(hal::LinkId link, hal::NetError why) {
    const auto it = links_.find(link);
    if (why == hal::NetError::None && it != links_.end()) {
        Link& l = it->second;
        l.conn = ++conns_;
        record(TraceKind::ServerAccept, l, {},
               {{"accept", true},
                {"address", QString::fromStdString(l.server)},
                {"protocol", l.udp ? "udp" : "tcp"}});
    }
    recorder_.record(TraceKind::NetResult, scenario::net_result_info(link, why));
    if (why != hal::NetError::None && it != links_.end()) links_.erase(it);
}

void LiveTrace::on_to_device(hal::LinkId link, hal_sim::ConnId, std::string_view bytes) {
    if (const Link* l = connected(link)) record(TraceKind::ToDevice, *l, bytes, {{"link", link}});
}

void LiveTrace::on_to_server(hal::LinkId link, std::string_view bytes) {
    if (const Link* l = connected(link)) record(TraceKind::ToServer, *l, bytes);
}

void LiveTrace::on_closed(hal::LinkId link, hal::NetError why) {
    // PeerClosed is the server's FIN; a reset or a lost registration ends it without one.
    if (const Link* l = connected(link))
        record(TraceKind::ServerClose, *l, {}, {{"reset", why != hal::NetError::PeerClosed}});
    links_.erase(link);
}

void LiveTrace::on_device_close(hal::LinkId link) {
    // hal::Net::close is the device's orderly close (a FIN), never a reset.
    if (const Link* l = connected(link)) record(TraceKind::DeviceClose, *l, {}, {{"reset", false}});
    links_.erase(link);
}

const LiveTrace::Link* LiveTrace::connected(hal::LinkId link) const {
    const auto it = links_.find(link);
    return it != links_.end() && it->second.conn != 0 ? &it->second : nullptr;
}

void LiveTrace::record(TraceKind kind, const Link& l, std::string_view bytes, QJsonObject info) {
    recorder_.record(scenario::TraceEvent{0, kind, l.server, l.conn, std::string(bytes), std::move(info)});
}

std::string live_trace_stem(const std::string& profile, const std::string& imei) {
    const QString utc = QDateTime::currentDateTimeUtc().toString(QStringLiteral("yyyyMMdd'T'HHmmss'Z'"));
    return profile + "-" + imei + "-" + utc.toStdString();
}

} // namespace dtu::sim
