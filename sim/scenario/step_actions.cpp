// What each step kind does (scenarios/README.md "Steps").
#include <QJsonArray>
#include <QJsonDocument>

#include "sim/scenario/step_runner.hpp"

#include "dtu/profile/profile.hpp"

namespace dtu::sim::scenario {
namespace {

template <class... Ts> struct Overloaded : Ts... { using Ts::operator()...; };
template <class... Ts> Overloaded(Ts...) -> Overloaded<Ts...>;

using namespace std::chrono_literals;

/// G771 §3.4: "+++" must follow a quiet packing interval (50 ms at 115200); a second is plenty.
constexpr Duration kCommandModeGuard = 1s;
/// The end of any AT answer: OK (+OK for AT+ENTM, field evidence), ERROR, +CME ERROR:n or the
/// 7S4's Err1..Err4 (7S4 §3.1.7 table 15) on its own line (G771 §4, at-syntax.md).
const Pattern kFinalResult{Pattern::Kind::Regex, "\\r\\n(\\+?OK|ERROR|\\+CME ERROR: ?[0-9]+|Err[0-9]+)\\r\\n",
                           "final result"};
const Pattern kOk{Pattern::Kind::Text, "OK", "OK"};

Pattern text_pattern(std::string text) { return Pattern{Pattern::Kind::Text, text, text}; }

/// The value at a dotted path ("sockets.0.state") of a JSON object; undefined when absent.
QJsonValue value_at(const QJsonObject& root, const std::string& path) {
    QJsonValue v = root;
    std::size_t start = 0;
    while (start <= path.size()) {
        const std::size_t dot = std::min(path.find('.', start), path.size());
        const QString key = QString::fromStdString(path.substr(start, dot - start));
        if (v.isObject()) {
            v = v.toObject().value(key);
        } else if (v.isArray()) {
            bool ok = false;
            const int i = key.toInt(&ok);
            v = ok ? v.toArray().at(i) : QJsonValue(QJsonValue::Undefined);
        } else {
            return QJsonValue(QJsonValue::Undefined);
        }
        start = dot + 1;
    }
    return v;
}

bool same_value(const QJsonValue& a, const QJsonValue& b) {
    if (a.isDouble() && b.isDouble()) return a.toDouble() == b.toDouble();
    return a == b;
}

std::string json_text(const QJsonValue& v) {
    if (v.isUndefined()) return "(absent)";
    return QJsonDocument(QJsonArray{v}).toJson(QJsonDocument::Compact).mid(1).chopped(1).toStdString();
}

} // namespace

void StepRunner::provision() {
    if (scenario_.params.empty()) return;
    if (!command_mode(kDefaultTimeout)) return;
    for (const auto& [command, pos] : scenario_.params)
        if (!at_command(command, Matcher(kOk), kDefaultTimeout)) return;
    const std::size_t reboots = world_.reboots().size();
    // A model without AT+S (7S4) has kept every set already; AT+Z starts it with them, as the
    // manual's procedures end (7S4 §2.1.1).
    const profile::Profile* model = profile::find(scenario_.profile);
    const std::string restart = model && !model->persistence.save_command ? "AT+Z" : "AT+S";
    if (!at_command(restart, Matcher(kOk), kDefaultTimeout)) return;
    const Waited w = wait_for([&] { return world_.reboots().size() > reboots; }, kDefaultTimeout);
    if (w != Waited::Met)
        return timed_out(w, kDefaultTimeout, "the restart after " + restart, {}, "no reset");
    // The steps start with the restart: its start message is theirs, the configuration dialogue not.
    world_.serial().skip_to(world_.reboots().back().serial_offset);
    reboots_seen_ = world_.reboots().size();
    for (ScriptedServer* server : world_.servers()) {
        server->received().skip_all();
        cursors_[server->spec().name] = Cursors{server->connects(), server->disconnects()};
    }
    skip_broker_messages();
    // Paced, the start message is still crossing the line: it belongs to the restart, not the steps
    // (what the servers see meanwhile is the steps').
    const Waited idle = wait_for([&] { return world_.board().serial_out_idle(); }, kDefaultTimeout);
    if (idle != Waited::Met)
        return timed_out(idle, kDefaultTimeout, "the start message after " + restart, {}, "no end");
}

void StepRunner::run_step(const Step& step) {
    std::visit(
        Overloaded{
            [&](const SerialWrite& s) { world_.serial_write(s.bytes); },
            [&](const SerialExpect& s) { expect_serial(Matcher(s.pattern), s.timeout, "serial output"); },
            [&](const CommandMode& s) { command_mode(s.timeout); },
            [&](const AtCommand& s) { at_command(s.command, Matcher(s.expect), s.timeout); },
            [&](const ServerExpect& s) { expect_server(s); },
            [&](const ExpectConnect& s) { expect_connection_event(s.server, s.timeout, true); },
            [&](const ExpectDisconnect& s) { expect_connection_event(s.server, s.timeout, false); },
            [&](const ServerSend& s) { server_send(s); },
            [&](const ServerClose& s) { world_.server(s.server)->close_all(s.reset); },
            [&](const ClientConnect& s) { world_.server(s.client)->connect(); },
            [&](const ServerAccept& s) { world_.server(s.server)->set_accept(s.accept); },
            [&](const HttpRespond& s) { world_.server(s.server)->set_response(s.response); },
            [&](const LinkChange& s) { check_input_error(world_.apply_link(s.patch)); },
            [&](const LinkReset&) { world_.link_reset(); },
            [&](const RadioChange& s) { check_input_error(world_.apply_radio(s.patch)); },
            [&](const SmsIn& s) { check_input_error(world_.sms_in(s.message)); },
            [&](const SmsExpect& s) { expect_sms(s); },
            [&](const PowerCycle& s) {
                world_.power_off();
                if (pass_time(s.off_for) != Waited::TimedOut) return; // stopped, or the deadline came first
                world_.power_on();
            },
            [&](const PowerOff&) { world_.power_off(); },
            [&](const PowerOn&) { world_.power_on(); },
            [&](const Wait& s) {
                const Waited w = pass_time(s.duration);
                if (w == Waited::Deadline) timed_out(w, s.duration, "time to pass", {}, "deadline");
            },
            [&](const ExpectSilence& s) { expect_silence(s); },
            [&](const ExpectReboot& s) { expect_reboot(s); },
            [&](const ExpectStatus& s) { expect_status(s); },
            [&](const AddFailOn& s) { add_fail(s.fail); },
            [&](const BrokerExpect& s) { expect_broker(s); },
            [&](const BrokerPublish& s) {
                check_input_error(world_.broker_publish(s.broker, s.topic, s.payload, s.qos, s.retain));
            },
            [&](const BrokerState& s) { broker_state(s); },
            [&](const BrokerDrop& s) { check_input_error(world_.broker_drop(s.broker, s.reset)); },
            [&](const BrokerExpectSession& s) { expect_broker_session(s); },
            [&](const ExpectTls& s) { expect_tls(s); },
        },
        step.action);
}

void StepRunner::server_send(const ServerSend& s) {
    switch (world_.server(s.server)->send(s.bytes)) {
    case ScriptedServer::Sent::Yes: return;
    case ScriptedServer::Sent::NoConnection:
        return fail(Outcome::Failed, "server '" + s.server + "' has no open connection to send on");
    case ScriptedServer::Sent::Refused:
        return fail(Outcome::Failed,
                    "server '" + s.server + "' could not send " + std::to_string(s.bytes.size()) +
                        " bytes: a connection queues at most " + std::to_string(kMaxServerSendBytes) +
                        " bytes (1 MiB) towards the device and what was sent before has not reached it yet, "
                        "or the connection is closing (let time pass between large sends)");
    }
}

bool StepRunner::expect_serial(const Matcher& matcher, Duration timeout, const std::string& what) {
    MatchStream& serial = world_.serial();
    const Waited w = wait_for([&] { return serial.consume(matcher); }, timeout);
    if (w == Waited::Met) return true;
    timed_out(w, timeout, matcher.describe(), serial.unmatched(), what + " after the last match");
    return false;
}

bool StepRunner::command_mode(Duration timeout) {
    // G771 §3.4: quiet line, "+++" alone, the device's 'a', our 'a' within 3 s, then "+ok".
    if (pass_time(kCommandModeGuard) != Waited::TimedOut) return false; // the run ends (check_deadline)
    world_.serial().skip_all(); // the answers come after "+++": nothing older may match them
    world_.serial_write("+++");
    if (!expect_serial(Matcher(text_pattern("a")), timeout, "serial output")) return false;
    world_.serial_write("a");
    return expect_serial(Matcher(text_pattern("+ok")), timeout, "serial output");
}

bool StepRunner::at_command(const std::string& command, const Matcher& expected, Duration timeout) {
    // Done when the expected answer or a final result line arrives: an ERROR where OK was expected
    // is a mismatch at once, not a timeout.
    MatchStream& serial = world_.serial();
    const std::size_t start = serial.size(); // the answer comes after the command
    world_.serial_write(command + "\r");
    const Matcher final_result(kFinalResult);
    std::optional<Matcher::Hit> hit, end;
    const Waited w = wait_for(
        [&] {
            hit = expected.find(serial.data(), start);
            end = final_result.find(serial.data(), start);
            return hit || end;
        },
        timeout);
    if (hit) {
        serial.skip_to(hit->end);
        return true;
    }
    const std::string_view answer = std::string_view(serial.data()).substr(start);
    if (w != Waited::Met) {
        timed_out(w, timeout, expected.describe() + " (or a final result line) in the answer to " + command,
                  answer, "serial output after the command");
        return false;
    }
    fail(Outcome::Failed, command + " was not answered as expected",
         "  expected: " + expected.describe() + "\n  actual:   \"" + printable(answer) + "\"  (" +
             std::to_string(answer.size()) + " bytes: " + hex_dump(answer) + ")\n");
    return false;
}

void StepRunner::expect_server(const ServerExpect& s) {
    MatchStream& received = world_.server(s.server)->received();
    const Matcher matcher(s.pattern);
    const Waited w = wait_for([&] { return received.consume(matcher); }, s.timeout);
    if (w != Waited::Met)
        timed_out(w, s.timeout, matcher.describe(), received.unmatched(),
                  "what server '" + s.server + "' received after the last match");
}

void StepRunner::expect_connection_event(const std::string& name, Duration timeout, bool connect) {
    ScriptedServer& server = *world_.server(name);
    std::uint64_t& seen = connect ? cursors_[name].connects : cursors_[name].disconnects;
    const auto count = [&] { return connect ? server.connects() : server.disconnects(); };
    const Waited w = wait_for([&] { return count() > seen; }, timeout);
    if (w == Waited::Met) {
        ++seen;
        return;
    }
    timed_out(w, timeout,
              std::string(connect ? "a new connection to" : "the device closing its connection to") +
                  " server '" + name + "'",
              {},
              std::to_string(count()) + (connect ? " connection(s)" : " close(s)") +
                  " so far, all expected before");
}

void StepRunner::expect_tls(const ExpectTls& s) {
    const std::vector<hal_sim::TlsHandshake>& all = *world_.tls_handshakes(s.server);
    std::size_t& seen = cursors_[s.server].handshakes;
    const Waited w = wait_for([&] { return all.size() > seen; }, s.timeout);
    if (w != Waited::Met)
        return timed_out(w, s.timeout, "a new TLS handshake on server '" + s.server + "'", {},
                         std::to_string(all.size()) + " handshake(s) so far, all expected before");
    const hal_sim::TlsHandshake& h = all[seen++];
    const auto show = [](const hal_sim::TlsHandshake& x) {
        return x.ok ? "completed, " + x.version + " " + x.cipher + ", client certificate " +
                          (x.client_subject.empty() ? "none" : "\"" + x.client_subject + "\"")
                    : "failed: " + x.error;
    };
    std::string wrong;
    if (h.ok != s.ok)
        wrong = s.ok ? "it failed" : "it completed";
    else if (s.client_subject && h.client_subject != *s.client_subject)
        wrong = "another client certificate";
    else if (s.version && h.version != *s.version)
        wrong = "another version";
    else if (s.error && h.error.find(*s.error) == std::string::npos)
        wrong = "another reason";
    if (wrong.empty()) return;
    std::string want = s.ok ? "completed" : "failed";
    if (s.version) want += ", " + *s.version;
    if (s.client_subject)
        want += ", client certificate " +
                (s.client_subject->empty() ? std::string("none") : "\"" + *s.client_subject + "\"");
    if (s.error) want += ": ..." + *s.error + "...";
    fail(Outcome::Failed, "TLS handshake on server '" + s.server + "': " + wrong,
         "  expected: " + want + "\n  actual:   " + show(h));
}

void StepRunner::expect_silence(const ExpectSilence& s) {
    std::vector<std::pair<ScriptedServer*, std::size_t>> watched;
    for (ScriptedServer* server : world_.servers())
        if (s.all_servers || std::count(s.servers.begin(), s.servers.end(), server->spec().name))
            watched.emplace_back(server, server->received().size());
    std::vector<std::pair<BrokerPeer*, std::size_t>> brokers;
    for (BrokerPeer* broker : world_.brokers())
        if (s.all_brokers || std::count(s.brokers.begin(), s.brokers.end(), broker->spec().name))
            brokers.emplace_back(broker, broker->received().size());
    const std::size_t serial_size = world_.serial().size();
    std::string what;
    std::string_view got;
    const auto noise = [&] {
        for (const auto& [broker, count] : brokers)
            if (broker->received().size() > count) {
                const BrokerReceived& m = broker->received()[count];
                what = "broker '" + broker->spec().name + "' (a message on '" + m.topic + "')";
                got = m.payload;
                return true;
            }
        if (s.serial && world_.serial().size() > serial_size) {
            what = "serial output";
            got = std::string_view(world_.serial().data()).substr(serial_size);
            return true;
        }
        for (const auto& [server, size] : watched)
            if (server->received().size() > size) {
                what = "server '" + server->spec().name + "'";
                got = std::string_view(server->received().data()).substr(size);
                return true;
            }
        return false;
    };
    const Waited w = wait_for(noise, s.duration);
    if (w == Waited::Met)
        fail(Outcome::Failed, what + " was not silent",
             "  expected: nothing for " + std::to_string(s.duration.count()) + " ms\n  actual:   \"" +
                 printable(got) + "\"  (" + hex_dump(got) + ")\n");
    else if (w == Waited::Deadline)
        timed_out(w, s.duration, "silence", {}, "deadline");
}

void StepRunner::expect_reboot(const ExpectReboot& s) {
    const Waited w = wait_for([&] { return world_.reboots().size() > reboots_seen_; }, s.timeout);
    if (w != Waited::Met)
        return timed_out(w, s.timeout, "a reboot" + (s.cause ? " (" + *s.cause + ")" : std::string()), {},
                         std::to_string(world_.reboots().size()) + " reboot(s) so far, all expected before");
    const std::string& cause = world_.reboots()[reboots_seen_++].cause;
    if (s.cause && *s.cause != cause)
        fail(Outcome::Failed, "the device rebooted for the wrong reason",
             "  expected: " + *s.cause + "\n  actual:   " + cause + "\n");
}

void StepRunner::expect_status(const ExpectStatus& s) {
    std::string diff;
    const auto differs = [&] {
        const QJsonObject status = world_.status();
        diff.clear();
        for (const auto& [path, want] : s.fields) {
            const QJsonValue got = value_at(status, path);
            if (!same_value(got, want))
                diff += "  " + path + ": expected " + json_text(want) + ", actual " + json_text(got) + "\n";
        }
        return !diff.empty();
    };
    if (!differs()) return;
    if (s.timeout.count() > 0 && wait_for([&] { return !differs(); }, s.timeout) == Waited::Met) return;
    if (!failed_) fail(Outcome::Failed, "the status differs", diff);
}

void StepRunner::expect_sms(const SmsExpect& s) {
    const Matcher matcher(s.pattern);
    const auto& sent = world_.sms_sent();
    const auto match = [&] {
        for (std::size_t i = sms_seen_; i < sent.size(); ++i)
            if ((!s.to || *s.to == sent[i].to) && matcher.find(sent[i].text)) {
                sms_seen_ = i + 1;
                return true;
            }
        return false;
    };
    const Waited w = wait_for(match, s.timeout);
    if (w == Waited::Met) return;
    std::string actual;
    for (std::size_t i = sms_seen_; i < sent.size(); ++i)
        actual += "to " + sent[i].to + ": " + sent[i].text + "\n";
    timed_out(w, s.timeout,
              "an SMS" + (s.to ? " to " + *s.to : std::string()) + " with " + matcher.describe(), actual,
              "SMS sent after the last match");
}

} // namespace dtu::sim::scenario
