#pragma once
// Network transparent mode (WKMOD=NET): serial frames to every connected socket, server data to
// the serial port, heartbeats, no-data restart, network AT (G771 §2.2, §2.6.8, §3.4.2).
#include <array>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "at_engine.hpp"
#include "dtu/hal/hal.hpp"
#include "dtu/params/store.hpp"
#include "link_framing.hpp"
#include "mode_hooks.hpp"
#include "net_socket.hpp"
#include "no_data_restart.hpp"
#include "serial_reconfig.hpp"
#include "timer.hpp"
#include "work_mode.hpp"

namespace dtu::device {

/// Listens to link ids 0..sockets-1 (sockets A..); the owner routes their events here (LinkRouter).
class NetMode final : public WorkMode, public hal::NetListener {
public:
    /// What the mode needs from the rest of the device.
    struct Hooks : ModeHooks {
        /// Run a password-stripped network AT line (G771 §3.4.2).
        std::function<Outcome(std::string_view line)> network_at;
        /// False: AT+RSTIM is another mode's (the K7 server beside socket B, server_with_socket_b.hpp).
        bool no_data_restart = true;
    };

    /// framing: how the sockets frame their bytes (UDC); nullptr = as they are (NET).
    NetMode(const profile::Profile& profile, hal::Hal hal, const params::Store& saved, Hooks hooks,
            std::unique_ptr<LinkFraming> framing = nullptr);
    ~NetMode() override;
    NetMode(const NetMode&) = delete;
    NetMode& operator=(const NetMode&) = delete;

    // WorkMode
    /// Open the long connections and start the timers.
    void start() override;
    /// A frame from the serial port (transparent mode); the sockets count what they drop.
    bool on_frame(std::string_view frame) override;
    /// False while a connected socket's send queue is over the module's limit (hal::Net::send_busy):
    /// every frame goes to every socket, so one slow server holds the serial port back.
    bool accepting() const override;
    void report(Status& status) const override;
    void report(LiveState& live) const override;
    /// Whether socket `index` (0 = A) is in use: it connects to a server.
    bool socket_in_use(std::size_t index) const {
        return index < sockets_.size() && sockets_[index]->config().enabled;
    }

    // hal::NetListener
    void on_connected(hal::LinkId id) override;
    void on_connect_failed(hal::LinkId id, hal::NetError why) override;
    void on_data(hal::LinkId id, std::string_view bytes) override;
    void on_closed(hal::LinkId id, hal::NetError why) override;
    void on_attach_changed(bool attached) override;
    void on_send_drained(hal::LinkId id) override;

private:
    NetSocket* socket(hal::LinkId id) const { return id < sockets_.size() ? sockets_[id].get() : nullptr; }
    /// Server data past the RFC2217-like frames: network AT, or the serial port.
    void deliver(hal::LinkId id, std::string_view bytes);
    /// Server data as the serial port gets it (socket distribution frame, socket-ID marker).
    std::string serial_form(hal::LinkId id, std::string_view bytes) const;
    bool run_network_at(NetSocket& s, std::string_view payload);
    /// Server data for the device (a framed link: the payload inside the frames); RFC2217-like
    /// frames are taken out here.
    void on_payload(hal::LinkId id, std::string_view bytes);
    std::string registration() const;
    /// A payload as it goes to the server.
    std::string up(std::string_view payload) const;
    void distribute(std::string_view frame);
    void arm_com_heartbeat();
    void flow_changed();
    std::string heartbeat() const;

    const profile::Profile& profile_;
    hal::Hal hal_;
    const params::Store& saved_;
    Hooks hooks_;
    std::unique_ptr<LinkFraming> framing_;
    std::vector<std::unique_ptr<NetSocket>> sockets_;
    Timer com_heartbeat_;
    NoDataRestart no_data_;   ///< AT+RSTIM: restarted by server data
    SerialReconfig reconfig_; ///< AT+RFCEN: RFC2217-like frames from the servers
    const bool socket_id_;    ///< socket-ID indication on (profile.net.socket_id_param)
};

} // namespace dtu::device
