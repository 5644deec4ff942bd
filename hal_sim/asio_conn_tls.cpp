// AsioNet::Conn's side of a TLS link (G771 §2.6.2; the link itself is TlsLink, tls_link.hpp): a
// failed handshake ends the connect attempt.
#include "hal_sim/asio_conn.hpp"

namespace dtu::hal_sim {

void AsioNet::Conn::tls_failed() {
    if (closed_) return;
    auto self = shared_from_this();
    abort();
    net_.counters_.connect_failures++;
    net_.release(id_, gen_);
    net_.emit(id_, gen_,
              [id = id_](hal::NetListener& l) { l.on_connect_failed(id, hal::NetError::TlsFailed); });
}

} // namespace dtu::hal_sim
