#include "hal_sim/virtual_mqtt.hpp"

#include <string>

namespace dtu::hal_sim {

void VirtualMqtt::connect(const hal::MqttConnect& params) {
    ++connects_;
    reset();
    log_.write(hal::LogLevel::Warn, "mqtt: connect to " + std::string(params.host) + ":" +
                                        std::to_string(params.port) +
                                        " failed: MQTT needs --real-time (virtual time has no broker)");
    pending_ = scheduler_.post([this] {
        pending_ = 0;
        if (listener_) listener_->on_mqtt_connect_failed(hal::MqttError::NotAttached, 0);
    });
}

void VirtualMqtt::reset() {
    if (pending_) scheduler_.cancel(pending_);
    pending_ = 0;
}

} // namespace dtu::hal_sim
