#pragma once
// A dtu-sim in HTTPD client mode for the HTTPD integration tests: started with a control API,
// configured over its PTY (AT+WKMOD=HTTPD, AT+HTPSV=127.0.0.1,<port>, ...), saved and restarted.
#include <chrono>
#include <initializer_list>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <gtest/gtest.h>
#include <httplib.h>

#include <QJsonObject>

#include "at_session.hpp"
#include "control_client.hpp"
#include "net_peer.hpp"
#include "serial_client.hpp"
#include "sim_process.hpp"

namespace dtu::itest {

using namespace std::chrono_literals;

class HttpdDevice {
public:
    /// HTTPD mode aimed at 127.0.0.1:server_port, plus the given commands (applied after).
    HttpdDevice(std::uint16_t server_port, std::initializer_list<std::string> commands)
        : sim({"--control", "127.0.0.1:0"}) {
        EXPECT_TRUE(sim.start());
        port = std::make_unique<SerialClient>(sim.serial());
        EXPECT_EQ(port->read_until(kStartMessage, 3s), kStartMessage);
        std::vector<std::string> all = {"AT+WKMOD=HTTPD",
                                        "AT+HTPSV=127.0.0.1," + std::to_string(server_port)};
        all.insert(all.end(), commands);
        configure_and_restart(*port, all);
    }
    /// A serial frame: written after a quiet packing interval.
    void frame(std::string_view bytes) {
        EXPECT_TRUE(port->expect_silence(60ms)) << port->buffered();
        port->write(bytes);
    }
    /// The whole status object from the control API.
    QJsonObject status() const { return Control(sim.control()).get("/api/v1/status").json; }
    /// The "httpd" object of the status.
    QJsonObject httpd() const { return status().value("httpd").toObject(); }
    /// One counter of "httpd" (-1 when absent).
    qint64 httpd_count(const char* key) const { return httpd().value(key).toInteger(-1); }
    /// PUT /api/v1/link; true on 200.
    bool put_link(const std::string& json) const {
        httplib::Client api(sim.control());
        const auto r = api.Put("/api/v1/link", json, "application/json");
        return r && r->status == 200;
    }

    SimProcess sim;
    std::unique_ptr<SerialClient> port;
};

/// A serial frame becomes a request at server: the device connects and the request head arrives.
/// False if no connection came within 5 s.
inline bool request_arrives(HttpdDevice& dut, TcpServer& server, std::string_view frame) {
    dut.frame(frame);
    if (!server.accept(5s)) return false;
    server.read_until("\r\n\r\n", 3s);
    return true;
}

/// 732 §2.1.2's example headers, in the AT escape form.
inline const std::string kManualHeaders =
    "AT+HTPHD=\"Accept:text/html[0D][0A]Accept-Language:zh-CN[0D][0A]\"";

} // namespace dtu::itest
