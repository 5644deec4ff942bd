#pragma once
// The USR-K7's UDP search / configuration service on port 1901 (K7 §5.1.2, spec k7-ethernet §11):
// answers the setup software's search, shows the parameters and writes them through the device's
// own AT engine, so a block is validated and kept exactly as the same AT commands would be. It runs
// in every work mode, beside the sockets.
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "at_engine.hpp"
#include "discovery_params.hpp"
#include "dtu/device/device.hpp"
#include "dtu/hal/hal.hpp"
#include "dtu/params/store.hpp"
#include "dtu/profile/profile.hpp"
#include "dtu/proto/k7_discovery.hpp"
#include "param_writes.hpp"
#include "timer.hpp"
#include "udp_service.hpp"

namespace dtu::device {

class DiscoveryService final : public UdpService {
public:
    static constexpr hal::LinkId kLink = hal::links::kDiscovery;
    /// Time between the restart command's reply and the restart (the reply leaves first).
    static constexpr std::uint32_t kRestartDelayMs = 20;

    struct Hooks {
        /// One AT command line through the device's engine (sets are validated and kept there).
        std::function<Outcome(std::string_view line)> run_at;
        std::function<void(hal::ResetCause)> restart;
        std::function<void(hal::LogLevel, const std::string&)> log;
    };

    /// saved: the parameters in effect since boot (IP, MAC); working: as AT shows them now.
    DiscoveryService(const profile::Profile& profile, hal::Hal hal, const params::Store& saved,
                     const params::Store& working, Hooks hooks);
    ~DiscoveryService() override;
    void start();
    DiscoveryStatus status() const {
        DiscoveryStatus s = status_;
        s.listening = listening();
        return s;
    }

    void on_datagram(hal::LinkId id, const hal::NetAddress& from, std::string_view bytes) override;

private:
    void command(const proto::k7_discovery::Frame& frame, const hal::NetAddress& from);
    /// The reply to an authenticated command ('K' / 'E' or the read block).
    std::string perform(const proto::k7_discovery::Frame& frame);
    std::string search_reply() const;
    char write_basic(std::string_view block);
    char write_serial(std::string_view block);
    /// Each setting through AT, skipping the ones already so; on the first refused one the ones
    /// made are undone and false comes back.
    bool apply(const std::vector<Setting>& settings);
    void reply(const hal::NetAddress& to, std::string_view bytes);
    void log(hal::LogLevel level, const std::string& line) const;

    const profile::Profile& profile_;
    hal::Hal hal_;
    const params::Store& saved_;
    const params::Store& working_;
    Hooks hooks_;
    proto::k7_discovery::Mac mac_{};
    proto::k7_discovery::Basic basic_echo_;   ///< "fill what you read" fields, as last written
    proto::k7_discovery::Serial serial_echo_; ///< (kept until the next start; GAP-19)
    Timer restart_timer_;
    DiscoveryStatus status_;
};

} // namespace dtu::device
