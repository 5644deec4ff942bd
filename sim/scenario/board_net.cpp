#include "sim/scenario/board_net.hpp"

#include "hal_sim/observed_net.hpp"
#include "hal_sim/virtual_mqtt.hpp"

namespace dtu::sim::scenario {
namespace {

class VirtualBoardNet final : public BoardNet {
public:
    VirtualBoardNet(hal_sim::Scheduler& scheduler, hal_sim::LinkImpairment& link, hal::Log& log)
        : net_(scheduler, link, log), mqtt_(scheduler, net_, log) {}

    hal::Net& net() override { return net_; }
    hal::Mqtt& mqtt() override { return mqtt_; }
    void set_radio_attached(bool up) override { net_.set_radio_attached(up); }
    void module_reset() override {
        mqtt_.reset(); // the module resets too: its MQTT session ends without DISCONNECT
        net_.close_all();
    }
    std::size_t reset_connections() override { return net_.reset_connections(); }
    void set_observer(hal_sim::NetObserver* observer) override { net_.set_observer(observer); }
    hal_sim::VirtualNet* in_process() override { return &net_; }
    std::vector<hal_sim::NetLinkSnapshot> snapshot() const override { return net_.snapshot(); }
    const hal_sim::NetCounters& counters() const override { return net_.counters(); }
    const std::string& last_tls_error() const override { return net_.last_tls_error(); }
    hal_sim::MqttServiceSnapshot mqtt_snapshot() const override { return mqtt_.snapshot(); }

private:
    hal_sim::VirtualNet net_;
    hal_sim::VirtualMqtt mqtt_; ///< the module's MQTT service, over net_'s kMqttServiceLink
};

/// AsioNet (seen through an ObservedNet) and the mosquitto-based MQTT service, as DeviceHost has them.
class HostBoardNet final : public BoardNet {
public:
    HostBoardNet(boost::asio::io_context& io, hal_sim::Scheduler& scheduler, hal_sim::LinkImpairment& link,
                 hal::Log& log, hal_sim::AsioNetOptions options)
        : net_(io, scheduler, link, log, std::move(options)), observed_(net_), mqtt_(io, net_, log) {}

    hal::Net& net() override { return observed_; }
    hal::Mqtt& mqtt() override { return mqtt_; }
    void set_radio_attached(bool up) override { net_.set_radio_attached(up); }
    void module_reset() override {
        mqtt_.reset(); // the module resets too: its MQTT session ends without DISCONNECT
        net_.close_all();
    }
    std::size_t reset_connections() override { return net_.reset_connections(); }
    void set_observer(hal_sim::NetObserver* observer) override { observed_.set_observer(observer); }
    std::vector<hal_sim::NetLinkSnapshot> snapshot() const override { return net_.snapshot(); }
    const hal_sim::NetCounters& counters() const override { return net_.counters(); }
    const std::string& last_tls_error() const override { return net_.last_tls_error(); }
    hal_sim::MqttServiceSnapshot mqtt_snapshot() const override { return mqtt_.snapshot(); }

private:
    hal_sim::AsioNet net_;
    hal_sim::ObservedNet observed_; ///< what the firmware uses (the module's MQTT service is not seen)
    hal_sim::MosquittoMqtt mqtt_;   ///< the module's MQTT service, over net_'s kMqttServiceLink
};

} // namespace

std::unique_ptr<BoardNet> make_virtual_net(hal_sim::Scheduler& scheduler, hal_sim::LinkImpairment& link,
                                           hal::Log& log) {
    return std::make_unique<VirtualBoardNet>(scheduler, link, log);
}

std::unique_ptr<BoardNet> make_host_net(boost::asio::io_context& io, hal_sim::Scheduler& scheduler,
                                        hal_sim::LinkImpairment& link, hal::Log& log,
                                        hal_sim::AsioNetOptions options) {
    return std::make_unique<HostBoardNet>(io, scheduler, link, log, std::move(options));
}

} // namespace dtu::sim::scenario
