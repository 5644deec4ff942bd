#include "mosquitto_broker.hpp"

#include <sstream>
#include <stdexcept>

#include "wait.hpp"

namespace dtu::itest {
namespace {

constexpr const char* kMessagePrefix = "MSG ";

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
    sim::process::write_text(dir.path() / "payload", payload);
    std::vector<std::string> argv{"mosquitto_pub"};
    for (std::string& a : client_args(port, topic, qos))
        argv.push_back(std::move(a));
    argv.insert(argv.end(), {"-f", (dir.path() / "payload").string()});
    if (retain) argv.push_back("-r");
    argv.insert(argv.end(), extra_args.begin(), extra_args.end());
    return run_to_end(argv, std::chrono::seconds(30));
}

} // namespace dtu::itest
