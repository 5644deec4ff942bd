#include "udc_framing.hpp"

#include "packets.hpp"

namespace dtu::device {

UdcFraming::UdcFraming(const params::Store& saved, const hal::Modem& modem, std::size_t sockets)
    : modem_(modem), id_(udc::device_id(hex_bytes(saved.text("REGDT")))), decoders_(sockets) {}

std::string UdcFraming::login() const { return udc::login(id_, modem_.radio().local_ip, 0); }

std::string UdcFraming::heartbeat() const { return udc::encode(udc::kHeartbeat, id_); }

std::string UdcFraming::up(std::string_view payload) const { return udc::encode(udc::kDataUp, id_, payload); }

void UdcFraming::down(std::size_t socket, std::string_view bytes,
                      const std::function<void(std::string_view)>& payload,
                      const std::function<void(std::string_view)>& answer) {
    if (socket >= decoders_.size()) return;
    udc::Decoder& d = decoders_[socket];
    d.feed(bytes);
    while (auto frame = d.next()) {
        if (frame->type == udc::kDataDown)
            payload(frame->body);
        else if (frame->type == udc::kOffline)
            answer(udc::encode(udc::kOfflineAck, id_));
        // login, heartbeat and data acknowledgements need nothing
    }
}

std::size_t UdcFraming::skipped_bytes() const {
    std::size_t n = 0;
    for (const auto& d : decoders_)
        n += d.skipped_bytes();
    return n;
}

} // namespace dtu::device
