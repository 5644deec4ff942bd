#include "mqtt_settings.hpp"

#include "dtu/mqtt/aliyun.hpp"
#include "dtu/mqtt/topic_filter.hpp"

namespace dtu::device {
namespace {

void read_will(const params::Store& s, MqttSettings& m) {
    // GM5 §2.5: AT+MQTTWILL=<willen>,<topic>,<qos>,<retained>,<msg>
    m.will_topic = std::string(s.text("MQTTWILL", 1));
    m.will_qos = static_cast<std::uint8_t>(s.number("MQTTWILL", 2, 0));
    m.will_retain = s.text("MQTTWILL", 3) == "1";
    m.will_message = std::string(s.text("MQTTWILL", 4));
    m.will = s.text("MQTTWILL", 0) == "1";
    if (m.will && !mqtt::valid_topic_name(m.will_topic)) {
        // A broker closes the connection on a will topic with wildcards (MQTT 3.1.1 §3.1.3.2).
        m.will = false;
        m.warnings.push_back("will topic '" + m.will_topic + "' is not a valid topic name: no will");
    }
}

void read_generic(const params::Store& s, MqttSettings& m) {
    m.host = std::string(s.text("MQTTSVR", 0));
    m.port = static_cast<std::uint16_t>(s.number("MQTTSVR", 1, 1883));
    m.client_id = std::string(s.text("MQTTCID"));
    m.username = std::string(s.text("MQTTUSER"));
    m.password = std::string(s.text("MQTTPSW"));
}

void read_aliyun(const params::Store& s, hal::Crypto& crypto, MqttSettings& m) {
    mqtt::AliyunDevice d{s.text("ALIREGION"), s.text("ALIPRODKEY"), s.text("ALIDEVNAME"), s.text("ALIDEVSEC"),
                         s.text("ALIDEVID")};
    // Spec mqtt.md §9: in MQTT,ALI mode SSLEN=ON means X.509 mutual authentication (G771 §2.5.2
    // table 6: "勾选后默认使用 X.509 证书双向认证方式").
    if (m.tls.enabled) m.tls.auth = hal::TlsAuth::Mutual;
    mqtt::AliyunLogin login = mqtt::aliyun_login(d, m.tls.enabled, crypto);
    if (!login.ok()) {
        m.error = "MQTT,ALI: " + login.error + ": not connecting";
        return;
    }
    m.host = std::move(login.host);
    m.port = login.port;
    m.client_id = std::move(login.client_id);
    m.username = std::move(login.username);
    m.password = std::move(login.password);
    // G771 §2.5.1 table 5: Aliyun requires a keep-alive of 30..1200 s.
    if (m.keepalive_s < 30 || m.keepalive_s > 1200)
        m.warnings.push_back("Aliyun accepts a keep-alive of 30-1200 s only (AT+MQTTCFG)");
}

} // namespace

MqttSettings MqttSettings::from(const params::Store& s, hal::Crypto& crypto) {
    MqttSettings m;
    m.aliyun = s.is("WKMOD", 1, "ALI");
    m.protocol_level = s.text("MQTTVER") == "3" ? 3 : 4;
    m.keepalive_s = static_cast<std::uint16_t>(s.number("MQTTCFG", 0, 60));
    m.clean_session = s.text("MQTTCFG", 1) == "1";
    m.tls = TlsSettings::from(s);
    read_will(s, m);
    if (m.aliyun)
        read_aliyun(s, crypto, m);
    else
        read_generic(s, m);
    return m;
}

hal::MqttConnect MqttSettings::connect_params(hal::MqttWill& will_out, hal::TlsParams& tls_out) const {
    hal::MqttConnect c;
    c.host = host;
    c.port = port;
    c.client_id = client_id;
    c.username = username; // the service sets the user name / password flags only when non-empty
    c.password = password;
    c.protocol_level = protocol_level;
    c.keepalive_s = keepalive_s;
    c.clean_session = clean_session;
    if (will) {
        will_out = hal::MqttWill{will_topic, will_message, will_qos, will_retain};
        c.will = &will_out;
    }
    c.tls = tls.for_connect(tls_out);
    return c;
}

} // namespace dtu::device
