#pragma once
// The firmware of one DTU: the object graph rooted here is everything the device is.
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "dtu/hal/hal.hpp"

namespace dtu::profile {
struct Profile;
}

namespace dtu::device {

/// Where the serial port's bytes go right now.
enum class SerialMode : std::uint8_t {
    Transparent, ///< work mode: bytes are data (packed into frames)
    WaitA,       ///< "+++" seen and 'a' sent; waiting for the host's 'a' (T5)
    Command,     ///< AT command mode
};

/// Counters a host can show; they restart from zero at every boot.
struct Counters {
    std::uint64_t uart_rx_bytes = 0;
    std::uint64_t uart_tx_bytes = 0;
    std::uint64_t at_commands = 0;    ///< complete command lines executed (any channel)
    std::uint64_t at_errors = 0;      ///< of those, answered with an error
    std::uint64_t line_overflows = 0; ///< command lines longer than the line buffer
    std::uint64_t data_frames = 0;    ///< serial frames handed to the work mode
    std::uint64_t data_bytes = 0;
    std::uint64_t data_bytes_dropped = 0; ///< frames the work mode could not take
    std::uint64_t uart_rx_dropped = 0;    ///< serial bytes that arrived while the device was restarting
    std::uint64_t flow_holds = 0; ///< times the UART receive was held: the network took data too slowly
};

/// State of one network socket (NET mode, sockets A..D).
enum class LinkState : std::uint8_t {
    Disabled,   ///< SOCKxEN=OFF, or not in NET mode
    Connecting, ///< connect in progress
    Connected,
    Waiting, ///< waiting to retry after a failure or a drop (SOCKRSTIM)
    Idle,    ///< short connection closed, opens again when there is data
};

struct SocketStatus {
    char name = 'A';
    bool enabled = false;
    std::string protocol; ///< "TCP" / "UDP"
    std::string host;     ///< the server in use (main or backup)
    std::uint16_t port = 0;
    bool on_backup = false;
    LinkState state = LinkState::Disabled;
    std::uint64_t tx_bytes = 0, rx_bytes = 0;
    std::uint64_t tx_packets = 0, rx_packets = 0;
    std::uint32_t connects = 0;            ///< successful connections since boot
    std::uint32_t reconnects = 0;          ///< connection attempts after the first
    std::uint64_t cached_bytes = 0;        ///< waiting for the link (AT+CACHEN)
    std::uint64_t cache_dropped_bytes = 0; ///< did not fit in the cache
};

/// SMS traffic since boot (whole messages unless the name says parts).
struct SmsCounters {
    std::uint64_t received = 0;      ///< messages received (concatenated ones once)
    std::uint64_t sent = 0;          ///< messages handed to the network
    std::uint64_t parts_sent = 0;    ///< SMS on the air for those
    std::uint64_t at_commands = 0;   ///< SMS AT messages executed (answered by SMS)
    std::uint64_t at_rejected = 0;   ///< looked like SMS AT but the password was wrong: no answer
    std::uint64_t to_serial = 0;     ///< delivered to the serial port (SMS transparent mode)
    std::uint64_t filtered = 0;      ///< SMS transparent mode, SMSFLT=ON, not from DSTNUM
    std::uint64_t ignored = 0;       ///< neither SMS AT nor SMS transparent mode
    std::uint64_t send_failed = 0;   ///< messages the network refused (not registered)
    std::uint64_t parts_dropped = 0; ///< incomplete concatenated messages given up
};

/// HTTPD client mode since boot (G771 §2.3; spec httpd.md). All zero in other work modes.
struct HttpdStatus {
    std::uint64_t requests = 0;        ///< requests sent to the server
    std::uint64_t responses = 0;       ///< complete responses (any status code)
    std::uint64_t timeouts = 0;        ///< no complete response within AT+HTPTIM
    std::uint64_t failures = 0;        ///< connect, DNS or TLS failure, or connection lost
    std::uint64_t malformed = 0;       ///< responses given up or with a defect (see the log)
    std::uint64_t bytes_to_serial = 0; ///< response bytes written to the serial port
    std::uint64_t discarded_bytes = 0; ///< response bytes not written: the port was in command mode
    std::uint64_t queued_frames = 0;   ///< frames waiting for their turn now
    std::uint64_t queue_dropped = 0;   ///< frames dropped: the queue was full
    std::uint64_t truncated_bytes = 0; ///< frame bytes left out: the request limit (7S4 §2.1.2)
    std::string last_error;            ///< the last failure, timeout or defect, in words
};

/// The MQTT session (WKMOD=MQTT, spec mqtt.md §6).
enum class MqttState : std::uint8_t {
    Off,          ///< not in MQTT mode
    Connecting,   ///< CONNECT sent, waiting for the broker
    Connected,    ///< session up (AT+MQTTSTA "CONNECTION")
    Waiting,      ///< waiting for the reconnect interval after a failure or a loss
    Unconfigured, ///< parameters missing (e.g. MQTT,ALI without AT+ALIPRODKEY): no connect; see last_error
};

/// MQTT mode since boot. Messages are MQTT PUBLISH packets, frames are serial frames.
struct MqttStatus {
    MqttState state = MqttState::Off;
    std::string host; ///< the broker (MQTTSVR, or derived for Aliyun)
    std::uint16_t port = 0;
    std::string client_id;
    std::uint32_t connects = 0;             ///< sessions established
    std::uint32_t connect_failures = 0;     ///< connects that did not end in a session
    std::uint32_t connection_losses = 0;    ///< established sessions that ended
    std::string last_error;                 ///< why the last connect failed or session ended ("" = none)
    std::uint32_t temporary_topics = 0;     ///< temporary subscriptions now (distribution mode)
    std::uint64_t published = 0;            ///< messages handed to the broker
    std::uint64_t publish_failed = 0;       ///< messages the MQTT service refused (too large, queue full)
    std::uint64_t frames_dropped = 0;       ///< serial frames discarded: no session, no enabled publish topic
    std::uint64_t bad_frames = 0;           ///< distribution-mode frames not understood (GAP-23)
    std::uint64_t received = 0;             ///< messages from the broker
    std::uint64_t to_serial = 0;            ///< of those, written to the serial port
    std::uint64_t oversize_dropped = 0;     ///< of those, payload over the profile's limit
    std::uint64_t unmatched_dropped = 0;    ///< of those, on no subscription of ours
    std::uint64_t command_mode_dropped = 0; ///< of those, arrived in AT command mode
};

/// The K7's network AT over UDP on the SEARCH port since boot (spec k7-ethernet §10).
struct NetworkAtStatus {
    bool listening = false;
    std::uint16_t port = 0;      ///< the SEARCH port served (AT+SEARCH of boot)
    bool in_session = false;     ///< a keyword opened a session that has not ended
    std::string peer;            ///< the session's source, "192.168.0.100:50000"; "" = none
    std::uint64_t datagrams = 0; ///< received on the port
    std::uint64_t sessions = 0;  ///< keyword datagrams answered (a session opened or renewed)
    std::uint64_t commands = 0;  ///< AT lines run in a session
    std::uint64_t ignored = 0;   ///< not the keyword and not from the session's source
    std::uint64_t expired = 0;   ///< sessions ended by 30 s without a command
};

/// RFC2217-like frames from servers since boot (AT+RFCEN; spec net-transparent §13).
struct Rfc2217Status {
    std::uint64_t applied = 0;       ///< frames that set the serial port
    std::uint64_t refused = 0;       ///< asked for what the model's AT+UART does not allow: consumed, ignored
    std::uint64_t bad_checksums = 0; ///< header and 8 bytes, wrong checksum: passed on as data
    std::uint64_t held_released = 0; ///< frame starts that never completed: passed on as data
    std::string last;                ///< the last applied setting, "baud,data,stop,parity"; "" = none
};

/// The K7's UDP 1901 search / configuration service since boot (spec k7-ethernet §11).
struct DiscoveryStatus {
    bool listening = false;
    std::uint64_t frames = 0;     ///< datagrams received
    std::uint64_t searches = 0;   ///< search frames answered
    std::uint64_t commands = 0;   ///< commands for this device with the right user name and password
    std::uint64_t refused = 0;    ///< wrong user name / password (answered 'P')
    std::uint64_t ignored = 0;    ///< another device's MAC, or not a frame at all
    std::uint64_t bad_frames = 0; ///< cut short, bad length or bad checksum (answered 'E')
    std::uint64_t rejected = 0;   ///< commands answered 'E': an invalid value, an unknown command
};

/// The K7's websocket serial bridge since boot (K7 §4.2.6; spec k7-ethernet §9).
struct WebSocketStatus {
    bool listening = false;
    std::uint16_t port = 0;        ///< WEBSOCKPORT in effect
    std::uint32_t clients = 0;     ///< open now
    std::uint64_t accepted = 0;    ///< clients taken
    std::uint64_t refused = 0;     ///< clients refused: all places taken (K7 §2.2)
    std::uint64_t closed = 0;      ///< open clients that went away
    std::uint64_t messages_in = 0; ///< client messages written to the serial port
    std::uint64_t bytes_in = 0;
    std::uint64_t messages_out = 0; ///< serial frames sent to a client (one per client)
    std::uint64_t bytes_out = 0;
    std::uint64_t send_dropped = 0; ///< frames a client's full queue did not take
};

/// The K7's web page since boot (K7 §5.2; spec k7-ethernet §12).
struct WebStatus {
    bool serving = false;
    std::uint16_t port = 0;           ///< WEBPORT in effect
    std::uint64_t requests = 0;       ///< requests the board handed over
    std::uint64_t login_failures = 0; ///< without credentials or with wrong ones (answered 401)
    std::uint64_t form_rejects = 0;   ///< forms refused (answered 400): nothing of them was written
    std::uint64_t forms_saved = 0;    ///< forms whose settings were all kept
};

struct Status {
    std::string profile;
    std::string work_mode; ///< as AT+WKMOD shows it, e.g. "NET"
    SerialMode serial_mode = SerialMode::Transparent;
    bool logged_in = false;
    std::uint64_t uptime_ms = 0;
    bool attached = false;             ///< cellular data bearer up
    bool clock_synced = false;         ///< an NTP update has set the wall clock since boot
    std::uint32_t ntp_syncs = 0;       ///< NTP updates of the wall clock since boot
    std::uint32_t ntp_failures = 0;    ///< NTP rounds in which no server answered
    std::uint32_t ntp_bad_replies = 0; ///< NTP replies rejected (length, mode, stratum, origin...)
    std::vector<SocketStatus> sockets;
    Counters counters;
    SmsCounters sms;
    HttpdStatus httpd;
    NetworkAtStatus network_at; ///< all zero on a model without the service
    MqttStatus mqtt;
    Rfc2217Status rfc2217;
    DiscoveryStatus discovery; ///< all zero on a model without the service
    WebSocketStatus websocket; ///< all zero on a model without the bridge
    WebStatus web;             ///< all zero on a model without the web page
};

class DeviceImpl;

/// One virtual DTU. Single-threaded: every call and every HAL callback runs on one executor.
class Device {
public:
    Device(const profile::Profile& profile, hal::Hal hal);
    ~Device();
    Device(const Device&) = delete;
    Device& operator=(const Device&) = delete;

    /// Power-on: load parameters from NVRAM, print the start message, enter the work mode.
    void boot();
    /// Bytes received on the serial port, in arrival order.
    void on_uart_rx(std::string_view bytes);
    /// Snapshot for status displays.
    Status status() const;

private:
    std::unique_ptr<DeviceImpl> impl_;
};

} // namespace dtu::device
