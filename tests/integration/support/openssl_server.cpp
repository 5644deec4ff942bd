#include "openssl_server.hpp"

#include <fcntl.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include "loopback.hpp"
#include "wait.hpp"

namespace dtu::itest {
namespace {

std::string read_text(const std::string& path) {
    std::ifstream in(path);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

} // namespace

bool tcp_listening(std::uint16_t port) {
    std::ifstream in("/proc/net/tcp");
    std::string line;
    char wanted[16];
    std::snprintf(wanted, sizeof wanted, ":%04X ", port);
    std::getline(in, line); // header
    while (std::getline(in, line)) {
        // "  sl  local_address rem_address   st ..."; st 0A = LISTEN
        std::istringstream f(line);
        std::string sl, local, remote, st;
        f >> sl >> local >> remote >> st;
        if (st == "0A" && (local + " ").find(wanted) != std::string::npos) return true;
    }
    return false;
}

OpensslServer::OpensslServer(const PkiIdentity& identity, std::vector<std::string> extra) {
    for (int attempt = 0; attempt < 5; ++attempt) // another process may take the free port first
        if (start(identity, extra)) return;
    throw std::runtime_error("openssl s_server did not start: " + read_text(stderr_path_));
}

OpensslServer::~OpensslServer() {
    if (child_) child_->terminate(std::chrono::seconds(2));
    ::unlink(stderr_path_.c_str());
}

bool OpensslServer::start(const PkiIdentity& identity, const std::vector<std::string>& extra) {
    port_ = free_tcp_port(); // s_server binds it right after
    stderr_path_ = (test_pki().dir / ("s_server-" + std::to_string(port_) + ".err")).string();
    SpawnOptions o;
    o.argv = {"openssl", "s_server",
              "-accept", "127.0.0.1:" + std::to_string(port_),
              "-cert",   identity.cert_file.string(),
              "-key",    identity.key_file.string()};
    o.argv.insert(o.argv.end(), extra.begin(), extra.end());
    o.pipe_stdin = true;
    o.pipe_stdout = true;
    o.stderr_file = stderr_path_;
    child_ = std::make_unique<ChildProcess>(o);
    ::fcntl(child_->stdout_fd(), F_SETFL, ::fcntl(child_->stdout_fd(), F_GETFL) | O_NONBLOCK);
    const bool up = wait_until([&] { return tcp_listening(port_) || child_->poll().has_value(); },
                               std::chrono::seconds(10));
    if (up && !child_->poll()) return true;
    child_.reset();
    return false;
}

const std::string& OpensslServer::output() {
    char buf[4096];
    for (;;) {
        const ssize_t n = ::read(child_->stdout_fd(), buf, sizeof buf);
        if (n <= 0) break;
        out_.append(buf, static_cast<std::size_t>(n));
    }
    return out_;
}

void OpensslServer::send(std::string_view bytes) {
    while (!bytes.empty()) {
        const ssize_t n = ::write(child_->stdin_fd(), bytes.data(), bytes.size());
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) throw std::runtime_error("openssl s_server: stdin closed");
        bytes.remove_prefix(static_cast<std::size_t>(n));
    }
}

} // namespace dtu::itest
