#pragma once
// The USR-K7's network AT commands over UDP (K7 §5.3.1; spec k7-ethernet §10 RECOMMENDED, GAP-52):
// on the SEARCH port (AT+SEARCH, K7 §5.3.5 #11) a datagram equal to the keyword opens a 30 s session
// for its sender and is answered "<IP>,<MAC>,<MID>"; in the session each datagram is one AT command,
// run by the device's AT engine and answered to the sender with the bytes the serial port would
// show. It runs in every work mode, beside the sockets.
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "at_engine.hpp"
#include "dtu/device/device.hpp"
#include "dtu/hal/hal.hpp"
#include "dtu/params/store.hpp"
#include "timer.hpp"
#include "udp_service.hpp"

namespace dtu::device {

class NetworkAtService final : public UdpService {
public:
    static constexpr hal::LinkId kLink = hal::links::kNetworkAt;
    /// K7 §5.3.1: "if there is no command for 30s, K7 will exit the AT command".
    static constexpr std::uint32_t kSessionMs = 30000;

    struct Hooks {
        /// One AT command line (no terminator) through the device's engine; AT+ENTM comes back as
        /// After::ExitCommand.
        std::function<Outcome(std::string_view line)> run_at;
        std::function<void(hal::ResetCause)> restart;
        std::function<void(hal::LogLevel, const std::string&)> log;
    };

    /// saved: the parameters in effect since boot (SEARCH, WANN, USERMAC, MID).
    NetworkAtService(hal::Hal hal, const params::Store& saved, Hooks hooks);
    ~NetworkAtService() override;
    void start();
    NetworkAtStatus status() const;

    void on_attach_changed(bool attached) override;
    void on_datagram(hal::LinkId id, const hal::NetAddress& from, std::string_view bytes) override;

private:
    void open_session(const hal::NetAddress& from);
    void command(std::string_view line, const hal::NetAddress& from);
    void end_session(const std::string& why);
    void arm_expiry();
    /// "<IP>,<MAC>,<MID>" of the parameters in effect (spec k7 §10).
    std::string identity() const;
    void reply(const hal::NetAddress& to, std::string_view bytes);
    void log(hal::LogLevel level, const std::string& line) const;

    hal::Hal hal_;
    const params::Store& saved_;
    Hooks hooks_;
    std::uint16_t port_ = 0;
    std::string keyword_;
    std::optional<hal::NetAddress> peer_; ///< the session's source; none = no session
    Timer expiry_;
    NetworkAtStatus status_;
};

} // namespace dtu::device
