#include "modbus_gateway.hpp"

#include <utility>

namespace dtu::device {

namespace mb = proto::modbus;

ModbusGateway::ModbusGateway(hal::Clock& clock, Settings settings, SerialWrite to_serial, NetSend to_net,
                             NetClose close)
    : settings_(settings), to_serial_(std::move(to_serial)), to_net_(std::move(to_net)),
      close_(std::move(close)), timeout_(clock) {}

void ModbusGateway::from_network(hal::LinkId conn, std::string_view bytes) {
    mb::MbapReader::Result got = readers_[conn].feed(bytes);
    counters_.bad_mbap += static_cast<std::uint32_t>(got.skipped);
    for (mb::Adu& adu : got.adus)
        accept(conn, std::move(adu));
    if (got.broken) {
        // A length out of range: the stream cannot be resynchronised, so the connection goes.
        ++counters_.bad_mbap;
        connection_closed(conn);
        if (close_) close_(conn);
    }
}

void ModbusGateway::accept(hal::LinkId conn, mb::Adu adu) {
    Request request{conn, adu.transaction, adu.unit, mb::encode_rtu(adu.unit, adu.pdu)};
    if (!settings_.polling) {
        // MODPOLL OFF: no arbitration; the newest request goes out at once and owns the next reply.
        if (current_) ++counters_.superseded;
        send(std::move(request));
        return;
    }
    if (!current_) {
        send(std::move(request));
        return;
    }
    if (queue_.size() >= settings_.queue_limit) {
        ++counters_.queue_full;
        return;
    }
    queue_.push_back(std::move(request));
}

void ModbusGateway::send(Request request) {
    reply_.reset();
    current_closed_ = false;
    ++counters_.requests;
    to_serial_(request.rtu);
    if (request.unit == 0) {
        // RTU broadcast (Modbus over serial line §2.1): no slave answers, so nothing is waited for.
        current_.reset();
        timeout_.cancel();
        next();
        return;
    }
    current_ = std::move(request);
    timeout_.start(settings_.timeout_ms, [this] { on_timeout(); });
}

void ModbusGateway::next() {
    if (current_ || queue_.empty()) return;
    Request request = std::move(queue_.front());
    queue_.pop_front();
    send(std::move(request));
}

void ModbusGateway::on_timeout() {
    ++counters_.timeouts;
    current_.reset();
    reply_.reset();
    next();
}

void ModbusGateway::from_serial(std::string_view bytes) {
    while (!bytes.empty()) {
        if (!current_) {
            counters_.unsolicited += static_cast<std::uint32_t>(bytes.size());
            return;
        }
        const mb::RtuReplyAssembler::Result got = reply_.feed(bytes);
        if (!got.complete) return;
        const std::string_view rest = bytes.substr(bytes.size() - got.extra);
        if (got.frame.verdict != mb::RtuVerdict::Ok) {
            // A corrupted reply will not be repeated by the slave: the request is over.
            ++counters_.bad_crc;
        } else if (got.frame.unit != current_->unit) {
            ++counters_.unit_mismatch;
            bytes = rest; // not ours: keep waiting for the asked unit until MODTO
            continue;
        } else if (current_closed_) {
            ++counters_.orphaned;
        } else {
            ++counters_.replies;
            to_net_(current_->conn, mb::encode_mbap({current_->transaction, got.frame.unit, got.frame.pdu}));
        }
        timeout_.cancel();
        current_.reset();
        counters_.unsolicited += static_cast<std::uint32_t>(rest.size());
        next();
        return;
    }
}

void ModbusGateway::connection_closed(hal::LinkId conn) {
    readers_.erase(conn);
    for (auto it = queue_.begin(); it != queue_.end();)
        it = it->conn == conn ? queue_.erase(it) : std::next(it);
    if (current_ && current_->conn == conn) current_closed_ = true;
}

} // namespace dtu::device
