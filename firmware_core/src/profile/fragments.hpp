#pragma once
// Command-table fragments grouped by feature; a profile is assembled from them. A g771_* fragment
// holds the G771's own rows (G771 §4 table 11); a cellular_* fragment is shared by several
// profiles and takes every device value as a parameter.
#include <cstddef>
#include <string_view>
#include <vector>

#include "dtu/at/command_spec.hpp"

namespace dtu::profile::fragments {

using Table = std::vector<at::CommandSpec>;

/// The values that differ between the cellular units sharing g771_general; defaults: the G771's.
struct GeneralValues {
    std::string_view modes = "NET|HTTPD|SMS|MQTT"; ///< AT+WKMOD's first field
    std::string_view wkmod_test_form = {};         ///< the "=?" answer where the manual prints one
    std::string_view wkmod_source = "G771 §2.2-§2.5, §1.6; GM5 §2.1";
    std::string_view start_message = "USR-G771 V1.3.25"; ///< AT+STMSG factory (spec GAP-39)
};

/// The values that differ between the units sharing cellular_mqtt (spec mqtt.md §10); defaults:
/// the G771's column.
struct MqttValues {
    std::size_t topic_entries = 4;
    std::string_view server = "cloudmqtt.usr.cn,1883";
    std::string_view username = "admin";
    std::string_view password = "admin";
    std::string_view client_id = "123456"; ///< "{SN}": the device's serial number (params::Facts)
    std::string_view version = "4";
    std::string_view keepalive_clean = "60,1";
    std::string_view will = "1,/will,0,1,offline";
    std::string_view region = "cn-shanghai";
    bool ssl_version = true;       ///< the unit has AT+SSLVER (G771 §4; not in the GM5 table)
    bool ssl_answer_space = false; ///< "+SSLEN: OFF" (GM5 §2.18, §2.20, §2.21 as printed)
    /// AT+SSLCRT content must be PEM-framed (GAP-24); false: any 1~2900 bytes, as GM5 §2.19's own
    /// example "AT+SSLCRT=0,ABCD" -> OK.
    bool sslcrt_pem_only = true;
    std::string_view sslcrt_test_name = {}; ///< the name the "=?" answer shows ("" = SSLCRT)
};

void g771_general(Table& t, const GeneralValues& v = {}); ///< AT, Z, S, CLEAR, E, ENTM, WKMOD, ...
void g771_info(Table& t);          ///< VER, BUILD, SN, IMEI, ICCID, CIP, CNUM, LBS, LBSN, CCLK
void g771_security(Table& t);      ///< SAFEATEN, SIGNINAT
void g771_serial(Table& t);        ///< UART, UARTFL, UARTFT
void g771_sockets(Table& t);       ///< APN, SOCKx, SOCKxEN, SOCKxLK, backups, reconnect timers
void g771_reg_heartbeat(Table& t); ///< REGxx, CLOUD, HEARTxx
void g771_httpd(Table& t);         ///< HTPxx
void g771_sms(Table& t);           ///< DSTNUM, SMSFLT
void cellular_mqtt(Table& t, const MqttValues& v); ///< MQTTxx, SSLxx, ALIxx
void g771_ntp_sim(Table& t);                       ///< NTPxx, SIMSWITCH
void lte7s4_smsend(Table& t);                      ///< 7S4 SMSEND, CISMSSEND

} // namespace dtu::profile::fragments
