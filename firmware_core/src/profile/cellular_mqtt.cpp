// MQTT, SSL and Aliyun parameters (G771 §2.5, §2.6.2 with the WH-GM5 syntax, spec mqtt.md).
#include <string>
#include <string_view>

#include "fragments.hpp"
#include "rows.hpp"

namespace dtu::profile::fragments {
using namespace rows;

namespace {

CommandSpec topic_table(std::string_view name, std::size_t entries, std::vector<ParamSpec> fields,
                        std::string_view factory, std::string_view summary) {
    std::vector<ParamSpec> params{number("entry", 1, static_cast<std::int32_t>(entries))};
    params.insert(params.end(), fields.begin(), fields.end());
    return {name,
            {},
            kReadWrite,
            Behavior::Table,
            std::move(params),
            factory,
            "GM5 §2.3-§2.4; G771 §2.5.3",
            summary,
            nullptr};
}

/// PEM framing: "-----BEGIN <label>-----" and, after it, "-----END <label>-----" with the same label.
bool pem_framed(std::string_view text) {
    constexpr std::string_view kBegin = "-----BEGIN ", kEnd = "-----END ", kDashes = "-----";
    const std::size_t begin = text.find(kBegin);
    if (begin == std::string_view::npos) return false;
    const std::size_t label_at = begin + kBegin.size();
    const std::size_t label_end = text.find(kDashes, label_at);
    if (label_end == std::string_view::npos || label_end == label_at) return false;
    const std::string_view label = text.substr(label_at, label_end - label_at);
    if (label.find('\n') != std::string_view::npos) return false;
    std::string end_line(kEnd);
    end_line.append(label).append(kDashes);
    return text.find(end_line, label_end + kDashes.size()) != std::string_view::npos;
}

/// GAP-24: AT+SSLCRT content is PEM text (a certificate or a key), entered with [0D][0A] / [0A]
/// escapes. Content that is not PEM-framed is a parameter error and changes nothing; what only the
/// TLS stack can judge (base64, a key that does not match) shows at connect (TlsFailed, logged).
bool check_sslcrt(at::Values& v) { return pem_framed(v[1]); }

/// Spec mqtt.md §9: only field 1 (SNI) is settable; fields 2-4 are reserved and always OFF.
bool sslcfg_reserved_off(at::Values& v) { return v[1] == "OFF" && v[2] == "OFF" && v[3] == "OFF"; }

/// SSLEN, SSLCRT, SSLVER, SSLAUTH, SSLCFG (GM5 §2.18-§2.21; G771 §2.6.2).
void ssl_rows(Table& t, const MqttValues& v) {
    t.push_back(param("SSLEN", {on_off()}, "OFF", "GM5 §2.18; G771 §2.6.2", "SSL/TLS"));
    t.back().answer_space = v.ssl_answer_space;
    t.push_back({"SSLCRT",
                 {},
                 at::kSet | at::kTest,
                 Behavior::WriteOnly,
                 {choice("type", "0|1|2"), text("content", 1, 2900)},
                 "",
                 "GM5 §2.19; GAP-24",
                 "load CA cert (0), client cert (1), client key (2)",
                 v.sslcrt_pem_only ? check_sslcrt : nullptr,
                 "<0~2>,<1~2900 bytes>"});
    // GM5 §2.19's example prints the "=?" answer as "+HTTPSCRT:<0~2>,<1~2900 bytes>" (spec mqtt.md
    // §9 calls it a copy error; the example column is what the unit sent, so the GM5 says it).
    t.back().test_name = v.sslcrt_test_name;
    if (v.ssl_version)
        t.push_back(param("SSLVER", {choice("version", "SSL3.0|TLS1.0|TLS1.1|TLS1.2|ALL")}, "ALL",
                          "G771 §2.6.2; GAP-24", "SSL/TLS version"));
    t.push_back(param("SSLAUTH", {choice("mode", "NONE|PEER|ALL")}, "NONE", "GM5 §2.20; G771 §2.6.2",
                      "certificate verification"));
    t.back().answer_space = v.ssl_answer_space;
    t.push_back(param("SSLCFG", {on_off(), on_off(Omit::Keep), on_off(Omit::Keep), on_off(Omit::Keep)},
                      "OFF,OFF,OFF,OFF", "GM5 §2.21 (not in the G771 table; SNI)", "SNI and reserved flags",
                      sslcfg_reserved_off));
    t.back().test_form = "<ON,OFF>,<ON,OFF>,<ON,OFF>,<ON,OFF>";
    t.back().answer_space = v.ssl_answer_space;
}

} // namespace

void cellular_mqtt(Table& t, const MqttValues& v) {
    // The "=?" forms below are GM5 §2's (spec mqtt.md §3-§9, devices.md §4) where they differ from
    // what the parameters would generate: the manual groups optional fields, shows the port of
    // MQTTSVR and the reserved SSLCFG fields as plain fields, and the Aliyun texts as 1~N bytes.
    t.push_back(param("MQTTSVR", {text("server", 1, 128), number("port", 1, 65535, Omit::Keep)}, v.server,
                      "GM5 §2.8; G771 §2.5.1", "MQTT broker"));
    t.back().test_form = "<1~128 bytes>,<1~65535>";
    t.push_back(
        param("MQTTUSER", {text("username", 1, 128)}, v.username, "GM5 §2.10; G771 §2.5.1", "MQTT user"));
    t.push_back(
        param("MQTTPSW", {text("password", 1, 128)}, v.password, "GM5 §2.11; G771 §2.5.1", "MQTT password"));
    t.push_back(
        param("MQTTCID", {text("clientid", 1, 128)}, v.client_id, "GM5 §2.9; G771 §2.5.1", "MQTT client id"));
    t.push_back(param("MQTTVER", {choice("version", "3|4")}, v.version, "GM5 §2.7; G771 §2.5.1",
                      "3 = 3.1, 4 = 3.1.1"));
    t.push_back(param("MQTTMOD", {choice("mode", "0|1")}, "0", "GM5 §2.6", "0 transparent, 1 distribution"));
    t.push_back(param("MQTTCFG", {number("keepalive", 0, 65535), choice("cleansession", "0|1")},
                      v.keepalive_clean, "GM5 §2.2; G771 §2.5.1", "keepalive and clean session"));
    t.push_back(
        param("MQTTWILL",
              {choice("enable", "0|1"), text("topic", 1, 128, Omit::Keep), choice("qos", "0|1|2", Omit::Keep),
               choice("retain", "0|1", Omit::Keep), text("message", 1, 128, Omit::Keep)},
              v.will, "GM5 §2.5; G771 §2.5.1", "will message"));
    t.back().test_form = "<0,1>[,<1~128 bytes>,<0,1,2>,<0,1>,<1~128 bytes>]";
    // GM5 §2.4's own example "AT+MQTTSUBTP=1,1,TEST01" leaves the qos out: it keeps its value.
    t.push_back(
        topic_table("MQTTSUBTP", v.topic_entries,
                    {choice("enable", "0|1"), text("topic", 1, 128), choice("qos", "0|1|2", Omit::Keep)},
                    "1,/SubTopic%,0;0,/SubTopic%,0", "subscribe topics"));
    t.back().test_form = "<1~%>[,<0,1>,<1~128 bytes>,<0,1,2>]";
    // GAP-22: five or six fields; the sixth is stored and shown as it came.
    t.push_back(topic_table("MQTTPUBTP", v.topic_entries,
                            {choice("enable", "0|1"), text("topic", 1, 128), choice("qos", "0|1|2"),
                             choice("retain", "0|1"), choice("flag", "0|1", Omit::Factory)},
                            "1,/PubTopic%,0,0,0;0,/PubTopic%,0,0,0", "publish topics"));
    t.back().test_form = "<1~%>[,<0,1>,<1~128 bytes>,<0,1,2>,<0,1>][,<0,1>]";
    ssl_rows(t, v);
    t.push_back(
        param("ALIREGION", {text("region", 0, 32)}, v.region, "GM5 §2.13; G771 §2.5.2", "Aliyun region"));
    t.back().test_form = "<1~32 bytes>";
    t.push_back(param("ALIPRODKEY", {text("key", 0, 20)}, "", "GM5 §2.14", "Aliyun product key"));
    t.back().test_form = "<1~20 bytes>";
    t.push_back(param("ALIDEVNAME", {text("name", 0, 32)}, "", "GM5 §2.16", "Aliyun device name"));
    t.back().test_form = "<1~32 bytes>";
    t.push_back(param("ALIDEVSEC", {text("secret", 0, 64)}, "", "GM5 §2.15", "Aliyun device secret"));
    t.back().test_form = "<1~64 bytes>";
    t.push_back(param("ALIDEVID", {text("id", 0, 24)}, "", "GM5 §2.17", "Aliyun device id"));
    t.back().test_form = "<1~24 bytes>";
    t.push_back(
        action("MQTTSTA", kReadOnly | at::kTest, Behavior::MqttState, "GM5 §2.12", "MQTT connection state"));
    t.back().test_form = "<CONNECTION,DISCONNECTION>";
}

} // namespace dtu::profile::fragments
