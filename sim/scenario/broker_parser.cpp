#include "sim/scenario/broker_parser.hpp"

#include <string>

#include "sim/scenario/address.hpp"
#include "sim/scenario/tls_spec.hpp"

namespace dtu::sim::scenario {
namespace {

void read_address(const Context& in, const Field& f, BrokerSpec& broker) {
    std::string why;
    const auto text = read_string(in, f);
    const auto address = text ? parse_address(*text, why) : std::nullopt;
    if (address) broker.host = address->host, broker.port = address->port;
    if (text && !address) f.in(in).error(f.pos(), why);
}

void read_users(const Context& in, const Field& f, BrokerSpec& broker) {
    if (!expect_map(f.in(in), f.value, f.pos(), "user name: password")) return;
    const Context users = f.in(in);
    const MapFields fields(users, f.value, {});
    for (const Field& user : fields.all())
        if (const auto password = read_string(users, user)) broker.users.emplace(user.name, *password);
}

void read_refused(const Context& in, const Field& f, BrokerSpec& broker) {
    if (!f.value.IsSequence())
        return f.in(in).error(f.pos(), "expected a list of client ids, found " + describe(f.value));
    for (const YAML::Node& n : f.value) {
        const auto id = scalar_text(n);
        if (id)
            broker.refused_client_ids.insert(*id);
        else
            f.in(in).error(n, "expected a client id, found " + describe(n));
    }
}

std::optional<BrokerSpec> parse_broker(const Context& ctx, const Field& entry) {
    const Context in = ctx.nested("broker '" + entry.name + "': ");
    if (!expect_map(in, entry.value, entry.pos(), "address, users, ...")) return std::nullopt;
    const MapFields fields(in, entry.value, {"address", "users", "anonymous", "refuse_client_ids", "tls"});
    BrokerSpec broker;
    broker.name = entry.name;
    broker.pos = pos_of(entry.key);
    const std::size_t errors = in.error_count();
    if (const Field* f = fields.require("address")) read_address(in, *f, broker);
    if (const Field* f = fields.find("users")) read_users(in, *f, broker);
    if (const Field* f = fields.find("anonymous")) broker.allow_anonymous = read_bool(in, *f).value_or(true);
    if (const Field* f = fields.find("refuse_client_ids")) read_refused(in, *f, broker);
    if (const Field* f = fields.find("tls")) broker.tls = parse_tls_spec(in, *f);
    if (in.error_count() != errors) return std::nullopt;
    return broker;
}

std::string address_text(const std::string& host, std::uint16_t port) {
    return host + ":" + std::to_string(port);
}

/// The first clash of a new broker with the servers and the brokers before it.
void check_clashes(const Context& ctx, const BrokerSpec& broker, const std::vector<ServerSpec>& servers,
                   const std::vector<BrokerSpec>& before) {
    const std::string what = "broker '" + broker.name + "': ";
    for (const ServerSpec& s : servers) {
        if (s.name == broker.name)
            return ctx.error(broker.pos, what + "the name is server '" + s.name +
                                             "'s too (a trace names both the same way): rename one");
        if (s.protocol != ServerSpec::Protocol::Udp && s.host == broker.host && s.port == broker.port)
            return ctx.error(broker.pos, what + "address " + address_text(broker.host, broker.port) +
                                             " is already server '" + s.name + "'s");
    }
    for (const BrokerSpec& b : before)
        if (b.host == broker.host && b.port == broker.port)
            return ctx.error(broker.pos, what + "address " + address_text(broker.host, broker.port) +
                                             " is already broker '" + b.name + "'s");
}

} // namespace

std::vector<BrokerSpec> parse_brokers(const Context& ctx, const Field& brokers,
                                      const std::vector<ServerSpec>& servers) {
    std::vector<BrokerSpec> out;
    const Context in = brokers.in(ctx);
    if (!expect_map(in, brokers.value, brokers.pos(), "broker name: {address, users, ...}")) return out;
    const MapFields entries(in, brokers.value, {});
    for (const Field& entry : entries.all()) {
        auto broker = parse_broker(ctx, entry);
        if (!broker) continue;
        check_clashes(ctx, *broker, servers, out);
        out.push_back(std::move(*broker));
    }
    return out;
}

} // namespace dtu::sim::scenario
