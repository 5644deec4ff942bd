#pragma once
// UDP Server work mode (SOCKA=UDPS; K7 §4.2.4, spec k7-ethernet §4): socket A is bound to SOCKA's
// port (the local one, GAP-20) and takes datagrams from any source.
//
// - Every datagram goes to the serial port (discarded in command mode, GAP-46); its source becomes
//   the remote address: "change the remote IP change into data original IP and port, the turn back
//   to the last IP and port".
// - Every serial frame is one datagram to the last sender. Before the first datagram there is
//   nobody to answer: the frame is dropped, counted and logged.
// - No registration packet and no network heartbeat (spec k7 §6 RECOMMENDED).
// - AT+RSTIM: the device restarts when no datagram has come for that long (K7 §4.4.8).
#include <cstdint>
#include <optional>
#include <string_view>

#include "drop_report.hpp"
#include "dtu/hal/hal.hpp"
#include "dtu/params/store.hpp"
#include "mode_hooks.hpp"
#include "no_data_restart.hpp"
#include "server_listen.hpp"
#include "work_mode.hpp"

namespace dtu::device {

/// Listens to link id kSocket; the owner routes it here.
class UdpServerMode final : public WorkMode, public hal::NetListener {
public:
    static constexpr hal::LinkId kSocket = 0; ///< socket A

    UdpServerMode(hal::Hal hal, const params::Store& saved, ModeHooks hooks);

    // WorkMode
    void start() override;
    bool on_frame(std::string_view frame) override;
    void report(Status& status) const override;
    void report(LiveState& live) const override;

    // hal::NetListener
    void on_connected(hal::LinkId) override {}
    void on_connect_failed(hal::LinkId, hal::NetError) override {}
    void on_data(hal::LinkId, std::string_view) override {}
    void on_closed(hal::LinkId, hal::NetError) override {}
    void on_attach_changed(bool attached) override { listen_.on_attach_changed(attached); }
    void on_listening(hal::LinkId id) override;
    void on_listen_failed(hal::LinkId id, hal::NetError why) override;
    void on_datagram(hal::LinkId id, const hal::NetAddress& from, std::string_view bytes) override;

private:
    void dropped(std::size_t bytes, std::string_view why);

    hal::Hal hal_;
    ModeHooks hooks_;
    ServerListen listen_;
    DropReport drops_;
    NoDataRestart no_data_;
    std::optional<hal::NetAddress> last_sender_;
    SocketStatus counters_;
};

} // namespace dtu::device
