#include "server_with_socket_b.hpp"

namespace dtu::device {

void ServerWithSocketB::report(Status& status) const {
    socket_b_->report(status); // sockets A (not a client of its) and B, B's RFC2217-like frames
    Status served = status;
    server_->report(served); // socket A as the server sees it, its clients' RFC2217-like frames
    if (!served.sockets.empty() && !status.sockets.empty()) status.sockets.front() = served.sockets.front();
    Rfc2217Status& r = status.rfc2217;
    const Rfc2217Status& a = served.rfc2217;
    r.applied += a.applied;
    r.refused += a.refused;
    r.bad_checksums += a.bad_checksums;
    r.held_released += a.held_released;
    if (!a.last.empty()) r.last = a.last; // which side applied last is not kept; the server's wins
}

} // namespace dtu::device
