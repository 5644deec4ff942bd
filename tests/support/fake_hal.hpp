#pragma once
// A hand-driven HAL for unit tests and fuzzing: virtual time advanced by the test, UART output
// collected in a string, NVRAM in memory. Nothing here touches the host.
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "dtu/device/device.hpp"
#include "dtu/hal/hal.hpp"
#include "dtu/profile/profile.hpp"

namespace dtu::test {

class FakeUart : public hal::Uart {
public:
    void write(std::string_view bytes) override { out.append(bytes); }
    /// Everything written since the last take().
    std::string take() { return std::exchange(out, {}); }
    void configure(const hal::LineSettings& s) override {
        settings = s;
        ++configured;
    }
    std::string out;
    hal::LineSettings settings; ///< the last configure()
    int configured = 0;
};

class FakeClock : public hal::Clock {
public:
    std::uint64_t now_ms() const override { return now; }
    hal::TimerId after(std::uint32_t ms, std::function<void()> fn) override {
        const hal::TimerId id = ++last_id;
        timers.emplace(std::make_pair(now + ms, id), std::move(fn));
        return id;
    }
    void cancel(hal::TimerId id) override {
        for (auto it = timers.begin(); it != timers.end(); ++it)
            if (it->first.second == id) {
                timers.erase(it);
                return;
            }
    }
    /// Move time forward by ms, firing due timers in order.
    void advance(std::uint64_t ms) {
        const std::uint64_t until = now + ms;
        while (!timers.empty() && timers.begin()->first.first <= until) {
            auto node = timers.extract(timers.begin());
            now = node.key().first;
            node.mapped()();
        }
        now = until;
    }
    std::uint64_t now = 0;
    hal::TimerId last_id = 0;
    std::map<std::pair<std::uint64_t, hal::TimerId>, std::function<void()>> timers;
};

class FakeStorage : public hal::Storage {
public:
    bool load(std::string& out) override {
        if (!blob) return false;
        out = *blob;
        return true;
    }
    bool commit(std::string_view b) override {
        ++commits;
        if (fail_commits) return false;
        blob = std::string(b);
        return true;
    }
    std::optional<std::string> blob;
    bool fail_commits = false;
    int commits = 0;
};

class FakeSystem : public hal::System {
public:
    void reset(hal::ResetCause cause) override { resets.push_back(cause); }
    void set_led(hal::Led, bool) override {}
    std::vector<hal::ResetCause> resets;
};

class FakeModem : public hal::Modem {
public:
    hal::Identity identity() const override { return id; }
    hal::RadioState radio() const override { return radio_state; }
    hal::NetworkTime network_time() const override { return time; }
    bool sim_present(hal::SimSlot slot) const override { return present[static_cast<int>(slot)]; }
    hal::SimSlot active_sim() const override { return active; }
    void select_sim(hal::SimSlot slot) override {
        active = slot;
        selects.push_back(slot);
        if (on_select) on_select(slot);
    }
    hal::SimLock sim_lock() const override { return lock; }
    bool enter_pin(std::string_view entered) override {
        pins_entered.emplace_back(entered);
        if (lock == hal::SimLock::PinRequired && entered == pin) lock = hal::SimLock::Ready;
        return lock == hal::SimLock::Ready;
    }
    hal::Identity id{"868000000000001", "89860000000000000001", "02400122052700000529"};
    hal::RadioState radio_state;
    hal::NetworkTime time;
    bool present[2] = {true, true}; ///< external, internal
    hal::SimSlot active = hal::SimSlot::External;
    std::vector<hal::SimSlot> selects;           ///< every select_sim() call
    std::function<void(hal::SimSlot)> on_select; ///< the test plays the network's answer
    hal::SimLock lock = hal::SimLock::Ready;
    std::string pin;                       ///< what enter_pin() accepts while PinRequired
    std::vector<std::string> pins_entered; ///< every enter_pin() call
};

/// Records what the firmware asks of the network; the test plays the network's answers.
class FakeNet : public hal::Net {
public:
    struct Link {
        bool open = false;
        hal::Proto proto = hal::Proto::Tcp;
        std::string host;
        std::uint16_t port = 0;
        bool connected = false;
        std::vector<std::string> sent; ///< one entry per send()
        int opens = 0;
        bool tls = false; ///< opened with TLS parameters
        hal::TlsAuth tls_auth = hal::TlsAuth::None;
        std::string tls_ca_pem;    ///< copies of the PEM handed over at open
        bool listening = false;    ///< listen() took it (a server socket)
        hal::LinkRange accepted{}; ///< listen()'s range for its clients
        std::vector<std::pair<hal::NetAddress, std::string>> sent_to; ///< one entry per send_to()
    };
    void set_listener(hal::NetListener* l) override { listener = l; }
    bool attached() const override { return attach; }
    using hal::Net::open;
    void open(hal::LinkId id, hal::Proto proto, std::string_view host, std::uint16_t port,
              const hal::TlsParams* tls_params) override {
        Link& l = links[id];
        l.tls = tls_params != nullptr;
        l.tls_auth = tls_params ? tls_params->auth : hal::TlsAuth::None;
        l.tls_ca_pem = tls_params ? std::string(tls_params->ca_pem) : std::string();
        l.open = true;
        l.connected = false;
        l.proto = proto;
        l.host = std::string(host);
        l.port = port;
        ++l.opens;
    }
    bool send(hal::LinkId id, std::string_view bytes) override {
        Link& l = links[id];
        if (!l.connected) return false;
        l.sent.emplace_back(bytes);
        return true;
    }
    void close(hal::LinkId id) override {
        Link& l = links[id];
        l.open = l.connected = l.listening = false;
    }
    bool listen(hal::LinkId id, hal::Proto proto, std::uint16_t port, hal::LinkRange accepted) override {
        if (!server_sockets) return false;
        Link& l = links[id];
        l = Link{};
        l.open = l.listening = true;
        l.proto = proto;
        l.port = port;
        l.accepted = accepted;
        ++l.opens;
        return true;
    }
    bool send_to(hal::LinkId id, const hal::NetAddress& to, std::string_view bytes) override {
        Link& l = links[id];
        if (!l.open || l.proto != hal::Proto::Udp) return false;
        l.sent_to.emplace_back(to, std::string(bytes));
        return true;
    }

    // The network's side.
    void accept(hal::LinkId id) {
        links[id].connected = true;
        listener->on_connected(id);
    }
    void refuse(hal::LinkId id, hal::NetError why = hal::NetError::Refused) {
        links[id].open = false;
        listener->on_connect_failed(id, why);
    }
    void deliver(hal::LinkId id, std::string_view bytes) { listener->on_data(id, bytes); }
    void drop(hal::LinkId id, hal::NetError why = hal::NetError::PeerClosed) {
        links[id].open = links[id].connected = false;
        listener->on_closed(id, why);
    }
    /// listen(id) is up (on_listening).
    void bound(hal::LinkId id) { listener->on_listening(id); }
    /// A client from peer connects to TCP listener id: it becomes the first free id of the range
    /// (nullopt and nothing delivered when none is free: refused, as hal::Net says).
    std::optional<hal::LinkId> connect_client(hal::LinkId id, const hal::NetAddress& peer) {
        const hal::LinkRange r = links[id].accepted;
        for (std::uint8_t i = 0; i < r.count; ++i) {
            const auto conn = static_cast<hal::LinkId>(r.first + i);
            Link& c = links[conn];
            if (c.open) continue;
            c = Link{};
            c.open = c.connected = true;
            listener->on_accepted(id, conn, peer);
            return conn;
        }
        return std::nullopt;
    }
    /// A datagram from `from` reaches UDP socket id.
    void datagram(hal::LinkId id, const hal::NetAddress& from, std::string_view bytes) {
        listener->on_datagram(id, from, bytes);
    }
    /// Everything sent on a link, concatenated.
    std::string stream(hal::LinkId id) const {
        std::string all;
        if (auto it = links.find(id); it != links.end())
            for (const auto& s : it->second.sent)
                all += s;
        return all;
    }

    hal::NetListener* listener = nullptr;
    bool attach = true;
    bool server_sockets = true; ///< false: listen() answers "no server sockets" (a cellular module)
    std::map<hal::LinkId, Link> links;
};

/// Records the SMS the firmware sends; the test plays the SMS centre.
class FakeSms : public hal::Sms {
public:
    void set_listener(hal::SmsListener* l) override { listener = l; }
    bool send(const hal::SmsSegment& segment) override {
        if (!registered) return false;
        sent.push_back(segment);
        return true;
    }
    /// A whole message from `number` as one single-part SMS.
    void deliver(std::string number, std::string text, hal::SmsEncoding enc = hal::SmsEncoding::Gsm7) {
        hal::SmsSegment s;
        s.number = std::move(number);
        s.text = std::move(text);
        s.encoding = enc;
        listener->on_sms(s);
    }
    void deliver(const hal::SmsSegment& segment) { listener->on_sms(segment); }

    hal::SmsListener* listener = nullptr;
    bool registered = true;
    std::vector<hal::SmsSegment> sent;
};

/// Records what the firmware asks of the MQTT service; the test plays the broker's answers.
class FakeMqtt : public hal::Mqtt {
public:
    struct Published {
        std::string topic, payload;
        std::uint8_t qos = 0;
        bool retain = false;
    };
    void set_listener(hal::MqttListener* l) override { listener = l; }
    void connect(const hal::MqttConnect& p) override {
        ++connects;
        connecting = true;
        connected = false;
        host = std::string(p.host);
        port = p.port;
        client_id = std::string(p.client_id);
        username = std::string(p.username);
        password = std::string(p.password);
        protocol_level = p.protocol_level;
        keepalive_s = p.keepalive_s;
        clean_session = p.clean_session;
        will = p.will != nullptr;
        if (p.will)
            will_msg = {std::string(p.will->topic), std::string(p.will->payload), p.will->qos,
                        p.will->retain};
        tls = p.tls != nullptr;
        tls_auth = p.tls ? p.tls->auth : hal::TlsAuth::None;
        tls_ca_pem = p.tls ? std::string(p.tls->ca_pem) : std::string();
    }
    bool publish(std::string_view topic, std::string_view payload, std::uint8_t qos, bool retain) override {
        if (!connected || payload.size() > max_payload) return false;
        published.push_back({std::string(topic), std::string(payload), qos, retain});
        return true;
    }
    bool subscribe(std::string_view topic, std::uint8_t qos) override {
        if (!connected) return false;
        subscribed.emplace_back(std::string(topic), qos);
        return true;
    }
    bool unsubscribe(std::string_view topic) override {
        if (!connected) return false;
        unsubscribed.emplace_back(topic);
        return true;
    }
    void disconnect() override {
        ++disconnects;
        connecting = connected = false;
    }

    // The broker's side.
    void accept() {
        connecting = false;
        connected = true;
        listener->on_mqtt_connected();
    }
    void refuse(hal::MqttError why = hal::MqttError::Refused, int code = 0) {
        connecting = false;
        listener->on_mqtt_connect_failed(why, code);
    }
    void drop(hal::MqttError why = hal::MqttError::ConnectionLost) {
        connected = false;
        listener->on_mqtt_closed(why);
    }
    void deliver(std::string_view topic, std::string_view payload) {
        listener->on_mqtt_message(topic, payload);
    }

    hal::MqttListener* listener = nullptr;
    int connects = 0, disconnects = 0;
    bool connecting = false, connected = false;
    std::string host, client_id, username, password;
    std::uint16_t port = 0, keepalive_s = 0;
    std::uint8_t protocol_level = 0;
    bool clean_session = false, will = false, tls = false;
    hal::TlsAuth tls_auth = hal::TlsAuth::None;
    std::string tls_ca_pem;                    ///< copy of the CA PEM handed over at connect
    std::size_t max_payload = std::size_t(-1); ///< publish() refuses larger payloads (the service's limit)
    Published will_msg;
    std::vector<Published> published;
    std::vector<std::pair<std::string, std::uint8_t>> subscribed;
    std::vector<std::string> unsubscribed;
};

/// Not a MAC: a stand-in digest (key and data bytes folded in) so unit tests can see that the
/// firmware asked for one and used it. Real HMAC-SHA1 is tested against hal_sim's OpenSSL one.
class FakeCrypto : public hal::Crypto {
public:
    bool hmac_sha1(std::string_view key, std::string_view data, hal::Sha1Digest& out) override {
        ++calls;
        last_key = std::string(key);
        last_data = std::string(data);
        if (!available) return false;
        out.fill(0);
        std::size_t i = 0;
        for (char c : key)
            out[i++ % out.size()] ^= static_cast<std::uint8_t>(c);
        for (char c : data)
            out[i++ % out.size()] += static_cast<std::uint8_t>(c);
        return true;
    }
    bool available = true;
    int calls = 0;
    std::string last_key, last_data;
};

/// The board's web server: the port served and the handler; the test plays the browser.
class FakeWebServer : public hal::WebServer {
public:
    bool serve(std::uint16_t p, hal::WebHandler& h) override {
        port = p;
        handler = &h;
        ++serves;
        return can_serve;
    }
    void stop() override {
        handler = nullptr;
        ++stops;
    }
    bool can_serve = true;
    std::uint16_t port = 0;
    hal::WebHandler* handler = nullptr;
    int serves = 0, stops = 0;
};

/// The board's websocket server: what the firmware served and sent; the test plays the clients.
class FakeWebSockets : public hal::WebSockets {
public:
    bool serve(std::uint16_t p, hal::WebSocketListener& l) override {
        port = p;
        listener = &l;
        ++serves;
        return can_serve;
    }
    bool send(hal::WsClientId client, std::string_view bytes) override {
        if (full) return false;
        sent.emplace_back(client, std::string(bytes));
        return true;
    }
    void close(hal::WsClientId client) override { closed.push_back(client); }
    void stop() override {
        listener = nullptr;
        ++stops;
    }
    bool can_serve = true;
    bool full = false; ///< every client's queue is full
    std::uint16_t port = 0;
    hal::WebSocketListener* listener = nullptr;
    int serves = 0, stops = 0;
    std::vector<std::pair<hal::WsClientId, std::string>> sent;
    std::vector<hal::WsClientId> closed;
};

class FakeLog : public hal::Log {
public:
    void write(hal::LogLevel level, std::string_view line) override { lines.emplace_back(level, line); }
    std::vector<std::pair<hal::LogLevel, std::string>> lines;
};

/// A device on fake HAL; reboot() re-creates the firmware as the simulator does after a reset.
struct Bench {
    explicit Bench(std::string_view profile_name = "g771") : profile(*profile::find(profile_name)) {}
    /// A device of a profile the test made (it must outlive the bench).
    explicit Bench(const profile::Profile& p) : profile(p) {}
    Bench(const Bench&) = delete; // the device holds references to the HAL members
    Bench& operator=(const Bench&) = delete;
    void power_on() {
        device.reset();
        net.links.clear(); // a reset drops every connection
        mqtt.connecting = mqtt.connected = false;
        device = std::make_unique<device::Device>(profile, hal());
        device->boot();
    }
    /// Handle a pending reset request the way the host does; true if there was one.
    bool service_reset() {
        if (system.resets.size() == handled_resets) return false;
        handled_resets = system.resets.size();
        power_on();
        return true;
    }
    hal::Hal hal() {
        hal::Hal h{uart, clock, storage, system, modem, net, sms, mqtt, crypto, log};
        h.websockets = with_websockets ? &websockets : nullptr;
        h.web = with_web ? &web : nullptr;
        return h;
    }

    const profile::Profile& profile;
    FakeUart uart;
    FakeClock clock;
    FakeStorage storage;
    FakeSystem system;
    FakeModem modem;
    FakeNet net;
    FakeSms sms;
    FakeMqtt mqtt;
    FakeCrypto crypto;
    FakeLog log;
    FakeWebSockets websockets;
    bool with_websockets = true; ///< false: the board has no websocket server (Hal::websockets null)
    FakeWebServer web;
    bool with_web = true; ///< false: the board has no web server (Hal::web null)
    std::size_t handled_resets = 0;
    std::unique_ptr<device::Device> device;
};

} // namespace dtu::test
