#include "sim/scenario/mosquitto_broker.hpp"

#include <fstream>
#include <stdexcept>

namespace dtu::sim::scenario {
namespace {

/// The observer's login when the broker checks logins: a user of its own beside the spec's.
std::optional<MosquittoObserver::Credentials> observer_login(const BrokerSpec& spec) {
    if (spec.users.empty() && spec.allow_anonymous) return std::nullopt; // no password file
    std::string user = MosquittoBroker::kObserverId;
    while (spec.users.count(user))
        user += "_";
    return MosquittoObserver::Credentials{user, "dtu-sim-observer-password"};
}

/// With tls: the device's listener presents the spec's certificate (files written into dir, as
/// mosquitto reads files) and asks for a client certificate when a client CA is given; the observer
/// uses a plain listener of its own beside it.
std::vector<process::MosquittoListener> listeners(const BrokerSpec& spec, const std::filesystem::path& dir) {
    if (!spec.tls) return {process::MosquittoListener{}};
    process::MosquittoListener device;
    device.tls = true;
    device.certfile = dir / "cert.pem";
    device.keyfile = dir / "key.pem";
    process::write_text(device.certfile, spec.tls->cert_pem);
    process::write_text(device.keyfile, spec.tls->key_pem);
    if (!spec.tls->client_ca_pem.empty()) {
        device.cafile = dir / "client-ca.pem";
        process::write_text(device.cafile, spec.tls->client_ca_pem);
        device.require_certificate = true;
    }
    return {device, process::MosquittoListener{}};
}

process::MosquittoOptions options(const BrokerSpec& spec,
                                  const std::optional<MosquittoObserver::Credentials>& observer,
                                  const std::filesystem::path& dir) {
    if (!spec.refused_client_ids.empty())
        throw std::invalid_argument("broker '" + spec.name +
                                    "': refused_client_ids cannot be expressed with mosquitto (run this "
                                    "scenario in virtual time)");
    process::MosquittoOptions o;
    o.allow_anonymous = spec.allow_anonymous;
    o.users.assign(spec.users.begin(), spec.users.end());
    if (observer) o.users.push_back(*observer);
    o.persistence = true;
    o.listeners = listeners(spec, dir);
    return o;
}

} // namespace

MosquittoBroker::MosquittoBroker(const BrokerSpec& spec, boost::asio::io_context& io,
                                 std::function<Duration()> run_time)
    : spec_(spec), io_(io), run_time_(std::move(run_time)), observer_login_(observer_login(spec)),
      process_(options(spec, observer_login_, files_.path())), poll_(io) {
    start();
    poll_log();
}

MosquittoBroker::~MosquittoBroker() {
    *alive_ = false;
    poll_.cancel();
    observer_.reset();
    front_.reset();
}

void MosquittoBroker::start() {
    front_.reset();
    process_.start();
    auto alive = alive_;
    observer_ = std::make_unique<MosquittoObserver>(io_, observer_port(), kObserverId, observer_login_,
                                                    [this, alive](const MosquittoObserver::Message& m) {
                                                        if (*alive) on_message(m);
                                                    });
}

void MosquittoBroker::stop() {
    // The process first, the observer after: mosquitto 2.0 publishes the wills of the clients still
    // connected when it shuts down (as the model's drop_all does), and the observer sees them.
    process_.stop();
    if (observer_) observer_->wait_connection_lost(std::chrono::seconds(2));
    observer_.reset();
}

bool MosquittoBroker::publish(std::string_view topic, std::string_view payload, int qos, bool retain) {
    if (!observer_) return false; // the broker is not up
    std::string error;
    return observer_->publish(topic, payload, qos, retain, error);
}

void MosquittoBroker::set_state(std::string_view state, int refuse_code) {
    if (state != "up" && state != "down" && state != "refusing" && state != "silent")
        throw std::invalid_argument("broker_state: unknown state '" + std::string(state) + "'");
    if (state == "up") {
        if (!observer_) start();
        return;
    }
    stop();
    front_.reset();
    if (state == "refusing") front_code_ = static_cast<std::uint8_t>(refuse_code);
    if (state == "silent") front_code_.reset();
    if (state != "down") front_ = std::make_unique<ConnackFront>(io_, port(), front_code_);
}

void MosquittoBroker::drop_connections(bool) {
    if (observer_) {
        stop();
        start();
    } else if (front_) { // refusing / silent: the front's connections end, it listens on
        front_.reset();
        front_ = std::make_unique<ConnackFront>(io_, port(), front_code_);
    }
}

void MosquittoBroker::on_message(const MosquittoObserver::Message& m) {
    read_log(); // the broker logs a PUBLISH, or a connection's end, before it sends it on
    const std::optional<std::string> will = log_.take_will(m.topic);
    BrokerReceived r{m.topic,
                     m.payload,
                     m.qos,
                     m.retain,
                     will.has_value(),
                     run_time_(),
                     will ? *will : log_.take_publisher(m.topic)};
    received_.push_back(r);
    if (events()) events()->on_broker_message(spec_, r);
}

void MosquittoBroker::poll_log() {
    // The log is read when a step asks (session(), a message), and every kPoll besides, so that
    // CONNACKs and session ends reach the trace close to when they happened.
    constexpr auto kPoll = std::chrono::milliseconds(20);
    poll_.expires_after(kPoll);
    poll_.async_wait([this, alive = alive_](const boost::system::error_code& ec) {
        if (ec || !*alive) return;
        read_log();
        poll_log();
    });
}

void MosquittoBroker::report(const MosquittoLogEvent& e) const {
    if (!events()) return;
    if (e.kind == MosquittoLogEvent::Kind::Ended) {
        events()->on_broker_session_end(spec_, e.client_id, hal_sim::session_end_name(e.why));
        return;
    }
    BrokerSessionView view = log_.session(e.client_id).value_or(BrokerSessionView{});
    if (e.client_id.empty()) view = BrokerSessionView{}; // refused: mosquitto does not say who
    events()->on_broker_connect(spec_, view, e.code, e.will);
}

std::optional<BrokerSessionView> MosquittoBroker::session(std::string_view client_id) const {
    read_log();
    return log_.session(client_id);
}

void MosquittoBroker::read_log() const {
    std::ifstream in(process_.log_file(), std::ios::binary);
    if (!in) return;
    in.seekg(0, std::ios::end);
    const auto size = static_cast<std::uintmax_t>(in.tellg());
    if (size < log_read_) log_read_ = 0; // a new file
    in.seekg(static_cast<std::streamoff>(log_read_));
    std::string chunk(size - log_read_, '\0');
    in.read(chunk.data(), static_cast<std::streamsize>(chunk.size()));
    chunk.resize(static_cast<std::size_t>(in.gcount()));
    log_read_ += chunk.size();
    log_partial_ += chunk;
    std::size_t start = 0;
    for (std::size_t nl; (nl = log_partial_.find('\n', start)) != std::string::npos; start = nl + 1)
        for (const MosquittoLogEvent& e :
             log_.add_line(std::string_view(log_partial_).substr(start, nl - start)))
            report(e);
    log_partial_.erase(0, start);
}

} // namespace dtu::sim::scenario
