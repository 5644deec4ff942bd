#pragma once
// MQTT work mode, WKMOD=MQTT(,NOR|,ALI) (G771 §2.5, §2.6.8; spec mqtt.md §6): one session with the
// broker, reconnected after the profile's interval forever, the AT+RSTIM no-connection restart, and
// the data path (MqttBridge) while the session is up.
#include <functional>
#include <string>
#include <string_view>

#include "dtu/device/device.hpp"
#include "dtu/hal/hal.hpp"
#include "dtu/params/store.hpp"
#include "dtu/profile/profile.hpp"
#include "mode_hooks.hpp"
#include "mqtt_bridge.hpp"
#include "mqtt_settings.hpp"
#include "no_data_restart.hpp"
#include "timer.hpp"
#include "work_mode.hpp"

namespace dtu::device {

class MqttMode final : public WorkMode, public hal::MqttListener {
public:
    using Hooks = ModeHooks;

    MqttMode(const profile::Profile& profile, hal::Hal hal, const params::Store& saved, Hooks hooks);
    ~MqttMode() override;
    MqttMode(const MqttMode&) = delete;
    MqttMode& operator=(const MqttMode&) = delete;

    // WorkMode
    /// Connect (or say why not) and start the no-connection countdown.
    void start() override;
    /// A serial frame; false when it was discarded because there is no session (spec §6).
    bool on_frame(std::string_view frame) override;
    void report(Status& status) const override { status.mqtt = status_; }
    /// AT+MQTTSTA: "CONNECTION".
    void report(LiveState& live) const override { live.mqtt_connected = connected(); }
    bool connected() const { return status_.state == MqttState::Connected; }

    // hal::MqttListener
    void on_mqtt_connected() override;
    void on_mqtt_connect_failed(hal::MqttError why, int connack_code) override;
    void on_mqtt_closed(hal::MqttError why) override;
    void on_mqtt_message(std::string_view topic, std::string_view payload) override;

private:
    void connect();
    void wait_and_reconnect(const std::string& why);
    void log(hal::LogLevel level, const std::string& line) const { hooks_.log(level, line); }

    hal::Hal hal_;
    const profile::MqttRules& limits_;
    Hooks hooks_;
    MqttSettings settings_;
    MqttStatus status_;
    MqttBridge bridge_;
    Timer reconnect_;
    NoDataRestart no_connection_; ///< G771 §2.6.8: "MQTT 无连接" for RSTIM seconds -> restart
};

} // namespace dtu::device
