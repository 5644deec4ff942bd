#include "mosquitto_broker.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <fstream>
#include <sstream>
#include <stdexcept>
#include <system_error>

#include "loopback.hpp"
#include "wait.hpp"

namespace dtu::itest {
namespace {

constexpr int kStartAttempts = 3;
constexpr const char* kMessagePrefix = "MSG ";

bool accepts(std::uint16_t port) {
    const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) return false;
    const sockaddr_in a = loopback(port);
    const bool ok = ::connect(fd, reinterpret_cast<const sockaddr*>(&a), sizeof a) == 0;
    ::close(fd);
    return ok;
}

bool run_to_end(std::vector<std::string> argv, std::chrono::milliseconds timeout,
                const std::filesystem::path& err = {}) {
    ChildProcess p(SpawnOptions{std::move(argv), {}, err});
    const auto status = p.wait(timeout);
    return status && status->exited() && status->code == 0;
}

void write_file(const std::filesystem::path& path, const std::string& text) {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out << text;
    if (!out) throw std::runtime_error("cannot write " + path.string());
}

std::string listener_block(const BrokerListener& l) {
    std::ostringstream c;
    c << "listener " << l.port << " 127.0.0.1\n";
    if (l.tls) {
        if (!l.cafile.empty()) c << "cafile " << l.cafile.string() << "\n";
        c << "certfile " << l.certfile.string() << "\n";
        c << "keyfile " << l.keyfile.string() << "\n";
        if (l.require_certificate) c << "require_certificate true\n";
        if (!l.tls_version.empty()) c << "tls_version " << l.tls_version << "\n";
    }
    if (!l.extra.empty()) c << l.extra << "\n";
    return c.str();
}

} // namespace

MosquittoBroker::MosquittoBroker(BrokerOptions options) : options_(std::move(options)) { start(); }

MosquittoBroker::~MosquittoBroker() { stop(); }

void MosquittoBroker::write_files() {
    std::ostringstream c;
    c << "per_listener_settings false\n";
    c << "allow_anonymous " << (options_.allow_anonymous ? "true" : "false") << "\n";
    c << "persistence false\n";
    c << "log_dest file " << (dir() / "broker.log").string() << "\n";
    c << "log_type all\n";
    if (::geteuid() == 0) c << "user root\n"; // else mosquitto switches to "mosquitto" and cannot read dir()
    if (!options_.users.empty()) c << "password_file " << (dir() / "passwd").string() << "\n";
    if (!options_.extra.empty()) c << options_.extra << "\n";
    for (const BrokerListener& l : options_.listeners)
        c << listener_block(l);
    write_file(dir() / "mosquitto.conf", c.str());
}

void MosquittoBroker::start(std::chrono::milliseconds timeout) {
    if (process_) return;
    if (!options_.users.empty() && !std::filesystem::exists(dir() / "passwd")) {
        const std::string file = (dir() / "passwd").string();
        write_file(file, "");
        for (const auto& [user, password] : options_.users)
            if (!run_to_end({"mosquitto_passwd", "-b", file, user, password}, std::chrono::seconds(10)))
                throw std::runtime_error("mosquitto_passwd failed for " + user);
    }
    for (int attempt = 0; attempt < kStartAttempts; ++attempt) {
        if (!fixed_ports_)
            for (BrokerListener& l : options_.listeners)
                if (l.port == 0 || attempt > 0) l.port = free_tcp_port();
        write_files();
        if (try_start(timeout)) {
            fixed_ports_ = true;
            return;
        }
        if (fixed_ports_) break; // a restart keeps its ports: no second chance on others
    }
    throw std::runtime_error("mosquitto did not start:\n" + log());
}

bool MosquittoBroker::try_start(std::chrono::milliseconds timeout) {
    process_ =
        std::make_unique<ChildProcess>(SpawnOptions{{"mosquitto", "-c", (dir() / "mosquitto.conf").string()},
                                                    dir() / "stdout.log",
                                                    dir() / "stderr.log"});
    const bool up = wait_until(
        [&] {
            if (process_->poll()) return true; // exited: give up at once
            for (const BrokerListener& l : options_.listeners)
                if (!accepts(l.port)) return false;
            return true;
        },
        timeout, std::chrono::milliseconds(5));
    if (up && !process_->poll()) return true;
    process_.reset();
    return false;
}

void MosquittoBroker::stop() {
    if (!process_) return;
    process_->terminate();
    process_.reset();
}

void MosquittoBroker::kill() {
    if (!process_) return;
    process_->signal(SIGKILL);
    process_->wait(std::chrono::seconds(5));
    process_.reset();
}

bool MosquittoBroker::running() { return process_ && !process_->poll(); }

std::string MosquittoBroker::log() const {
    return read_text(dir() / "stderr.log") + read_text(dir() / "broker.log");
}

// ---- peers ----------------------------------------------------------------------------------------

namespace {

/// What mosquitto_sub and mosquitto_pub share: the broker on 127.0.0.1:port, the topic, the QoS.
std::vector<std::string> client_args(std::uint16_t port, const std::string& topic, int qos) {
    return {"-h", "127.0.0.1", "-p", std::to_string(port), "-t", topic, "-q", std::to_string(qos)};
}

} // namespace

MqttSubscriber::MqttSubscriber(std::uint16_t port, const std::string& topic, int qos,
                               std::vector<std::string> extra_args)
    : out_(dir_.path() / "sub.out") {
    // stdbuf: mosquitto_sub's stdout is a file, so without it the debug lines would wait in stdio.
    std::vector<std::string> argv{"stdbuf", "-oL", "mosquitto_sub"};
    for (std::string& a : client_args(port, topic, qos))
        argv.push_back(std::move(a));
    argv.insert(argv.end(), {"-d", "-F", std::string(kMessagePrefix) + "%t %p"});
    argv.insert(argv.end(), extra_args.begin(), extra_args.end());
    process_ = std::make_unique<ChildProcess>(SpawnOptions{argv, out_, dir_.path() / "sub.err"});
    const bool subscribed = wait_until(
        [&] { return read_text(out_).find("received SUBACK") != std::string::npos || process_->poll(); },
        std::chrono::seconds(10));
    if (!subscribed || process_->poll())
        throw std::runtime_error("mosquitto_sub did not subscribe:\n" + read_text(out_) +
                                 read_text(dir_.path() / "sub.err"));
}

MqttSubscriber::~MqttSubscriber() { process_->terminate(); }

std::vector<std::string> MqttSubscriber::lines() const {
    std::vector<std::string> out;
    std::istringstream in(read_text(out_));
    const std::string prefix(kMessagePrefix);
    for (std::string line; std::getline(in, line);)
        if (line.compare(0, prefix.size(), prefix) == 0) out.push_back(line.substr(prefix.size()));
    return out;
}

bool MqttSubscriber::has(const std::string& line) const {
    for (const std::string& l : lines())
        if (l == line) return true;
    return false;
}

bool MqttSubscriber::wait_for(const std::string& line, std::chrono::milliseconds timeout) {
    return wait_until([&] { return has(line); }, timeout, std::chrono::milliseconds(10));
}

bool mqtt_publish(std::uint16_t port, const std::string& topic, const std::string& payload, int qos,
                  bool retain, std::vector<std::string> extra_args) {
    TempDir dir;
    write_file(dir.path() / "payload", payload);
    std::vector<std::string> argv{"mosquitto_pub"};
    for (std::string& a : client_args(port, topic, qos))
        argv.push_back(std::move(a));
    argv.insert(argv.end(), {"-f", (dir.path() / "payload").string()});
    if (retain) argv.push_back("-r");
    argv.insert(argv.end(), extra_args.begin(), extra_args.end());
    return run_to_end(argv, std::chrono::seconds(30));
}

} // namespace dtu::itest
