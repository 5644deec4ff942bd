#pragma once
// UDC work mode's framing (732 §2.1.4: "在网络透传模式上增加特定的注册包和心跳包，并且对数据进行组包").
// The bytes are not in the manual (GAP-07); they follow the reverse-engineered frame of spec
// field-evidence §3 (dtu/udc/frame.hpp). What the manual leaves open, chosen here:
// - the device ID is AT+REGDT's bytes (732 §2.1.4.1 step 8), padded to 11 with '0' on the left;
//   REGEN/REGTP are not consulted: a UDC link always logs in;
// - the login carries the module's IP and port 0 (the HAL has no local port);
// - server data (0x89) is network AT when it starts with the password, answered in a data frame;
// - the server's offline frame (0x82) is answered with 0x02; acknowledgements are consumed.
#include <vector>

#include "dtu/hal/modem.hpp"
#include "dtu/params/store.hpp"
#include "dtu/udc/frame.hpp"
#include "link_framing.hpp"

namespace dtu::device {

class UdcFraming final : public LinkFraming {
public:
    UdcFraming(const params::Store& saved, const hal::Modem& modem, std::size_t sockets);
    std::string login() const override;
    std::string heartbeat() const override;
    std::string up(std::string_view payload) const override;
    void down(std::size_t socket, std::string_view bytes,
              const std::function<void(std::string_view)>& payload,
              const std::function<void(std::string_view)>& answer) override;
    /// Bytes from the server that were not part of a frame.
    std::size_t skipped_bytes() const;

private:
    const hal::Modem& modem_;
    std::string id_;
    std::vector<udc::Decoder> decoders_; ///< one TCP stream each
};

} // namespace dtu::device
