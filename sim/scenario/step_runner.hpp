#pragma once
// Executes a scenario's params and steps against a World. Waits run its scheduler until
// their condition holds, their timeout or the scenario's deadline passes (device time), a fail
// pattern appears, or the wall-clock limit is hit. The first failing step ends the run.
#include <chrono>
#include <cstddef>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "sim/scenario/match_stream.hpp"
#include "sim/scenario/run_clock.hpp"
#include "sim/scenario/run_result.hpp"
#include "sim/scenario/scenario.hpp"
#include "sim/scenario/world.hpp"

namespace dtu::sim::scenario {

class StepRunner {
public:
    StepRunner(const Scenario& scenario, World& world, std::chrono::seconds wall_limit);
    /// Power on, params, steps. The result says how it went (Passed when every step passed).
    RunResult run();

private:
    enum class Waited { Met, TimedOut, Deadline, Stopped };
    struct ActiveFail {
        const FailPattern* fail;
        Matcher matcher;
        std::size_t from; ///< where in its stream it starts looking
    };
    struct Cursors {
        std::uint64_t connects = 0, disconnects = 0;
        std::size_t handshakes = 0; ///< TLS handshakes expect_tls has taken
    };

    // Waiting: every step that lets time pass goes through wait_for (and so through clock_).
    Waited wait_for(const std::function<bool()>& condition, Duration timeout);
    Waited pass_time(Duration duration) {
        return wait_for([] { return false; }, duration);
    }
    /// A step that ran into the deadline fails, whether or not it reported that itself.
    void check_deadline();
    bool stopped();
    bool check_fail_patterns();
    const std::string* fail_stream(const FailPattern& fail);

    // Setup and steps.
    void provision();
    void run_step(const Step& step);
    bool expect_serial(const Matcher& matcher, Duration timeout, const std::string& what);
    bool at_command(const std::string& command, const Matcher& expected, Duration timeout);
    bool command_mode(Duration timeout);
    void server_send(const ServerSend& s);
    void expect_server(const ServerExpect& s);
    void expect_connection_event(const std::string& server, Duration timeout, bool connect);
    void expect_silence(const ExpectSilence& s);
    void expect_reboot(const ExpectReboot& s);
    void expect_status(const ExpectStatus& s);
    void expect_tls(const ExpectTls& s);
    void expect_sms(const SmsExpect& s);
    void add_fail(const FailPattern& fail);
    // The broker steps (broker_actions.cpp).
    void expect_broker(const BrokerExpect& s);
    void expect_broker_session(const BrokerExpectSession& s);
    void broker_state(const BrokerState& s);
    /// Messages that arrived before now are not the steps' to expect (after params).
    void skip_broker_messages();
    void check_input_error(const std::string& error);

    // Results.
    void fail(Outcome outcome, std::string message, std::string details = {});
    void timed_out(Waited how, Duration timeout, const std::string& expected, std::string_view actual,
                   const std::string& actual_label);
    /// A timeout whose actual side is a list (messages a broker received), one item a line.
    void timed_out_listing(Waited how, Duration timeout, const std::string& expected,
                           const std::vector<std::string>& items, const std::string& items_label);
    void timed_out_with(Waited how, Duration timeout, std::string details);
    std::string where() const;
    std::string last_events() const;
    double now_s() const;

    const Scenario& scenario_;
    World& world_;
    RunResult result_;
    bool failed_ = false;
    const Step* step_ = nullptr;
    int step_index_ = 0;
    RunClock clock_;
    bool deadline_hit_ = false; ///< a wait asked for time past the deadline
    std::vector<ActiveFail> fails_;
    std::map<std::string, Cursors> cursors_;
    std::size_t reboots_seen_ = 0;
    std::size_t sms_seen_ = 0;
    std::map<std::string, std::size_t> broker_seen_; ///< per broker: messages before its cursor
};

} // namespace dtu::sim::scenario
