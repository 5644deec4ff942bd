#include "sim/scenario/mosquitto_log.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>

namespace dtu::sim::scenario {
namespace {

using End = hal_sim::MqttSessionEnd;

bool starts_with(std::string_view s, std::string_view prefix) { return s.substr(0, prefix.size()) == prefix; }
bool ends_with(std::string_view s, std::string_view suffix) {
    return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

/// The line without mosquitto's "SECONDS: " prefix.
std::string_view without_time(std::string_view line) {
    const std::size_t colon = line.find(": ");
    if (colon == std::string_view::npos || colon == 0) return line;
    const bool digits = std::all_of(line.begin(), line.begin() + static_cast<std::ptrdiff_t>(colon),
                                    [](unsigned char c) { return std::isdigit(c) != 0; });
    return digits ? line.substr(colon + 2) : line;
}

/// The number after key ("p2" -> 2) in "(p2, c0, k30, u'dtu')"; -1 if absent.
int field(std::string_view flags, std::string_view key) {
    const std::size_t at = flags.find(key);
    if (at == std::string_view::npos) return -1;
    int value = -1;
    const char* begin = flags.data() + at + key.size();
    std::from_chars(begin, flags.data() + flags.size(), value);
    return value;
}

/// mosquitto's "p" field: 1 MQTT 3.1, 2 MQTT 3.1.1, 5 MQTT 5 -> the CONNECT's protocol level.
int protocol_level(int p) { return p == 1 ? 3 : p == 2 ? 4 : p; }

} // namespace

MosquittoLog::Client* MosquittoLog::find(std::string_view client_id) {
    const auto it = clients_.find(client_id);
    return it == clients_.end() ? nullptr : &it->second;
}

void MosquittoLog::indented(std::string_view item) {
    Client* c = find(current_);
    if (!c) return;
    auto& subs = c->view.subscriptions;
    if (next_ == Next::WillTopic) {
        c->will_topic = std::string(item);
        next_ = Next::Nothing;
    } else if (next_ == Next::Filters) {
        if (const std::size_t qos = item.rfind(" (QoS "); qos != std::string_view::npos)
            item = item.substr(0, qos);
        if (std::find(subs.begin(), subs.end(), item) == subs.end()) subs.emplace_back(item);
    } else if (next_ == Next::Unfilters) {
        subs.erase(std::remove(subs.begin(), subs.end(), item), subs.end());
    }
}

std::vector<MosquittoLogEvent> MosquittoLog::add_line(std::string_view raw) {
    const std::string_view line = without_time(raw);
    std::vector<MosquittoLogEvent> events;
    if (starts_with(line, "\t")) {
        indented(line.substr(1));
        return events;
    }
    next_ = Next::Nothing;
    constexpr std::string_view kConnected = "New client connected from ";
    constexpr std::string_view kConnack = "Sending CONNACK to ";
    constexpr std::string_view kSubscribe = "Received SUBSCRIBE from ";
    constexpr std::string_view kUnsubscribe = "Received UNSUBSCRIBE from ";
    constexpr std::string_view kPublish = "Received PUBLISH from ";
    if (starts_with(line, kPublish)) {
        published(line.substr(kPublish.size()));
    } else if (starts_with(line, kConnected)) {
        connected(line.substr(kConnected.size()));
    } else if (starts_with(line, "Will message specified")) {
        next_ = Next::WillTopic;
    } else if (starts_with(line, "No will message specified")) {
        if (Client* c = find(current_)) c->will_topic.reset();
    } else if (starts_with(line, kConnack)) {
        if (auto e = connack(line.substr(kConnack.size()))) events.push_back(std::move(*e));
    } else if (starts_with(line, kSubscribe)) {
        current_ = std::string(line.substr(kSubscribe.size()));
        next_ = Next::Filters;
    } else if (starts_with(line, kUnsubscribe)) {
        current_ = std::string(line.substr(kUnsubscribe.size()));
        next_ = Next::Unfilters;
    } else {
        events = client_line(line);
    }
    return events;
}

std::vector<MosquittoLogEvent> MosquittoLog::client_line(std::string_view line) {
    constexpr std::string_view kClient = "Client ";
    constexpr std::string_view kSocketError = "Socket error on client ";
    std::vector<MosquittoLogEvent> events;
    const auto add = [&](std::optional<MosquittoLogEvent> e) {
        if (e) events.push_back(std::move(*e));
    };
    if (starts_with(line, kSocketError)) {
        const std::string_view rest = line.substr(kSocketError.size());
        add(ended(rest.substr(0, rest.find(',')), true, End::Reset));
    } else if (starts_with(line, kClient)) {
        const std::string_view rest = line.substr(kClient.size());
        const std::string_view id = rest.substr(0, rest.find(' '));
        const std::string_view what = rest.substr(id.size());
        if (what == " disconnected.")
            add(ended(id, false, End::Disconnect)); // the will is dropped (MQTT 3.1.1 §3.14.4)
        else if (what == " closed its connection.")
            add(ended(id, true, End::PeerClosed));
        else if (starts_with(what, " has exceeded timeout"))
            add(ended(id, true, End::KeepAlive));
        else if (starts_with(what, " disconnected due to"))
            add(ended(id, true, End::Protocol));
        else if (starts_with(what, " already connected"))
            add(ended(id, true, End::TakenOver));
    } else if (ends_with(line, " terminating")) {
        // mosquitto 2.0 publishes the will of every client still connected as it shuts down.
        for (const auto& entry : clients_)
            add(ended(entry.first, true, End::BrokerDropped));
    }
    return events;
}

std::optional<MosquittoLogEvent> MosquittoLog::connack(std::string_view rest) {
    // "dev1 (0, 0)": session present, return code; a refused CONNECT is named by its address.
    const std::size_t open = rest.rfind(" (");
    const std::size_t comma = rest.rfind(", ");
    if (open == std::string_view::npos || comma == std::string_view::npos || comma < open)
        return std::nullopt;
    int code = -1;
    std::from_chars(rest.data() + comma + 2, rest.data() + rest.size(), code);
    const std::string id(rest.substr(0, open));
    const Client* c = find(id);
    if (id == own_id_ || code < 0) return std::nullopt;
    MosquittoLogEvent e;
    e.client_id = c ? id : std::string();
    e.code = code;
    e.will = c && c->will_topic.has_value();
    return e;
}

void MosquittoLog::connected(std::string_view rest) {
    // "127.0.0.1:40144 as dev1 (p2, c0, k30, u'dtu')."
    const std::size_t as = rest.find(" as ");
    const std::size_t open = rest.rfind(" (");
    if (as == std::string_view::npos || open == std::string_view::npos || open < as) return;
    const std::string id(rest.substr(as + 4, open - as - 4));
    const std::string_view flags = rest.substr(open + 2);
    Client& c = clients_[id];
    BrokerSessionView& v = c.view;
    v.connected = true;
    v.client_id = id;
    v.protocol_level = protocol_level(field(flags, "p"));
    v.clean_session = field(flags, "c") != 0;
    v.keepalive_s = std::max(0, field(flags, "k"));
    const std::size_t user = flags.find("u'");
    v.username = user == std::string_view::npos
                     ? std::string()
                     : std::string(flags.substr(user + 2, flags.rfind('\'') - user - 2));
    if (v.clean_session) v.subscriptions.clear(); // a persistent session keeps them (§3.1.2.4)
    c.will_topic.reset();
    current_ = id;
    if (id != own_id_) last_ = id;
}

std::optional<MosquittoLogEvent> MosquittoLog::ended(std::string_view client_id, bool will,
                                                     hal_sim::MqttSessionEnd why) {
    Client* c = find(client_id);
    if (!c || !c->view.connected) return std::nullopt;
    c->view.connected = false;
    if (will && c->will_topic) owed_wills_[*c->will_topic].emplace_back(client_id);
    c->will_topic.reset();
    if (client_id == own_id_) return std::nullopt;
    MosquittoLogEvent e;
    e.kind = MosquittoLogEvent::Kind::Ended;
    e.client_id = std::string(client_id);
    e.why = why;
    return e;
}

std::optional<BrokerSessionView> MosquittoLog::session(std::string_view client_id) const {
    const auto it = clients_.find(client_id.empty() ? std::string_view(last_) : client_id);
    if (it == clients_.end()) return std::nullopt;
    return it->second.view;
}

std::optional<std::string> MosquittoLog::take_will(std::string_view topic) {
    const auto it = owed_wills_.find(topic);
    if (it == owed_wills_.end()) return std::nullopt;
    std::string whose = std::move(it->second.front());
    it->second.pop_front();
    if (it->second.empty()) owed_wills_.erase(it);
    return whose;
}

void MosquittoLog::published(std::string_view rest) {
    // "dev1 (d0, q1, r0, m1, '/topic', ... (5 bytes))": the topic is between the first "'" and
    // the last "', ... (" (a topic may hold quotes).
    const std::size_t open = rest.find(" (");
    const std::size_t first = rest.find('\'');
    const std::size_t last = rest.rfind("', ... (");
    if (open == std::string_view::npos || first == std::string_view::npos || last == std::string_view::npos ||
        last <= first)
        return;
    const std::string_view id = rest.substr(0, open);
    if (id == own_id_) return; // its own publishes never come back to it (no local)
    publishers_[std::string(rest.substr(first + 1, last - first - 1))].emplace_back(id);
}

std::string MosquittoLog::take_publisher(std::string_view topic) {
    const auto it = publishers_.find(topic);
    if (it == publishers_.end()) return {};
    std::string who = std::move(it->second.front());
    it->second.pop_front();
    if (it->second.empty()) publishers_.erase(it);
    return who;
}

} // namespace dtu::sim::scenario
