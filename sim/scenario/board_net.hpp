#pragma once
// The network side of a scenario's Board: the device's sockets (the firmware's hal::Net) and the
// cellular module's MQTT service. In virtual time both are in-process (VirtualNet reaching the
// scenario's peers, VirtualMqtt over its kMqttServiceLink reaching the scenario's brokers); in real time they
// are the host's (AsioNet, MosquittoMqtt), reaching real peers, with the scenario's own peers on loopback
// sockets the declared addresses are redirected to.
#include <cstddef>
#include <memory>
#include <string>
#include <vector>

#include <boost/asio/io_context.hpp>

#include "dtu/hal/log.hpp"
#include "dtu/hal/mqtt.hpp"
#include "dtu/hal/net.hpp"
#include "hal_sim/asio_net.hpp"
#include "hal_sim/link_impairment.hpp"
#include "hal_sim/mosquitto_mqtt.hpp"
#include "hal_sim/net_peer.hpp"
#include "hal_sim/net_status.hpp"
#include "hal_sim/scheduler.hpp"
#include "hal_sim/virtual_net.hpp"

namespace dtu::sim::scenario {

class BoardNet {
public:
    virtual ~BoardNet() = default;
    /// What the firmware gets.
    virtual hal::Net& net() = 0;
    virtual hal::Mqtt& mqtt() = 0;
    /// The modem's side of the attach (SimModem::data_ready()).
    virtual void set_radio_attached(bool up) = 0;
    /// Firmware reset or power off: the MQTT session is dropped, every link closed.
    virtual void module_reset() = 0;
    /// Reset injection (link_reset): every connected TCP link gets an RST. Returns how many.
    virtual std::size_t reset_connections() = 0;
    /// Where device-side events go (traces); nullptr: nowhere.
    virtual void set_observer(hal_sim::NetObserver* observer) = 0;
    /// The in-process net the scenario's peers are added to; nullptr in real time.
    virtual hal_sim::VirtualNet* in_process() { return nullptr; }

    // For common_board_snapshot and status.
    virtual std::vector<hal_sim::NetLinkSnapshot> snapshot() const = 0;
    virtual const hal_sim::NetCounters& counters() const = 0;
    virtual const std::string& last_tls_error() const = 0;
    virtual hal_sim::MqttServiceSnapshot mqtt_snapshot() const { return {}; }
};

/// Virtual time: scheduler, link and log outlive it.
std::unique_ptr<BoardNet> make_virtual_net(hal_sim::Scheduler& scheduler, hal_sim::LinkImpairment& link,
                                           hal::Log& log);
/// Real time on io, timed by scheduler (the AsioScheduler on io): options.redirects send the
/// scenario's declared peers to their loopback ports.
std::unique_ptr<BoardNet> make_host_net(boost::asio::io_context& io, hal_sim::Scheduler& scheduler,
                                        hal_sim::LinkImpairment& link, hal::Log& log,
                                        hal_sim::AsioNetOptions options);

} // namespace dtu::sim::scenario
