// AsioNet::Conn's bytes through the LinkImpairment: each direction's delay line (DelayLine, shared
// with VirtualNet), the upstream socket writes in order and the downstream delivery to the firmware.
#include "hal_sim/asio_conn.hpp"

#include <utility>

#include <boost/asio/buffer.hpp>
#include <boost/asio/write.hpp>

namespace dtu::hal_sim {

namespace asio = boost::asio;

bool AsioNet::Conn::send(std::string_view bytes) {
    if (closed_ || detached_ || state_ != NetLinkState::Connected) return false;
    if (bytes.empty() && proto_ == hal::Proto::Tcp) return true; // nothing to stream
    if (up_queued() + bytes.size() > net_.options_.max_queue_bytes) {
        net_.link_.count_overflow(Direction::Upstream, bytes.size());
        return false;
    }
    auto self = shared_from_this();
    if (tls_) { // the cap above counts the plaintext; the records are a little larger
        if (!tls_->write(bytes)) return false;
    } else {
        offer_up(std::string(bytes));
    }
    if (up_queued() > net_.options_.send_busy_bytes) busy_ = true;
    return true;
}

void AsioNet::Conn::maybe_drained() {
    // A busy link drained to half its limit: the firmware takes serial data for it again.
    if (!busy_ || up_queued() > net_.options_.send_busy_bytes / 2) return;
    busy_ = false;
    if (detached_) return;
    const hal::LinkId id = id_;
    net_.post_event(id_, gen_, [id](hal::NetListener& l) { l.on_send_drained(id); });
}

void AsioNet::Conn::resume() {
    if (closed_) return;
    auto self = shared_from_this();
    if (handshake_due_ && !stalled_any()) {
        handshake_due_ = false;
        transport_ready();
        if (closed_) return;
    }
    pump_up();
    if (closed_ || detached_) return;
    pump_down();
}

// ---- downstream -----------------------------------------------------------------------------------

void AsioNet::Conn::start_read() {
    if (closed_ || reading_ || read_paused_ || end_queued_) return;
    reading_ = true;
    auto self = shared_from_this();
    if (proto_ == hal::Proto::Tcp) {
        tcp_.async_read_some(asio::buffer(rbuf_),
                             [self](const error_code& ec, std::size_t n) { self->on_read_tcp(ec, n); });
    } else {
        udp_.async_receive_from(asio::buffer(rbuf_), from_,
                                [self](const error_code& ec, std::size_t n) { self->on_read_udp(ec, n); });
    }
}

void AsioNet::Conn::offer_down(std::string bytes) {
    if (down_.offer(std::move(bytes))) pump_down();
}

void AsioNet::Conn::deliver_down(Item item) {
    if (item.eof && tls_ && !tls_->established()) return tls_->on_transport_end_in_handshake(item.why);
    if (item.eof) return finish_closed(item.why);
    if (tls_) return tls_->on_records(item.data);
    deliver_plain(item.data);
}

void AsioNet::Conn::deliver_plain(const std::string& data) {
    rx_bytes_ += data.size();
    rx_packets_++;
    net_.emit(id_, gen_, [id = id_, &data](hal::NetListener& l) { l.on_data(id, data); });
}

void AsioNet::Conn::maybe_resume_read() {
    if (read_paused_ && !closed_ && !detached_ && down_.bytes() <= net_.options_.max_queue_bytes / 2) {
        read_paused_ = false;
        start_read();
    }
}

// ---- upstream -------------------------------------------------------------------------------------

void AsioNet::Conn::offer_up(std::string bytes) {
    if (up_.offer(std::move(bytes)))
        pump_up(); // else lost on the radio (UDP): the device believes it was sent
}

void AsioNet::Conn::write(std::string data) {
    write_bytes_ += data.size();
    writes_.push_back(std::move(data));
    if (!writing_) write_next();
}

void AsioNet::Conn::write_next() {
    if (writes_.empty()) {
        writing_ = false;
        maybe_finish_drain();
        return;
    }
    writing_ = true;
    auto self = shared_from_this();
    auto done = [self](const error_code& ec, std::size_t) { self->on_written(ec); };
    if (proto_ == hal::Proto::Tcp) {
        asio::async_write(tcp_, asio::buffer(writes_.front()), done);
    } else {
        udp_.async_send_to(asio::buffer(writes_.front()), peer_, done);
    }
}

void AsioNet::Conn::on_written(const error_code& ec) {
    if (closed_) return;
    if (ec && proto_ == hal::Proto::Tcp) {
        writing_ = false;
        writes_.clear();
        write_bytes_ = 0;
        if (detached_) {
            abort();
            net_.finish_draining(this);
            return;
        }
        queue_end(hal::NetError::Reset);
        return;
    }
    // UDP: a send error (ICMP from an earlier datagram) loses this datagram, like the network would.
    if (!ec) {
        tx_bytes_ += writes_.front().size();
        tx_packets_++;
    }
    write_bytes_ -= writes_.front().size();
    writes_.pop_front();
    maybe_drained();
    write_next();
}

void AsioNet::Conn::maybe_finish_drain() {
    if (detached_ && !closed_ && up_.empty() && writes_.empty() && !writing_) {
        abort();
        net_.finish_draining(this);
    }
}

// ---- the delay lines ------------------------------------------------------------------------------

void AsioNet::Conn::wake(void (Conn::*pump)()) {
    if (closed_) return;
    auto self = shared_from_this();
    (this->*pump)();
}

// Offered bytes are pumped at once (a zero delay reaches the socket in the same handler); what is
// not due yet comes from the line's task.
void AsioNet::Conn::pump_up() {
    if (closed_) return;
    const DelayLine::End end = up_.pump([this](Item&& item) {
        write(std::move(item.data));
        return !closed_;
    });
    if (end == DelayLine::End::Empty || end == DelayLine::End::Waiting) maybe_finish_drain();
}

void AsioNet::Conn::pump_down() {
    if (closed_) return;
    const DelayLine::End end = down_.pump([this](Item&& item) {
        deliver_down(std::move(item));
        return !closed_ && !detached_;
    });
    if (end == DelayLine::End::Empty || end == DelayLine::End::Waiting) maybe_resume_read();
}

} // namespace dtu::hal_sim
