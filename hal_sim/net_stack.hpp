#pragma once
// The device's network as a host wires it: the firmware's hal::Net and the cellular module's MQTT
// service, with the attach, reset and status a board needs. One interface for both clocks, so the
// interactive DeviceHost and the scenario Board build the same thing. In virtual time both parts
// are in-process (VirtualNet reaching the scenario's peers, VirtualMqtt over its kMqttServiceLink);
// in real time they are the host's (AsioNet seen through an ObservedNet, MosquittoMqtt).
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
#include "hal_sim/net_listeners.hpp"
#include "hal_sim/net_peer.hpp"
#include "hal_sim/net_status.hpp"
#include "hal_sim/scheduler.hpp"
#include "hal_sim/virtual_net.hpp"

namespace dtu::hal_sim {

class NetStack {
public:
    virtual ~NetStack() = default;
    /// What the firmware gets.
    virtual hal::Net& net() = 0;
    virtual hal::Mqtt& mqtt() = 0;
    /// The modem's side of the attach (SimModem::data_ready()).
    virtual void set_radio_attached(bool up) = 0;
    /// Firmware reset or power off: the MQTT session is dropped (no DISCONNECT), every link closed.
    virtual void module_reset() = 0;
    /// Reset injection (link_reset): every connected TCP link gets an RST. Returns how many.
    virtual std::size_t reset_connections() = 0;
    /// Where device-side events go (traces); nullptr: nowhere.
    virtual void set_observer(NetObserver* observer) = 0;
    /// The in-process net a scenario's peers are added to; nullptr in real time.
    virtual VirtualNet* in_process() { return nullptr; }

    // For common_board_snapshot and status.
    virtual std::vector<NetLinkSnapshot> snapshot() const = 0;
    virtual std::vector<NetListenSnapshot> listeners() const = 0;
    virtual const NetCounters& counters() const = 0;
    virtual const std::string& last_tls_error() const = 0;
    virtual MqttServiceSnapshot mqtt_snapshot() const = 0;
};

/// Virtual time: scheduler, link and log outlive it.
std::unique_ptr<NetStack> make_virtual_net_stack(Scheduler& scheduler, LinkImpairment& link, hal::Log& log);
/// Real time on io, timed by scheduler (the AsioScheduler on io); options as AsioNet takes them
/// (a scenario's redirects to its loopback peers, DeviceHost's NTP port and host ports).
std::unique_ptr<NetStack> make_host_net_stack(boost::asio::io_context& io, Scheduler& scheduler,
                                              LinkImpairment& link, hal::Log& log, AsioNetOptions options);

} // namespace dtu::hal_sim
