#include "sim/scenario/scripted_server.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>

namespace dtu::sim::scenario {
namespace {

/// The value of a header in an HTTP head, case-insensitively; empty when absent.
std::string_view header_value(std::string_view head, std::string_view name) {
    std::size_t pos = 0;
    while ((pos = head.find("\r\n", pos)) != std::string_view::npos) {
        pos += 2;
        const std::string_view line = head.substr(pos, head.find("\r\n", pos) - pos);
        if (line.size() > name.size() && line[name.size()] == ':' &&
            std::equal(name.begin(), name.end(), line.begin(),
                       [](char a, char b) { return std::tolower(a) == std::tolower(b); })) {
            std::string_view v = line.substr(name.size() + 1);
            while (!v.empty() && v.front() == ' ')
                v.remove_prefix(1);
            return v;
        }
    }
    return {};
}

/// Whether buffer holds a whole request: the head and Content-Length bytes of body. A test peer's
/// job, not a general HTTP parser: the device sends one request per connection (G771 §2.3).
bool request_complete(std::string_view buffer) {
    const std::size_t head_end = buffer.find("\r\n\r\n");
    if (head_end == std::string_view::npos) return false;
    const std::string_view length = header_value(buffer.substr(0, head_end + 2), "Content-Length");
    std::size_t body = 0;
    if (!length.empty()) std::from_chars(length.data(), length.data() + length.size(), body);
    return buffer.size() >= head_end + 4 + body;
}

} // namespace

ScriptedServer::ScriptedServer(ServerSpec spec, hal_sim::ServerLink& link, TraceRecorder& trace)
    : spec_(std::move(spec)), link_(link), trace_(trace) {
    link_.set_accepting(spec_.accept);
}

void ScriptedServer::set_accept(bool accept) {
    spec_.accept = accept;
    if (!passive_) link_.set_accepting(accept);
}

bool ScriptedServer::on_connect(hal_sim::ConnId conn) {
    bool accept = spec_.accept || spec_.protocol == ServerSpec::Protocol::Udp;
    if (passive_) {
        const auto it = decisions_.find(conn);
        accept = it == decisions_.end() || it->second;
    }
    seen_.insert(conn);
    trace_.record(TraceEvent{0, TraceKind::ServerAccept, spec_.name, conn, {}, {{"accept", accept}}});
    if (!accept) return false;
    ++connects_;
    open_.push_back(conn);
    return true;
}

void ScriptedServer::on_data(hal_sim::ConnId conn, std::string_view bytes) {
    trace_.record(TraceEvent{0, TraceKind::ToServer, spec_.name, conn, std::string(bytes), {}});
    received_.append(bytes);
    if (spec_.protocol != ServerSpec::Protocol::Http || passive_) return;
    std::string& request = http_[conn];
    request.append(bytes);
    if (request_complete(request)) answer_http(conn);
}

void ScriptedServer::on_closed(hal_sim::ConnId conn, bool reset) {
    trace_.record(TraceEvent{0, TraceKind::DeviceClose, spec_.name, conn, {}, {{"reset", reset}}});
    open_.erase(std::remove(open_.begin(), open_.end(), conn), open_.end());
    http_.erase(conn);
    ++disconnects_;
}

void ScriptedServer::answer_http(hal_sim::ConnId conn) {
    http_.erase(conn);
    send_on(conn, http_response_bytes());
    close_one(conn, false); // Connection: close, as the device expects one request per connection
}

std::string ScriptedServer::http_response_bytes() const {
    const HttpResponse& r = spec_.response;
    std::string out = "HTTP/1.1 " + std::to_string(r.status) + " " + r.reason + "\r\n";
    for (const auto& [name, value] : r.headers)
        out += name + ": " + value + "\r\n";
    out += "Content-Length: " + std::to_string(r.body.size()) + "\r\nConnection: close\r\n\r\n";
    return out + r.body;
}

hal::NetAddress ScriptedServer::client_address() const {
    return hal::NetAddress{spec_.client ? spec_.client->ip : 0, spec_.port};
}

void ScriptedServer::connect() {
    if ((!net_ && !ws_) || !spec_.client) return;
    const hal_sim::ConnId conn =
        ws_ ? ws_->connect(spec_.client->device_port, client_address(), *this)
            : net_->connect_client(hal::Proto::Tcp, spec_.client->device_port, client_address(), *this);
    seen_.insert(conn);
    trace_.record(
        TraceEvent{0, TraceKind::ClientConnect, spec_.name, conn, {}, {{"port", spec_.client->device_port}}});
}

ScriptedServer::Sent ScriptedServer::send(std::string_view bytes) {
    if (net_ && spec_.client && spec_.protocol == ServerSpec::Protocol::Udp)
        return send_on(0, bytes) ? Sent::Yes : Sent::Refused;
    if (open_.empty()) return Sent::NoConnection;
    return send_on(open_.back(), bytes) ? Sent::Yes : Sent::Refused;
}

bool ScriptedServer::send_on(hal_sim::ConnId conn, std::string_view bytes) {
    if (net_ && spec_.client && spec_.protocol == ServerSpec::Protocol::Udp) {
        // K7 §4.2.4: a datagram from the client's address to the device's port (conn: one per address).
        conn = net_->client_datagram(spec_.client->device_port, client_address(), bytes, *this);
        seen_.insert(conn);
        trace_.record(TraceEvent{0, TraceKind::ServerSend, spec_.name, conn, std::string(bytes), {}});
        return true;
    }
    trace_.record(TraceEvent{0, TraceKind::ServerSend, spec_.name, conn, std::string(bytes), {}});
    return link_.server_send(conn, bytes);
}

void ScriptedServer::close_all(bool reset) {
    for (const hal_sim::ConnId conn : std::vector<hal_sim::ConnId>(open_))
        close_one(conn, reset);
}

void ScriptedServer::close_one(hal_sim::ConnId conn, bool reset) {
    trace_.record(TraceEvent{0, TraceKind::ServerClose, spec_.name, conn, {}, {{"reset", reset}}});
    open_.erase(std::remove(open_.begin(), open_.end(), conn), open_.end());
    http_.erase(conn);
    link_.server_close(conn, reset);
}

void ScriptedServer::make_passive(std::map<hal_sim::ConnId, bool> decisions) {
    passive_ = true;
    link_.set_accepting(true); // the recorded decisions apply
    decisions_ = std::move(decisions);
}

} // namespace dtu::sim::scenario
