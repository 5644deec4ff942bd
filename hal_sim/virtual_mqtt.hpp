#pragma once
// hal::Mqtt in virtual time: the module's MQTT service needs libmosquitto and a real broker, which
// run in real time only. Every connect() fails (NotAttached, from the scheduler, never inside the
// call) with a log line saying so; publish and subscribe are refused. Not a model of the service.
#include <cstdint>
#include <string_view>

#include "dtu/hal/log.hpp"
#include "dtu/hal/mqtt.hpp"
#include "hal_sim/scheduler.hpp"

namespace dtu::hal_sim {

class VirtualMqtt final : public hal::Mqtt {
public:
    /// scheduler and log outlive this object.
    VirtualMqtt(Scheduler& scheduler, hal::Log& log) : scheduler_(scheduler), log_(log) {}
    ~VirtualMqtt() override { reset(); }
    VirtualMqtt(const VirtualMqtt&) = delete;
    VirtualMqtt& operator=(const VirtualMqtt&) = delete;

    void set_listener(hal::MqttListener* listener) override { listener_ = listener; }
    void connect(const hal::MqttConnect& params) override;
    bool publish(std::string_view, std::string_view, std::uint8_t, bool) override { return false; }
    bool subscribe(std::string_view, std::uint8_t) override { return false; }
    bool unsubscribe(std::string_view) override { return false; }
    void disconnect() override { reset(); }
    /// Module reset / power off: a connect failure not yet reported is dropped.
    void reset();
    /// connect() calls since construction.
    std::uint64_t connects() const { return connects_; }

private:
    Scheduler& scheduler_;
    hal::Log& log_;
    hal::MqttListener* listener_ = nullptr;
    Scheduler::TaskId pending_ = 0;
    std::uint64_t connects_ = 0;
};

} // namespace dtu::hal_sim
