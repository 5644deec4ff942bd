#pragma once
// Helpers for the MQTT mode unit tests: a G771 in MQTT mode on the fake broker.
#include <initializer_list>
#include <string>

#include "dut.hpp"

namespace dtu::test {

inline FakeMqtt& broker(Dut& dut) { return dut.bench.mqtt; }
inline device::MqttStatus mqtt_status(Dut& dut) { return dut.bench.device->status().mqtt; }

/// AT+WKMOD=<mode> plus `commands`, AT+S, restart: the device has sent CONNECT (if it can).
inline void configure_mqtt(Dut& dut, std::initializer_list<std::string> commands,
                           const std::string& wkmod = "AT+WKMOD=MQTT") {
    dut.enter_command();
    EXPECT_EQ(dut.cmd(wkmod), ok());
    for (const auto& c : commands)
        EXPECT_EQ(dut.cmd(c), ok()) << c;
    EXPECT_EQ(dut.cmd("AT+S"), ok());
    dut.reboot();
}

/// configure_mqtt, then the broker accepts the session; output so far is discarded.
inline void connected_mqtt(Dut& dut, std::initializer_list<std::string> commands) {
    configure_mqtt(dut, commands);
    broker(dut).accept();
    dut.out();
}

/// True if the log has a line at `level` containing `text`.
inline bool logged(Dut& dut, hal::LogLevel level, std::string_view text) {
    for (const auto& [l, line] : dut.bench.log.lines)
        if (l == level && line.find(text) != std::string::npos) return true;
    return false;
}

} // namespace dtu::test
