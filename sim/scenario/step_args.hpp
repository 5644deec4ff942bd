#pragma once
// What a step kind's reader gets (internal to step_parser.cpp and step_actions.cpp).
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sim/scenario/step_parser.hpp"

namespace dtu::sim::scenario {

/// One step's value and the helpers every kind uses.
struct StepArgs {
    Context ctx;                  ///< "step N: "
    YAML::Node value;             ///< what follows the kind
    SourcePos pos;                ///< where the value is (the kind's when it is empty)
    std::optional<MapFields> map; ///< set when value is a map (its keys already checked)
    const StepEnv& env;

    /// `timeout` (default 5 s), no longer than the deadline.
    std::optional<Duration> timeout() const;
    /// A duration field, no longer than the deadline; fallback when absent and not required.
    std::optional<Duration> duration(std::string_view key, std::optional<Duration> fallback) const;
    /// A duration written as the whole value (`wait: 5s`), no longer than the deadline.
    std::optional<Duration> duration_value() const;
    /// The required `server` field (or, for a scalar value, the value itself), naming a declared server.
    const ServerSpec* server() const;
    /// The required `client` field (or a scalar value), naming a client declared under clients:.
    const ServerSpec* client() const;
    /// The required `broker` field (or a scalar value), naming a declared broker.
    const BrokerSpec* broker() const;
    /// An error when the server is udp (it has no connections).
    bool reject_udp(const ServerSpec& server, std::string_view what) const;
    /// The value is empty: the kind takes no shorthand. Reports an error for a scalar or list.
    bool no_value(std::string_view expected) const;
};

/// Reads one kind's options; nullopt when something was wrong (reported).
using StepReader = std::optional<Action> (*)(const StepArgs&);

struct StepKind {
    std::string_view name;
    std::vector<std::string_view> keys; ///< allowed option keys besides `name`; empty = any (JSON-like)
    StepReader read;
};

/// The table of step kinds (step_actions.cpp).
const std::vector<StepKind>& step_table();

/// A server named by the value of f, declared under servers: (reported otherwise).
const ServerSpec* declared_server(const Context& ctx, const Field& f, const StepEnv& env);
/// A client named by the value of f, declared under clients: (reported otherwise).
const ServerSpec* declared_client(const Context& ctx, const Field& f, const StepEnv& env);
/// A broker named by the value of f, declared under brokers: (reported otherwise).
const BrokerSpec* declared_broker(const Context& ctx, const Field& f, const StepEnv& env);

// The broker steps' readers (broker_steps.cpp).
std::optional<Action> read_broker_expect(const StepArgs& a);
std::optional<Action> read_expect_will(const StepArgs& a);
std::optional<Action> read_broker_publish(const StepArgs& a);
std::optional<Action> read_broker_state(const StepArgs& a);
std::optional<Action> read_broker_drop(const StepArgs& a);
std::optional<Action> read_broker_expect_session(const StepArgs& a);

} // namespace dtu::sim::scenario
