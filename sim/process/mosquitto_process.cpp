#include "sim/process/mosquitto_process.hpp"

#include <signal.h>
#include <unistd.h>

#include <sstream>
#include <stdexcept>

#include "sim/process/loopback_port.hpp"
#include "sim/process/wait_until.hpp"

namespace dtu::sim::process {
namespace {

constexpr int kStartAttempts = 3;

std::string listener_block(const MosquittoListener& l) {
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

MosquittoProcess::MosquittoProcess(MosquittoOptions options) : options_(std::move(options)) { start(); }

MosquittoProcess::~MosquittoProcess() { stop(); }

void MosquittoProcess::write_files() {
    std::ostringstream c;
    c << "per_listener_settings false\n";
    c << "allow_anonymous " << (options_.allow_anonymous ? "true" : "false") << "\n";
    if (options_.persistence)
        c << "persistence true\npersistence_location " << dir().string() << "/\n";
    else
        c << "persistence false\n";
    c << "log_dest file " << log_file().string() << "\n";
    c << "log_type all\n";
    if (::geteuid() == 0) c << "user root\n"; // else mosquitto switches to "mosquitto" and cannot read dir()
    if (!options_.users.empty()) c << "password_file " << (dir() / "passwd").string() << "\n";
    if (!options_.extra.empty()) c << options_.extra << "\n";
    for (const MosquittoListener& l : options_.listeners)
        c << listener_block(l);
    write_text(dir() / "mosquitto.conf", c.str());
}

void MosquittoProcess::start(std::chrono::milliseconds timeout) {
    if (process_) return;
    if (!options_.users.empty() && !std::filesystem::exists(dir() / "passwd")) {
        const std::string file = (dir() / "passwd").string();
        write_text(file, "");
        for (const auto& [user, password] : options_.users)
            if (!run_to_end({"mosquitto_passwd", "-b", file, user, password}, std::chrono::seconds(10)))
                throw std::runtime_error("mosquitto_passwd failed for " + user);
    }
    for (int attempt = 0; attempt < kStartAttempts; ++attempt) {
        if (!fixed_ports_)
            for (MosquittoListener& l : options_.listeners)
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

bool MosquittoProcess::try_start(std::chrono::milliseconds timeout) {
    process_ =
        std::make_unique<ChildProcess>(SpawnOptions{{"mosquitto", "-c", (dir() / "mosquitto.conf").string()},
                                                    dir() / "stdout.log",
                                                    dir() / "stderr.log"});
    const bool up = wait_until(
        [&] {
            if (process_->poll()) return true; // exited: give up at once
            for (const MosquittoListener& l : options_.listeners)
                if (!tcp_accepts(l.port)) return false;
            return true;
        },
        timeout, std::chrono::milliseconds(5));
    if (up && !process_->poll()) return true;
    process_.reset();
    return false;
}

void MosquittoProcess::stop() {
    if (!process_) return;
    process_->terminate();
    process_.reset();
}

void MosquittoProcess::kill() {
    if (!process_) return;
    process_->signal(SIGKILL);
    process_->wait(std::chrono::seconds(5));
    process_.reset();
}

bool MosquittoProcess::running() { return process_ && !process_->poll(); }

std::string MosquittoProcess::log() const { return read_text(dir() / "stderr.log") + read_text(log_file()); }

} // namespace dtu::sim::process
