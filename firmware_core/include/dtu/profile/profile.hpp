#pragma once
// A device profile: everything that differs between device models, as data. Numbers and rules are
// named and grouped by the feature that uses them; the device code reads them from here and holds
// no per-model value of its own.
#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

#include "dtu/at/command_spec.hpp"
#include "dtu/sms/codec.hpp"

namespace dtu::profile {

/// How a model frames its answers (at-syntax.md §4).
struct AnswerStyle {
    std::string_view ok;             ///< set/execute success, e.g. "\r\nOK\r\n"
    std::string_view entm_reply;     ///< AT+ENTM answer (modes-and-timing §3, GAP-13)
    std::string_view plus_a;         ///< what the module sends after "+++"
    std::string_view plus_ok;        ///< what the module sends after the host's 'a'
    std::string_view login_required; ///< G771 §2.6.3 "please log in at command first" line
    bool query_ok = true;            ///< a query answer ends with `ok` (7S4 prints none: GAP-14)
    /// Characters a query answer writes as [HH] besides the control bytes (7S4 §3.1.6.4: ",=?").
    std::string_view escaped_in_answers = {};
    /// The answer to the bare AT (7S4 §3.1.7.1 prints "{CR}{LF}OK{CR}{LF}{CR}{LF}"); "" = ok.
    std::string_view test_reply = {};
    /// What stands before a query answer's value; "" = "+NAME:" (K7 §5.3.5: "+OK=<value>").
    std::string_view query_prefix = {};
    /// What ends a query answer when query_ok is false (7S4: the blank line; K7: nothing).
    std::string_view query_tail = "\r\n";
    /// The AT+CFGTF answer; "" = ok (K7 §5.3.5 #44: "+OK=saved").
    std::string_view user_defaults_saved = {};
};

/// Error lines by cause (at-syntax.md §5): prefix + code + suffix.
struct ErrorStyle {
    std::string_view prefix;     ///< e.g. "\r\n+CME ERROR:"
    std::string_view suffix;     ///< e.g. "\r\n"
    std::string_view not_at;     ///< the line does not start with AT
    std::string_view unknown;    ///< AT+ followed by a command the model does not have
    std::string_view bad_op;     ///< an operation the command does not allow (query on an action...)
    std::string_view parameter;  ///< bad, missing or out-of-range parameter; or not possible now
    std::string_view login = {}; ///< wrong security-login password (G771 §2.6.3); "" = no login
};

/// Serial port and command mode.
struct SerialRules {
    std::size_t line_max;               ///< longest command line accepted (bytes, without terminator)
    std::uint32_t plus_window_ms;       ///< T5: the host must answer 'a' within this
    std::uint32_t login_timeout_ms = 0; ///< security login window (G771 §2.6.3); 0 = no login
    /// "+++" needs this much quiet before it (T1); 0 = the packing interval (UARTFT).
    std::uint32_t plus_guard_ms = 0;
    /// The three '+' may be at most this far apart (T2, T3: 732 §3.1.2 "< 50ms"); 0 = any gap
    /// inside one frame.
    std::uint32_t plus_gap_ms = 0;
    /// Serial packing time when the model has no AT+UARTFT (732 §2.2.2: fixed 200 ms); 0 = UARTFT.
    std::uint32_t fixed_packing_ms = 0;
    std::uint32_t default_packing_ms = 50;    ///< UARTFT when nothing valid is stored
    std::size_t default_packing_bytes = 1024; ///< UARTFL when nothing valid is stored
    /// Serial/network/SMS AT prefix = CMDPW followed by this (732 §3.1.3: "usr.cn" + "#").
    std::string_view at_separator = {};
    /// Field positions in the AT+UART row (732/G771: baud,parity,data,stop,flow; 7S4:
    /// baud,data,stop,parity,flow).
    struct UartFields {
        std::uint8_t baud = 0, parity = 1, data = 2, stop = 3, flow = 4;
    } uart_fields{};

    /// The packing interval of a factory-fresh unit (nothing stored): what a host waits after "+++"
    /// for the module's answer.
    std::uint32_t factory_packing_ms() const {
        return fixed_packing_ms != 0 ? fixed_packing_ms : default_packing_ms;
    }
    /// T1 of a factory-fresh unit: the quiet "+++" needs before it.
    std::uint32_t factory_plus_guard_ms() const {
        return plus_guard_ms != 0 ? plus_guard_ms : factory_packing_ms();
    }
    /// A ',' always separates parameters, so one in the last parameter makes one too many
    /// (7S4 §3.1.6.4: "参数中不可直接包含…逗号", write [2C]); false: the last parameter keeps it.
    bool strict_fields = false;
    /// The ON/OFF parameter that enables serial AT in transparent mode; "" = always on (7S4 §3.1.3).
    std::string_view serial_at_key = "UATEN";
    /// Where the packing time and length are stored: "" = the UARTFT and UARTFL rows; else one row
    /// with time (ms) and length fields (K7 §4.3.3 AT+UARTTL=<time,length>).
    struct PackingRow {
        std::string_view key = {};
        std::uint8_t time = 0, length = 1;
        /// Time 0 = the time of this many characters at the line's baud rate (K7 §4.3.3 "4 bytes
        /// time"); 0 = a stored 0 is used as it is.
        std::uint8_t char_time_bytes = 0;
    } packing{};
};

/// The parameters NET mode reads, by name: '#' stands for the socket's letter; "" = the model has no
/// such parameter and the fixed rule in the comment applies. Defaults: the G771's names.
struct NetKeys {
    std::string_view short_connection = "SOCKASL"; ///< SHORT / LONG
    std::string_view short_idle = "SHORTATM";      ///< s without data that close a short connection
    std::string_view retry = "SOCKRSTIM";          ///< s from a failure or a drop to the next attempt
    std::string_view max_failures = "SOCKRSNUM";   ///< failures in a row that restart; "" = never
    /// s a long connection may stay down before the module restarts (732 SOCKRSTIM, §3.1.7.41)
    std::string_view down_restart = {};
    /// s a short connection may fail to connect before the module restarts (732 SHORTIM)
    std::string_view short_down_restart = {};
    std::string_view cache = "CACHEN";   ///< cache while disconnected; "" = always on
    std::string_view backup = "SOCK#BK"; ///< backup server (G771 §2.2.3); "" = none
    std::string_view backup_enabled = "SOCK#BKEN";
    std::string_view network_at = "NATEN";            ///< network AT enable; "" = always on
    std::string_view heartbeat_direction = "HEARTTP"; ///< NET / COM (7S4: HEARTSND)
    std::string_view heartbeat_content = "HEARTSORT"; ///< content; "" = always the HEARTDT bytes
};

/// What a registration (REGTP) or heartbeat (HEARTSORT) content token sends.
enum class PacketContent : std::uint8_t {
    None,   ///< nothing (CLOUD, UDC outside UDC mode: not documented, GAP-07/GAP-08)
    Iccid,  ///< the SIM's ICCID digits
    Imei,   ///< the IMEI digits
    Sn,     ///< the serial number
    Custom, ///< the row's own hex data (REGDT / HEARTDT)
    RegId,  ///< AT+REGID as decimal text (732 §3.1.7.49, GAP-30)
    Cell,   ///< "LAC,CID" (G771 HEARTSORT=LBS, GAP-33)
};

/// One content token as the model spells it.
struct ContentToken {
    std::string_view token;
    PacketContent content;
};

/// NET mode (sockets, cache, heartbeat). The keys name the stored parameters NET mode reads, so a
/// model's own parameter names (732 SOCKxSL, SHORTIM, SOCKRSTIM's meaning) are data; '#' in a key
/// stands for the socket letter, "" means the model has no such parameter.
struct NetRules {
    std::size_t sockets = 4;        ///< sockets A.. (AT+SOCKx)
    std::size_t cache_bytes = 4096; ///< serial data kept per socket while its link is down
    /// A heartbeat is only sent after HEARTTM without data in either direction (732 §2.3.2);
    /// false: without data sent (G771 §2.2.2).
    bool heartbeat_quiet_on_data = false;
    NetKeys keys{};
    /// Sockets that may use a short connection (G771: "A").
    std::string_view short_sockets = "A";
    /// No SOCK#EN row: a client socket is in use when its protocol is a client one (TCPC/UDPC) and
    /// it names an address and port (K7 §4.2; spec k7 §4 GAP-18: 0.0.0.0/0 = unused).
    bool enabled_by_address = false;
    std::uint32_t short_idle_s = 10; ///< short idle time where keys.short_idle is ""
    std::uint32_t retry_ms = 5000;   ///< reconnect interval where keys.retry is ""
    /// REGTP and HEARTSORT tokens; an unknown token sends nothing.
    std::vector<ContentToken> contents = {{"ICCID", PacketContent::Iccid}, {"IMEI", PacketContent::Imei},
                                          {"SN", PacketContent::Sn},       {"USER", PacketContent::Custom},
                                          {"LBS", PacketContent::Cell},    {"CLOUD", PacketContent::None}};
    /// The ON/OFF row that marks server data on the serial port with its socket (732 AT+SOCKIDEN
    /// §3.1.7.43, 7S4 AT+SOCKIND §3.1.7.49; format in dtu/proto/socket_id.hpp); "" = the model has none.
    std::string_view socket_id_param = {};
    /// TCP server mode: clients at once; one more closes the oldest (K7 §2.3 "default 4", §4.2.2).
    std::size_t server_clients = 4;
};

/// HTTPD client mode: the parameters it reads, by name, and its request limit.
struct HttpdRules {
    std::string_view timeout = "HTPTIM"; ///< s for the connect and the response
    std::string_view filter = "HTPPK";   ///< ON: only the response body goes to the serial port
    /// Longest request in bytes (7S4 §2.1.2: 1000, the frame's tail is left out); 0 = no limit.
    std::size_t request_max = 0;
};

/// How settings reach the flash (modes-and-timing §6.2, GAP-15).
struct Persistence {
    /// true: sets edit a working copy that AT+S commits; false: every successful set is committed
    /// at once and takes effect at the next start (7S4 has no AT+S).
    bool save_command = true;
};

/// The kinds of work mode the firmware implements; a profile's mode table names its own.
enum class ModeKind : std::uint8_t {
    Net,       ///< network transparent (G771 §2.2)
    Httpd,     ///< HTTP client (G771 §2.3)
    Sms,       ///< SMS transparent (G771 §2.4)
    Mqtt,      ///< MQTT client (G771 §2.5)
    Command,   ///< the serial port stays in AT command mode (732 §3.1.7.5 "CMD")
    Udc,       ///< NET with the UDC registration/heartbeat (732 §2.1.4)
    TcpServer, ///< socket A listens; serial frames to every client (K7 §4.2.2)
    UdpServer, ///< socket A bound to its port; answers the last sender (K7 §4.2.4)
};

/// Which stored parameter names the work mode (G771: WKMOD field 0; K7 §4.2: the protocol field of
/// SOCKA, "TCPS"/"TCPC"/"UDPS"/"UDPC"/"HTPC").
struct ModeSelector {
    std::string_view key = "WKMOD";
    std::size_t field = 0;
};

/// One AT+WKMOD value and the work mode it runs.
struct ModeRow {
    std::string_view wkmod; ///< first WKMOD field as stored, e.g. "NET"
    ModeKind kind;
    std::string_view source;
};

/// Which parts of the HAL bundle the model uses; a host leaves the others unconnected.
struct HalParts {
    bool modem = true;
    bool sms = true;
    bool mqtt = true;
    bool tls = true;
};

/// The services an Ethernet module offers on its LAN besides its sockets (K7 §5.1.2, §5.3.1,
/// §4.2.6, §5.2); a cellular model has none.
struct LanServices {
    bool discovery = false;      ///< K7 §5.1.2: the UDP 1901 search / configuration protocol
    bool network_at_udp = false; ///< K7 §5.3.1: network AT over UDP on the SEARCH port
    bool web_page = false;       ///< K7 §5.2: the configuration pages on WEBPORT (hal::WebServer)
    std::uint8_t websocket_clients = 0; ///< K7 §4.2.6, §2.2: websocket bridge on WEBSOCKPORT; 0 = none
};

/// SIM card switching (AT+SIMSWITCH, G771 §2.6.1 table 7); all 0 = the model has one SIM slot.
struct SimSwitchRules {
    std::uint32_t detect_ms = 0;  ///< mode 1: no external card -> internal card after this
    std::uint32_t online_ms = 0;  ///< mode 2: a card not online this long -> switch and restart
    std::uint32_t poll_ms = 1000; ///< how often the firmware looks at the data link state
};

/// The SIM card's PIN (732 AT+UCPIN §3.1.7.68).
struct SimPinRules {
    /// The row whose PIN the firmware gives a locked card at start ("" = the model enters none).
    std::string_view param = {};
    /// A start whose card stayed locked (no network) restarts after this; 0 = never (732: 5 min).
    std::uint32_t locked_restart_ms = 0;
};

/// MQTT mode (spec mqtt.md §3.8, §5.1); 0 topic entries = the model has no MQTT mode.
struct MqttRules {
    std::size_t topic_entries = 0;     ///< publish/subscribe table size
    std::uint32_t reconnect_ms = 5000; ///< wait after a failed connect or a lost session
    std::size_t payload_max = 4096;    ///< longest broker message payload put on the serial port
    std::size_t temporary_topics = 16; ///< temporary subscriptions at once (distribution mode)
};

/// How the model reads and sends SMS (spec sms.md §1.2, modes-and-timing.md §4.4).
struct SmsRules {
    bool multi_command = false; ///< "pw#AT+A;AT+B;" runs both (732 §3.1.5, firmware 3.0+)
    /// Country code a number may carry in front of DSTNUM for the SMSFLT filter ("" = none).
    std::string_view country_code = {};
    /// How a message the device sends (a serial frame, an SMS AT answer) goes out when it is longer
    /// than one SMS.
    sms::LongMessage long_messages = sms::LongMessage::Concatenated;
};

struct Profile {
    std::string_view name;    ///< CLI name, e.g. "g771"
    std::string_view model;   ///< e.g. "USR-G771"
    std::string_view version; ///< AT+VER
    std::string_view build;   ///< AT+BUILD
    AnswerStyle answers;
    ErrorStyle errors;
    SerialRules serial;
    NetRules net;
    HttpdRules httpd;
    Persistence persistence;
    std::vector<ModeRow> modes; ///< AT+WKMOD values; a stored value not here runs the first row
    ModeSelector mode_selector; ///< where the stored mode value is
    HalParts hal;
    LanServices lan;
    SimSwitchRules sim_switch;
    SimPinRules sim_pin;
    MqttRules mqtt;
    SmsRules sms;
    std::vector<at::CommandSpec> commands;
    /// Characters a command name may end in that address the model's only serial port and are
    /// ignored (K7 §5.3.5 #13: "N: the number of the port ... for single port socket, ignore the
    /// N"; spec k7 §3.1: "1"); "" = a name is taken as written.
    std::string_view port_suffix = {};

    /// The mode row for a stored WKMOD value (first field), or the first row.
    const ModeRow& mode(std::string_view wkmod) const;
};

/// The profile called name, or nullptr.
const Profile* find(std::string_view name);
/// Every profile name, in the order --help lists them.
std::vector<std::string_view> names();

} // namespace dtu::profile
