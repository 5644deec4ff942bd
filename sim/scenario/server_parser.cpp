#include "sim/scenario/server_parser.hpp"

#include <cctype>
#include <string>

#include "sim/scenario/address.hpp"
#include "sim/scenario/pattern.hpp"
#include "sim/scenario/tls_spec.hpp"

namespace dtu::sim::scenario {
namespace {

/// RFC 9110 §15 reason phrases of the codes a scenario is likely to use; others need `reason:`.
std::string reason_phrase(int status) {
    static const std::pair<int, const char*> kPhrases[] = {{200, "OK"},
                                                           {201, "Created"},
                                                           {202, "Accepted"},
                                                           {204, "No Content"},
                                                           {301, "Moved Permanently"},
                                                           {302, "Found"},
                                                           {304, "Not Modified"},
                                                           {400, "Bad Request"},
                                                           {401, "Unauthorized"},
                                                           {403, "Forbidden"},
                                                           {404, "Not Found"},
                                                           {405, "Method Not Allowed"},
                                                           {408, "Request Timeout"},
                                                           {413, "Content Too Large"},
                                                           {500, "Internal Server Error"},
                                                           {502, "Bad Gateway"},
                                                           {503, "Service Unavailable"},
                                                           {504, "Gateway Timeout"}};
    for (const auto& [code, phrase] : kPhrases)
        if (code == status) return phrase;
    return "";
}

std::optional<ServerSpec::Protocol> read_protocol(const Context& ctx, const Field& f) {
    const auto text = read_string(ctx, f);
    if (!text) return std::nullopt;
    if (*text == "tcp") return ServerSpec::Protocol::Tcp;
    if (*text == "udp") return ServerSpec::Protocol::Udp;
    if (*text == "http") return ServerSpec::Protocol::Http;
    if (*text == "websocket") return ServerSpec::Protocol::WebSocket;
    f.in(ctx).error(f.pos(), "'" + *text + "' is not a protocol: tcp, udp, http or websocket");
    return std::nullopt;
}

std::vector<std::pair<std::string, std::string>> read_headers(const Context& ctx, const Field& f, bool& ok) {
    std::vector<std::pair<std::string, std::string>> headers;
    if (!expect_map(f.in(ctx), f.value, f.pos(), "header: value")) {
        ok = false;
        return headers;
    }
    const Context in = f.in(ctx);
    const MapFields fields(in, f.value, {});
    for (const Field& h : fields.all()) {
        const auto value = read_string(in, h);
        if (!value || value->find_first_of("\r\n") != std::string::npos) {
            if (value) h.in(in).error(h.pos(), "a header value is one line");
            ok = false;
            continue;
        }
        headers.emplace_back(h.name, *value);
    }
    return headers;
}

std::optional<ServerSpec> parse_server(const Context& ctx, const Field& entry) {
    const Context in = ctx.nested("server '" + entry.name + "': ");
    if (!expect_map(in, entry.value, entry.pos(), "protocol, address, ...")) return std::nullopt;
    const MapFields fields(in, entry.value, {"protocol", "address", "accept", "response", "tls"});
    ServerSpec server;
    server.name = entry.name;
    server.pos = pos_of(entry.key);
    const std::size_t errors = in.error_count();
    if (const Field* f = fields.require("protocol"))
        server.protocol = read_protocol(in, *f).value_or(ServerSpec::Protocol::Tcp);
    if (server.protocol == ServerSpec::Protocol::WebSocket)
        in.error(server.pos, "websocket is a client's protocol: declare it under clients: (K7 §4.2.6)");
    if (const Field* f = fields.require("address")) {
        std::string why;
        const auto text = read_string(in, *f);
        const auto address = text ? parse_address(*text, why) : std::nullopt;
        if (address) server.host = address->host, server.port = address->port;
        if (text && !address) f->in(in).error(f->pos(), why);
    }
    if (const Field* f = fields.find("accept")) {
        if (server.protocol == ServerSpec::Protocol::Udp)
            f->in(in).error(f->key, "a udp server has no connections to accept");
        server.accept = read_bool(in, *f).value_or(true);
    }
    if (const Field* f = fields.find("response")) {
        if (server.protocol != ServerSpec::Protocol::Http)
            f->in(in).error(f->key, "only an http server has a response");
        else if (expect_map(f->in(in), f->value, f->pos(), "status, headers, body"))
            server.response =
                http_response_from(f->in(in),
                                   MapFields(f->in(in), f->value, {"status", "reason", "headers", "body"}))
                    .value_or(HttpResponse{});
    }
    if (const Field* f = fields.find("tls")) {
        if (server.protocol == ServerSpec::Protocol::Udp)
            f->in(in).error(f->key, "TLS runs over TCP: a udp server has no tls");
        else
            server.tls = parse_tls_spec(in, *f);
    }
    if (in.error_count() != errors) return std::nullopt;
    return server;
}

std::optional<ServerSpec> parse_client(const Context& ctx, const Field& entry, std::size_t index) {
    const Context in = ctx.nested("client '" + entry.name + "': ");
    if (!expect_map(in, entry.value, entry.pos(), "protocol, port, from")) return std::nullopt;
    const MapFields fields(in, entry.value, {"protocol", "port", "from"});
    ServerSpec client;
    client.name = entry.name;
    client.pos = pos_of(entry.key);
    client.host = "192.168.0." + std::to_string(50 + index % 200);
    client.port = 40001;
    ClientEnd end;
    const std::size_t errors = in.error_count();
    if (const Field* f = fields.require("protocol")) {
        client.protocol = read_protocol(in, *f).value_or(ServerSpec::Protocol::Tcp);
        if (client.protocol == ServerSpec::Protocol::Http)
            f->in(in).error(f->pos(), "a client's protocol is tcp, udp or websocket");
    }
    if (const Field* f = fields.require("port"))
        end.device_port = static_cast<std::uint16_t>(read_int(in, *f, 1, 65535).value_or(0));
    if (const Field* f = fields.find("from")) {
        std::string why;
        const auto text = read_string(in, *f);
        const auto address = text ? parse_address(*text, why) : std::nullopt;
        if (address) client.host = address->host, client.port = address->port;
        if (text && !address) f->in(in).error(f->pos(), why);
        if (address && !ipv4_of(address->host))
            f->in(in).error(f->pos(), "'" + address->host + "' is not an IPv4 address (a.b.c.d)");
    }
    end.ip = ipv4_of(client.host).value_or(0);
    client.client = end;
    if (in.error_count() != errors) return std::nullopt;
    return client;
}

bool same_transport(ServerSpec::Protocol a, ServerSpec::Protocol b) {
    return (a == ServerSpec::Protocol::Udp) == (b == ServerSpec::Protocol::Udp);
}

} // namespace

const char* protocol_name(ServerSpec::Protocol protocol) {
    switch (protocol) {
    case ServerSpec::Protocol::Tcp: return "tcp";
    case ServerSpec::Protocol::Udp: return "udp";
    case ServerSpec::Protocol::Http: return "http";
    case ServerSpec::Protocol::WebSocket: return "websocket";
    }
    return "?";
}

std::vector<ServerSpec> parse_servers(const Context& ctx, const Field& servers) {
    std::vector<ServerSpec> out;
    const Context in = servers.in(ctx);
    if (!expect_map(in, servers.value, servers.pos(), "server name: {protocol, address}")) return out;
    const MapFields entries(in, servers.value, {});
    for (const Field& entry : entries.all()) {
        auto server = parse_server(ctx, entry);
        if (!server) continue;
        for (const ServerSpec& other : out)
            if (other.host == server->host && other.port == server->port &&
                same_transport(other.protocol, server->protocol))
                ctx.error(server->pos, "server '" + server->name + "': address " + server->host + ":" +
                                           std::to_string(server->port) + " is already server '" +
                                           other.name + "'s");
        out.push_back(std::move(*server));
    }
    return out;
}

std::vector<ServerSpec> parse_clients(const Context& ctx, const Field& clients,
                                      const std::vector<ServerSpec>& servers) {
    std::vector<ServerSpec> out;
    const Context in = clients.in(ctx);
    if (!expect_map(in, clients.value, clients.pos(), "client name: {protocol, port, from}")) return out;
    const MapFields entries(in, clients.value, {});
    for (const Field& entry : entries.all()) {
        auto client = parse_client(ctx, entry, out.size());
        if (!client) continue;
        for (const ServerSpec& server : servers)
            if (server.name == client->name)
                ctx.error(client->pos, "client '" + client->name + "': the name is already a server's");
        for (const ServerSpec& other : out)
            if (other.host == client->host && other.port == client->port)
                ctx.error(client->pos, "client '" + client->name + "': address " + client->host + ":" +
                                           std::to_string(client->port) + " is already client '" +
                                           other.name + "'s");
        out.push_back(std::move(*client));
    }
    return out;
}

std::optional<HttpResponse> http_response_from(const Context& ctx, const MapFields& fields) {
    HttpResponse response;
    bool ok = true;
    if (const Field* f = fields.find("status")) {
        const auto status = read_int(ctx, *f, 100, 599);
        ok = ok && status.has_value();
        response.status = static_cast<int>(status.value_or(200));
    }
    response.reason = reason_phrase(response.status);
    if (const Field* f = fields.find("reason")) {
        const auto reason = read_string(ctx, *f);
        ok = ok && reason.has_value();
        response.reason = reason.value_or("");
    }
    if (const Field* f = fields.find("headers")) response.headers = read_headers(ctx, *f, ok);
    if (const Field* f = fields.find("body")) {
        // An empty body is a valid response; bytes otherwise as anywhere else (string or {hex}).
        if (f->value.IsScalar() && f->value.Scalar().empty())
            response.body.clear();
        else if (auto body = read_bytes(f->in(ctx), f->value, f->pos()))
            response.body = std::move(*body);
        else
            ok = false;
    }
    if (!ok) return std::nullopt;
    return response;
}

} // namespace dtu::sim::scenario
