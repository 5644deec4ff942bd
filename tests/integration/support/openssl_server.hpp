#pragma once
// `openssl s_server` as a real TLS peer for the device, on 127.0.0.1 and a free port. It serves
// one client at a time and keeps accepting. What it prints (connection details, "Client
// certificate ... subject=CN = dtu-device", the client's data as it arrives) is collected from its
// stdout; what the test sends goes to the connected client.
#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "child_process.hpp"
#include "test_pki.hpp"

namespace dtu::itest {

class OpensslServer {
public:
    /// Start with the identity's certificate and key plus extra s_server arguments (e.g. {"-tls1_3"},
    /// {"-Verify", "1", "-CAfile", ca}); returns once the port listens. Throws std::runtime_error if
    /// s_server does not come up.
    explicit OpensslServer(const PkiIdentity& identity, std::vector<std::string> extra = {});
    ~OpensslServer();
    OpensslServer(const OpensslServer&) = delete;
    OpensslServer& operator=(const OpensslServer&) = delete;

    std::uint16_t port() const { return port_; }
    /// Everything printed so far (reads what is available; never blocks).
    const std::string& output();
    /// Send bytes to the connected client (s_server's stdin; a 1- or 2-byte write starting with a
    /// letter could be taken as an s_server command, so send more).
    void send(std::string_view bytes);

private:
    bool start(const PkiIdentity& identity, const std::vector<std::string>& extra);

    std::uint16_t port_ = 0;
    std::unique_ptr<ChildProcess> child_;
    std::string out_;
    std::string stderr_path_;
};

/// Whether something listens on TCP 127.0.0.1:port (Linux /proc/net/tcp).
bool tcp_listening(std::uint16_t port);

} // namespace dtu::itest
