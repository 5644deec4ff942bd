#pragma once
// One row of a device's AT command table, and the descriptors of its parameters.
// The AT engine generates parsing, validation, query and "=?" answers from these rows.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace dtu::at {

/// Request forms (at-syntax.md §1.1).
enum Op : std::uint8_t {
    kExec = 1,  ///< AT+X
    kQuery = 2, ///< AT+X?
    kTest = 4,  ///< AT+X=?
    kSet = 8,   ///< AT+X=...
};

/// How one parameter is written and checked.
enum class Kind : std::uint8_t {
    Enum,  ///< one of choices ("ON|OFF"), case-insensitive, stored in the canonical spelling
    Int,   ///< decimal integer in [min, max]
    Text,  ///< free text, [HH] escapes decoded, min..max bytes after decoding
    Hex,   ///< hex digits, even count, min..max characters (GAP-30, GAP-31)
    Phone, ///< digits with an optional leading '+', min..max characters
};

/// What happens when a trailing optional parameter is left out of a set.
enum class Omit : std::uint8_t {
    Required, ///< leaving it out is a parameter error
    Keep,     ///< the stored value stays (MQTTSVR port)
    Factory,  ///< the factory value is used (APN user/password)
    Empty,    ///< the value becomes empty, and an empty trailing value is not shown (NTPSVR)
};

struct ParamSpec {
    std::string_view name;
    Kind kind = Kind::Text;
    std::string_view choices; ///< Enum: "A|B|C"
    std::int32_t min = 0;
    std::int32_t max = 0;
    Omit omit = Omit::Required;
    bool zero_ok = false; ///< Int: 0 is allowed even below min (0 = "off", e.g. RSTIM)
    bool quoted = false;  ///< a query answer shows the value in double quotes (732 §3.1.7.9)
    /// Enum: a query answer shows the value in lower case ("on", "long", "link": 732 §3.1.7.3); it is
    /// stored in the canonical spelling of choices all the same.
    bool lower = false;
};

/// What a row does beyond storing parameters; the device implements each behaviour once.
enum class Behavior : std::uint8_t {
    Stored,           ///< parameter(s) kept in the working copy, saved by AT+S
    Table,            ///< indexed entries (first parameter = entry number 1..profile topic_entries)
    WriteOnly,        ///< stored, never shown (certificates)
    Echo,             ///< Stored, and takes effect at once (AT+E)
    Login,            ///< security login / login password change (G771 §2.6.3)
    Test,             ///< AT
    Restart,          ///< AT+Z
    Reboot,           ///< AT+REBOOT: full reboot, like a power cycle (7S4 §3.1.7.4)
    Save,             ///< AT+S
    FactoryReset,     ///< AT+CLEAR
    SaveUserDefaults, ///< AT+CFGTF: current parameters become the user defaults (modes-and-timing §6.3)
    LoadUserDefaults, ///< AT+RELD: the user defaults become the saved set, then restart
    ExitCommand,      ///< AT+ENTM
    Version,          ///< AT+VER
    Build,            ///< AT+BUILD
    Sn,
    Imei,
    Iccid,
    Signal,          ///< AT+CSQ
    SignalByNetwork, ///< AT+CSQ "rssi,null,ber", rssi on the scale of the network (7S4 §3.1.7.11)
    SysInfo,         ///< AT+SYSINFO
    LocalIp,         ///< AT+CIP
    PhoneNumber,     ///< AT+CNUM
    Cell,            ///< AT+LBS
    Neighbours,      ///< AT+LBSN
    Clock,           ///< AT+CCLK
    LinkState,       ///< AT+SOCKxLK
    MqttState,       ///< AT+MQTTSTA
    Help,            ///< AT+H: one line per command (732 §3.1.7.1, 7S4 §3.1.7.2)
    SocketAddresses, ///< AT+CIP of the 732: "+CIP:" then a SOCKx:IP line per connected socket
    Ping,            ///< AT+PING="host": the data link is up and the host is a valid name (732 §3.1.7.45)
    FirmwareUpdate,  ///< AT+UPDATE=<key>: checked and answered, nothing changes (7S4 §2.3.9.1)
    SendSms,         ///< AT+SMSEND / AT+CISMSSEND: one SMS; number,type,data (732) or number,data (7S4)
};

using Values = std::vector<std::string>;

/// Optional cross-field rule of a row: may normalise values; returns false on a parameter error.
using CrossCheck = bool (*)(Values& values);

struct CommandSpec {
    std::string_view name;     ///< "SOCK#EN": '#' stands for one letter of variants
    std::string_view variants; ///< "ABCD", or empty for a plain name
    std::uint8_t ops = 0;      ///< allowed Op bits
    Behavior behavior = Behavior::Stored;
    std::vector<ParamSpec> params;
    std::string_view factory; ///< comma-separated values; "v1;v2;..." gives one per variant
    std::string_view source;  ///< manual section the behaviour comes from
    std::string_view summary; ///< one line for help and docs
    CrossCheck check = nullptr;
    /// The "=?" answer after "+CMD:" where the manual prints one (GM5 §2); empty = generated from
    /// params (GAP-47). In a Table row '%' stands for the number of entries.
    std::string_view test_form = {};
    /// The name the "=?" answer shows where the manual prints another one (GM5 §2.19: AT+SSLCRT=?
    /// answers "+HTTPSCRT:..."); empty = the row's own name.
    std::string_view test_name = {};
    bool answer_space = false; ///< the answer line is "+CMD: value" (732 §3.1.7.9 "+CMDPW: ...")
    /// Between the values of a query answer (732 §3.1.7.24: `+APN: "code", "name", "pass"`).
    std::string_view answer_separator = ",";
    /// Another row this one reads and writes (its own name in the answer): the whole row with
    /// alias_field -1 (7S4 HEARTTP = HEARTSND), else only that field (7S4 CLOUDID = CLOUD field 0,
    /// checked by this row's one parameter).
    std::string_view alias_of = {};
    int alias_field = -1;
};

/// The concrete name of variant i of a row ("SOCK#EN", 1 -> "SOCKBEN").
std::string concrete_name(const CommandSpec& spec, std::size_t variant);
/// Index of the variant that name is, or -1 when name is not this row.
int match_name(const CommandSpec& spec, std::string_view upper_name);
/// Factory value text of variant i.
std::string_view factory_text(const CommandSpec& spec, std::size_t variant);

} // namespace dtu::at
