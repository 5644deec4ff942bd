#include "hal_sim/net_stack.hpp"

#include "hal_sim/observed_net.hpp"
#include "hal_sim/virtual_mqtt.hpp"

namespace dtu::hal_sim {
namespace {

class VirtualNetStack final : public NetStack {
public:
    VirtualNetStack(Scheduler& scheduler, LinkImpairment& link, hal::Log& log)
        : net_(scheduler, link, log), mqtt_(scheduler, net_, log) {}

    hal::Net& net() override { return net_; }
    hal::Mqtt& mqtt() override { return mqtt_; }
    void set_radio_attached(bool up) override { net_.set_radio_attached(up); }
    void module_reset() override {
        mqtt_.reset(); // the module resets too: its MQTT session ends without DISCONNECT
        net_.close_all();
    }
    std::size_t reset_connections() override { return net_.reset_connections(); }
    void set_observer(NetObserver* observer) override { net_.set_observer(observer); }
    VirtualNet* in_process() override { return &net_; }
    std::vector<NetLinkSnapshot> snapshot() const override { return net_.snapshot(); }
    std::vector<NetListenSnapshot> listeners() const override { return net_.listeners(); }
    const NetCounters& counters() const override { return net_.counters(); }
    const std::string& last_tls_error() const override { return net_.last_tls_error(); }
    MqttServiceSnapshot mqtt_snapshot() const override { return mqtt_.snapshot(); }

private:
    VirtualNet net_;
    VirtualMqtt mqtt_; ///< the module's MQTT service, over net_'s kMqttServiceLink
};

/// AsioNet (seen through an ObservedNet) and the mosquitto-based MQTT service.
class HostNetStack final : public NetStack {
public:
    HostNetStack(boost::asio::io_context& io, Scheduler& scheduler, LinkImpairment& link, hal::Log& log,
                 AsioNetOptions options)
        : net_(io, scheduler, link, log, std::move(options)), observed_(net_), mqtt_(io, net_, log) {}

    hal::Net& net() override { return observed_; }
    hal::Mqtt& mqtt() override { return mqtt_; }
    void set_radio_attached(bool up) override { net_.set_radio_attached(up); }
    void module_reset() override {
        mqtt_.reset(); // the module resets too: its MQTT session ends without DISCONNECT
        net_.close_all();
    }
    std::size_t reset_connections() override { return net_.reset_connections(); }
    void set_observer(NetObserver* observer) override { observed_.set_observer(observer); }
    std::vector<NetLinkSnapshot> snapshot() const override { return net_.snapshot(); }
    std::vector<NetListenSnapshot> listeners() const override { return net_.listeners(); }
    const NetCounters& counters() const override { return net_.counters(); }
    const std::string& last_tls_error() const override { return net_.last_tls_error(); }
    MqttServiceSnapshot mqtt_snapshot() const override { return mqtt_.snapshot(); }

private:
    AsioNet net_;
    ObservedNet observed_; ///< what the firmware uses (the module's MQTT service is not seen)
    MosquittoMqtt mqtt_;   ///< the module's MQTT service, over net_'s kMqttServiceLink
};

} // namespace

std::unique_ptr<NetStack> make_virtual_net_stack(Scheduler& scheduler, LinkImpairment& link, hal::Log& log) {
    return std::make_unique<VirtualNetStack>(scheduler, link, log);
}

std::unique_ptr<NetStack> make_host_net_stack(boost::asio::io_context& io, Scheduler& scheduler,
                                              LinkImpairment& link, hal::Log& log, AsioNetOptions options) {
    return std::make_unique<HostNetStack>(io, scheduler, link, log, std::move(options));
}

} // namespace dtu::hal_sim
