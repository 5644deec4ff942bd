#pragma once
// The control API's HTTP server: cpp-httplib's, with a bound on what one client can hold.
//
// httplib serves each connection on one worker thread of a fixed pool, for as long as the client
// keeps it, and its read timeout counts per recv(): a client that sends one byte a second is never
// timed out. Eight such clients held all eight workers of httplib's default pool, and nobody else
// was answered. Here:
//  - every request (head and body) must arrive within kRequestDeadline of its first byte, and the
//    next request of a keep-alive connection within the keep-alive timeout; a client that trickles
//    is closed then, so it holds a worker for at most that long;
//  - the pool has kWorkers threads, so a dozen such clients at once still leave workers free for
//    a normal request, which is answered at once. Beyond that, a new request waits at most
//    kRequestDeadline for a worker.
// No per-address connection cap: on loopback (where the API is meant to listen) every local
// process is 127.0.0.1, so such a cap would lock the legitimate client out together with the
// slow ones.
#include <chrono>
#include <cstddef>

#include <httplib.h>

namespace dtu::sim {

class ControlHttpServer final : public httplib::Server {
public:
    /// Worker threads: connections served at once.
    static constexpr std::size_t kWorkers = 16;
    /// The longest a request may take to arrive, from its first byte to the end of its body (at
    /// most 64 KiB): generous for any real client on any link, short for a worker held hostage.
    static constexpr std::chrono::milliseconds kRequestDeadline{5000};
    /// The longest one write of the answer may wait for the client to read.
    static constexpr std::chrono::milliseconds kWriteTimeout{5000};

    ControlHttpServer();

private:
    // httplib calls this on a worker for each accepted connection (it is private but virtual in
    // httplib::Server, as for its SSLServer): the keep-alive loop, with the deadlines above.
    bool process_and_close_socket(socket_t sock) override;
};

} // namespace dtu::sim
