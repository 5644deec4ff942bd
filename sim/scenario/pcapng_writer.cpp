// Trace events as synthesized packets in a pcapng file (see pcapng_writer.hpp).
#include "sim/scenario/pcapng_writer.hpp"

#include <arpa/inet.h>

#include <chrono>
#include <vector>

#include <QJsonValue>

#include "hal_sim/host_name.hpp"
#include "sim/scenario/address.hpp"
#include "sim/scenario/network_epoch.hpp"
#include "sim/scenario/trace_text.hpp"

namespace dtu::sim::scenario {
namespace {

constexpr std::uint32_t kNetworkInterface = 0;
constexpr std::uint32_t kSerialInterface = 1;
constexpr std::uint32_t kDeviceAddress = 0x0A400002;     // 10.64.0.2
constexpr std::uint32_t kSerialPeerAddress = 0x0A400001; // 10.64.0.1: what has the serial port open
constexpr std::size_t kInfoBytes = 100;                  // of the serial bytes, in the Info column
constexpr std::uint32_t kNamedHostBase = 0x0A410000;     // 10.65.0.0: names get .0.1, .0.2, ...
constexpr std::uint16_t kDeviceBasePort = 40000;

// Deterministic initial sequence numbers, distinct per connection.
std::uint32_t device_isn(std::uint32_t conn) { return 0x01000000u * (conn % 128) + 1000u * conn; }
std::uint32_t server_isn(std::uint32_t conn) {
    return 0x80000000u + 0x01000000u * (conn % 128) + 1000u * conn;
}

pcapng::Direction direction(bool to_server) {
    return to_server ? pcapng::Direction::Outbound : pcapng::Direction::Inbound;
}

// Virtual time starts at the scenario's network epoch (as AT+CCLK does); real time at the wall clock.
std::uint64_t start_us(const QJsonObject& scenario_header) {
    const auto start = scenario_header.value("clock").toString() == "real" ? std::chrono::system_clock::now()
                                                                           : kNetworkEpoch;
    return static_cast<std::uint64_t>(
        std::chrono::duration_cast<std::chrono::microseconds>(start.time_since_epoch()).count());
}

// The Info column of a serial record: which way, and the first bytes readably.
std::string serial_info(std::string_view bytes, pcapng::Direction dir) {
    std::string info = dir == pcapng::Direction::Inbound ? "to the device: " : "from the device: ";
    info += readable_bytes(bytes.substr(0, kInfoBytes));
    if (bytes.size() > kInfoBytes) info += "... (" + std::to_string(bytes.size()) + " bytes)";
    return info;
}

} // namespace

bool PcapngWriter::open(const std::string& path, const QJsonObject& scenario_header, std::string& error) {
    // Brokers are TCP servers on the network too (Wireshark decodes their MQTT).
    if (!add_servers(scenario_header.value("servers").toObject(), "servers", error) ||
        !add_servers(scenario_header.value("brokers").toObject(), "brokers", error))
        return false;
    start_us_ = start_us(scenario_header);
    if (!file_.open(path, error)) return false;
    std::ofstream& out = file_.out();
    out << pcapng::section_header("dtu-sim scenario runner");
    out << pcapng::interface_description(pcapng::kLinkTypeRaw, "network",
                                         "the device (10.64.0.2) and the scenario's servers, synthesized");
    out << pcapng::interface_description(pcapng::kLinkTypeUpperPdu, "serial",
                                         "serial port bytes (inbound: written to the device)");
    std::vector<std::pair<std::uint32_t, std::string>> names{{kDeviceAddress, "dtu-device"},
                                                             {kSerialPeerAddress, "serial-peer"}};
    names.insert(names.end(), names_.begin(), names_.end());
    out << pcapng::name_resolution(names);
    names_written_ = names_.size();
    return true;
}

bool PcapngWriter::add_servers(const QJsonObject& servers, std::string_view section, std::string& error) {
    // QJsonObject iterates in key order, so names get their addresses the same way every run.
    for (auto it = servers.begin(); it != servers.end(); ++it) {
        if (!add_server(it.key().toStdString(), it.value().toObject())) {
            error = "scenario header: " + std::string(section) + "." + it.key().toStdString() + ".address '" +
                    it.value().toObject().value("address").toString().toStdString() + "' is not host:port";
            return false;
        }
    }
    return true;
}

bool PcapngWriter::add_server(const std::string& name, const QJsonObject& spec) {
    std::string why;
    const std::optional<Address> parsed = parse_address(spec.value("address").toString().toStdString(), why);
    if (!parsed) return false;
    Server s;
    s.endpoint.port = parsed->port;
    s.endpoint.address = address_of(parsed->host);
    s.udp = spec.value("protocol").toString() == "udp";
    s.client_port = static_cast<std::uint16_t>(spec.value("client_port").toInt(0));
    servers_[name] = s;
    return true;
}

// A live trace (dtu-sim --trace) meets its servers as the device dials them: the accept names the
// server's address and protocol. Names that need an address of their own get a Name Resolution
// Block of their own, which pcapng allows anywhere.
void PcapngWriter::declare_met_server(const TraceEvent& event) {
    if (servers_.count(event.server) != 0 || !event.info.contains("address")) return;
    if (!add_server(event.server, event.info)) return;
    if (names_.size() == names_written_) return;
    file_.out() << pcapng::name_resolution(
        {names_.begin() + static_cast<std::ptrdiff_t>(names_written_), names_.end()});
    names_written_ = names_.size();
}

std::uint32_t PcapngWriter::address_of(const std::string& host) {
    const std::string key = hal_sim::host_key(host);
    if (const auto it = hosts_.find(key); it != hosts_.end()) return it->second;
    in_addr literal{};
    std::uint32_t address = 0;
    if (::inet_pton(AF_INET, host.c_str(), &literal) == 1) {
        address = ntohl(literal.s_addr);
    } else {
        address = kNamedHostBase + static_cast<std::uint32_t>(names_.size()) + 1;
        names_.emplace_back(address, host);
    }
    hosts_[key] = address;
    return address;
}

void PcapngWriter::write(const TraceEvent& event) {
    if (!file_.is_open()) return;
    switch (event.kind) {
    case TraceKind::SerialIn: return serial(event, pcapng::Direction::Inbound);
    case TraceKind::SerialOut: return serial(event, pcapng::Direction::Outbound);
    case TraceKind::ServerAccept: return accept(event);
    case TraceKind::NetOpen: return open_link(event);
    case TraceKind::NetResult: return link_result(event);
    case TraceKind::ToServer: return data(event, true);
    case TraceKind::ToDevice: return data(event, false);
    case TraceKind::DeviceClose: return close_connection(event, true);
    case TraceKind::ServerClose: return close_connection(event, false);
    case TraceKind::LinkReset: return reset_all(event.t_us);
    default: return;
    }
}

bool PcapngWriter::close(std::string& error) { return file_.close(error); }

std::optional<std::uint32_t> PcapngWriter::known_address(const std::string& host) const {
    const auto it = hosts_.find(hal_sim::host_key(host));
    if (it == hosts_.end()) return std::nullopt;
    return it->second;
}

const PcapngWriter::Server* PcapngWriter::server(const TraceEvent& event) {
    const auto it = servers_.find(event.server);
    if (it == servers_.end() || event.conn == 0) {
        ++skipped_;
        return nullptr;
    }
    return &it->second;
}

Endpoint PcapngWriter::device(std::uint32_t conn) const {
    return {kDeviceAddress, static_cast<std::uint16_t>(kDeviceBasePort + conn)};
}

Endpoint PcapngWriter::device_for(const Server& s, std::uint32_t conn) const {
    return s.client_port ? Endpoint{kDeviceAddress, s.client_port} : device(conn);
}

void PcapngWriter::accept(const TraceEvent& event) {
    declare_met_server(event);
    const Server* s = server(event);
    if (s == nullptr) return;
    // The attempt this answers: the oldest unanswered open of a link to this server's address.
    for (auto& [link, open] : pending_) {
        if (!open.answered && open.port == s->endpoint.port &&
            known_address(open.host) == s->endpoint.address) {
            open.answered = true;
            break;
        }
    }
    if (s->udp) return; // UDP has no handshake: the first datagram follows
    if (event.info.value("accept").toBool(true))
        handshake(event.t_us, *s, event.conn);
    else
        refused(event.t_us, device(event.conn), s->endpoint);
}

void PcapngWriter::open_link(const TraceEvent& event) {
    pending_[event.info.value("link").toInteger()] =
        PendingOpen{event.info.value("host").toString().toStdString(),
                    static_cast<std::uint16_t>(event.info.value("port").toInt()),
                    event.info.value("proto").toString().compare("udp", Qt::CaseInsensitive) != 0, false};
}

// A connect no server answered (a declared host, but no server on that port, or the link down):
// drawn from a port of its own since there is no conn number.
void PcapngWriter::link_result(const TraceEvent& event) {
    const auto it = pending_.find(event.info.value("link").toInteger());
    if (it == pending_.end()) return;
    const PendingOpen open = it->second;
    pending_.erase(it);
    const QString result = event.info.value("result").toString();
    const bool refused_here = result.compare("refused", Qt::CaseInsensitive) == 0;
    const bool timed_out = result.compare("timeout", Qt::CaseInsensitive) == 0;
    const std::optional<std::uint32_t> host = known_address(open.host);
    if (open.answered || !open.tcp || !host || !(refused_here || timed_out)) return;
    const Endpoint from{kDeviceAddress, next_anonymous_port_++};
    const Endpoint to{*host, open.port};
    if (refused_here)
        refused(event.t_us, from, to);
    else
        segment(event.t_us, {from, to, device_isn(from.port), 0, tcp_flag::Syn, {}}, true);
}

PcapngWriter::Connection& PcapngWriter::handshake(std::uint64_t t_us, const Server& s, std::uint32_t conn) {
    Connection& c = conns_[conn];
    c.server = s.endpoint;
    const Endpoint dev = device_for(s, conn);
    c.dev = dev;
    c.device_next = device_isn(conn) + 1;
    c.server_next = server_isn(conn) + 1;
    if (s.client_port) { // K7 §4.2.2: the client's SYN, the device's listener answers
        segment(t_us, {s.endpoint, dev, server_isn(conn), 0, tcp_flag::Syn, {}}, false);
        segment(t_us, {dev, s.endpoint, device_isn(conn), c.server_next, tcp_flag::Syn | tcp_flag::Ack, {}},
                true);
        segment(t_us, {s.endpoint, dev, c.server_next, c.device_next, tcp_flag::Ack, {}}, false);
        return c;
    }
    segment(t_us, {dev, s.endpoint, device_isn(conn), 0, tcp_flag::Syn, {}}, true);
    segment(t_us, {s.endpoint, dev, server_isn(conn), c.device_next, tcp_flag::Syn | tcp_flag::Ack, {}},
            false);
    segment(t_us, {dev, s.endpoint, c.device_next, c.server_next, tcp_flag::Ack, {}}, true);
    return c;
}

void PcapngWriter::refused(std::uint64_t t_us, Endpoint from, Endpoint to) {
    const std::uint32_t isn = device_isn(from.port);
    segment(t_us, {from, to, isn, 0, tcp_flag::Syn, {}}, true);
    segment(t_us, {to, from, 0, isn + 1, tcp_flag::Rst | tcp_flag::Ack, {}}, false);
}

void PcapngWriter::data(const TraceEvent& event, bool to_server) {
    const Server* s = server(event);
    if (s == nullptr) return;
    const Endpoint dev = device_for(*s, event.conn);
    if (s->udp) {
        if (to_server) return datagram(event.t_us, dev, s->endpoint, event.data, true);
        return datagram(event.t_us, s->endpoint, dev, event.data, false);
    }
    const auto it = conns_.find(event.conn);
    // Data on a connection no server_accept opened (a trace that starts mid-way): open it first.
    Connection& c = it != conns_.end() ? it->second : handshake(event.t_us, *s, event.conn);
    if (c.closed) {
        ++skipped_;
        return;
    }
    const Endpoint from = to_server ? dev : s->endpoint;
    const Endpoint to = to_server ? s->endpoint : dev;
    std::uint32_t& sender = to_server ? c.device_next : c.server_next;
    const std::uint32_t receiver = to_server ? c.server_next : c.device_next;
    const std::string_view bytes = event.data;
    for (std::size_t at = 0; at < bytes.size(); at += kTcpMss) {
        const std::string_view chunk = bytes.substr(at, kTcpMss);
        segment(event.t_us, {from, to, sender, receiver, tcp_flag::Psh | tcp_flag::Ack, chunk}, to_server);
        sender += static_cast<std::uint32_t>(chunk.size());
        segment(event.t_us, {to, from, receiver, sender, tcp_flag::Ack, {}}, !to_server);
    }
}

void PcapngWriter::close_connection(const TraceEvent& event, bool by_device) {
    const Server* s = server(event);
    if (s == nullptr || s->udp) return;
    const auto it = conns_.find(event.conn);
    // VirtualServer: a connection closes once (the other side's close is not reported after it).
    if (it == conns_.end() || it->second.closed) return;
    Connection& c = it->second;
    c.closed = true;
    const Endpoint dev = c.dev;
    const Endpoint closer = by_device ? dev : s->endpoint;
    const Endpoint other = by_device ? s->endpoint : dev;
    std::uint32_t& closer_next = by_device ? c.device_next : c.server_next;
    std::uint32_t& other_next = by_device ? c.server_next : c.device_next;
    if (event.info.value("reset").toBool(false)) {
        segment(event.t_us, {closer, other, closer_next, other_next, tcp_flag::Rst | tcp_flag::Ack, {}},
                by_device);
        return;
    }
    segment(event.t_us, {closer, other, closer_next++, other_next, tcp_flag::Fin | tcp_flag::Ack, {}},
            by_device);
    segment(event.t_us, {other, closer, other_next++, closer_next, tcp_flag::Fin | tcp_flag::Ack, {}},
            !by_device);
    segment(event.t_us, {closer, other, closer_next, other_next, tcp_flag::Ack, {}}, by_device);
}

void PcapngWriter::reset_all(std::uint64_t t_us) {
    for (auto& [conn, c] : conns_) {
        if (c.closed) continue;
        c.closed = true;
        const Endpoint dev = c.dev;
        segment(t_us, {c.server, dev, c.server_next, c.device_next, tcp_flag::Rst | tcp_flag::Ack, {}},
                false);
        segment(t_us, {dev, c.server, c.device_next, c.server_next, tcp_flag::Rst | tcp_flag::Ack, {}}, true);
    }
}

void PcapngWriter::segment(std::uint64_t t_us, TcpSegment seg, bool to_server) {
    file_.out() << pcapng::enhanced_packet(kNetworkInterface, start_us_ + t_us, tcp_packet(seg, ip_id_++),
                                           direction(to_server));
}

void PcapngWriter::datagram(std::uint64_t t_us, Endpoint from, Endpoint to, std::string_view payload,
                            bool to_server) {
    std::string comment;
    if (payload.size() > kMaxUdpPayload) {
        comment = "datagram of " + std::to_string(payload.size()) + " bytes cut to the IPv4 maximum";
        payload = payload.substr(0, kMaxUdpPayload);
    }
    file_.out() << pcapng::enhanced_packet(kNetworkInterface, start_us_ + t_us,
                                           udp_packet(from, to, payload, ip_id_++), direction(to_server),
                                           comment);
}

void PcapngWriter::serial(const TraceEvent& event, pcapng::Direction dir) {
    const bool inbound = dir == pcapng::Direction::Inbound;
    const std::string info = serial_info(event.data, dir);
    const pcapng::PduColumns columns{"Serial", info, inbound ? kSerialPeerAddress : kDeviceAddress,
                                     inbound ? kDeviceAddress : kSerialPeerAddress};
    file_.out() << pcapng::enhanced_packet(kSerialInterface, start_us_ + event.t_us,
                                           pcapng::upper_pdu(columns, event.data), dir);
}

} // namespace dtu::sim::scenario
