#include "sim/board_metrics.hpp"

#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <map>
#include <utility>

#include <prometheus/text_serializer.h>

namespace dtu::sim {
namespace {

using prometheus::ClientMetric;
using prometheus::MetricFamily;
using prometheus::MetricType;
using Labels = std::vector<ClientMetric::Label>;

/// One family under construction in out: add(labels, value) per sample. It holds an index, not a
/// reference, so several may be built at once while out grows.
class Family {
public:
    Family(std::vector<MetricFamily>& out, std::string name, std::string help, MetricType type)
        : out_(out), index_(out.size()) {
        MetricFamily& f = out.emplace_back();
        f.name = std::move(name);
        f.help = std::move(help);
        f.type = type;
    }
    Family& add(Labels labels, double value) {
        MetricFamily& f = out_[index_];
        ClientMetric m;
        m.label = std::move(labels);
        (f.type == MetricType::Counter ? m.counter.value : m.gauge.value) = value;
        f.metric.push_back(std::move(m));
        return *this;
    }
    Family& add(double value) { return add({}, value); }

private:
    std::vector<MetricFamily>& out_;
    std::size_t index_;
};

double d(std::uint64_t v) { return static_cast<double>(v); }

/// The firmware's sockets by state, and their totals; empty while the power is off.
void socket_families(std::vector<MetricFamily>& out, const BoardSnapshot& board) {
    std::map<std::string, int> by_state;
    std::uint64_t tx = 0, rx = 0, tx_packets = 0, rx_packets = 0, connects = 0, reconnects = 0;
    if (board.firmware)
        for (const device::SocketStatus& s : board.firmware->sockets) {
            ++by_state[link_state_name(s.state)];
            tx += s.tx_bytes;
            rx += s.rx_bytes;
            tx_packets += s.tx_packets;
            rx_packets += s.rx_packets;
            connects += s.connects;
            reconnects += s.reconnects;
        }
    Family sockets(out, "dtu_sockets", "The device's sockets (A, B, ...) by link state.", MetricType::Gauge);
    for (const char* state : {"disabled", "connecting", "connected", "waiting", "idle"})
        sockets.add({{"state", state}}, by_state[state]);
    Family(out, "dtu_socket_bytes_total", "Payload bytes of the device's sockets, up to the server and down.",
           MetricType::Counter)
        .add({{"direction", "up"}}, d(tx))
        .add({{"direction", "down"}}, d(rx));
    Family(out, "dtu_socket_frames_total", "Frames (packets) of the device's sockets, up and down.",
           MetricType::Counter)
        .add({{"direction", "up"}}, d(tx_packets))
        .add({{"direction", "down"}}, d(rx_packets));
    Family(out, "dtu_socket_connects_total", "Connections the device's sockets made.", MetricType::Counter)
        .add(d(connects));
    Family(out, "dtu_socket_reconnects_total", "Connection attempts after a socket's first.",
           MetricType::Counter)
        .add(d(reconnects));
}

/// What the cellular link (the impairment stage) carried each way.
void link_families(std::vector<MetricFamily>& out, const BoardSnapshot& board) {
    const std::pair<const char*, const hal_sim::DirectionCounters*> ways[] = {
        {"up", &board.link_upstream}, {"down", &board.link_downstream}};
    Family packets(out, "dtu_link_packets_total", "Packets offered to the cellular link.",
                   MetricType::Counter);
    Family bytes(out, "dtu_link_bytes_total", "Payload bytes offered to the cellular link.",
                 MetricType::Counter);
    Family dropped(out, "dtu_link_dropped_packets_total", "Datagrams the link's loss model dropped.",
                   MetricType::Counter);
    Family overflow(out, "dtu_link_overflow_packets_total", "Packets refused because a queue was full.",
                    MetricType::Counter);
    for (const auto& [way, c] : ways) {
        packets.add({{"direction", way}}, d(c->packets));
        bytes.add({{"direction", way}}, d(c->bytes));
        dropped.add({{"direction", way}}, d(c->dropped));
        overflow.add({{"direction", way}}, d(c->overflow));
    }
}

void device_families(std::vector<MetricFamily>& out, const BoardSnapshot& board) {
    Family(out, "dtu_devices", "Devices by profile and power state.", MetricType::Gauge)
        .add({{"profile", board.profile}, {"state", board.firmware ? "running" : "off"}}, 1);
    Family(out, "dtu_boots_total", "Firmware boots since the process started.", MetricType::Counter)
        .add(d(board.boot_count));
    Family resets(out, "dtu_resets_total", "Device resets by cause.", MetricType::Counter);
    for (const auto& [cause, count] : board.resets)
        resets.add({{"cause", cause}}, d(count));
    const double uptime = board.firmware ? static_cast<double>(board.firmware->uptime_ms) / 1000.0 : 0.0;
    Family(out, "dtu_uptime_seconds", "Time since the running firmware booted.", MetricType::Gauge)
        .add(uptime);
    Family(out, "dtu_attached", "1 while the data bearer is up.", MetricType::Gauge)
        .add(board.firmware && board.firmware->attached ? 1 : 0);
}

void serial_and_service_families(std::vector<MetricFamily>& out, const BoardSnapshot& board) {
    Family(out, "dtu_serial_bytes_total", "Bytes on the serial port: in from the serial device, out to it.",
           MetricType::Counter)
        .add({{"direction", "in"}}, d(board.serial.rx_bytes))
        .add({{"direction", "out"}}, d(board.serial.tx_bytes));
    Family(out, "dtu_serial_overflow_bytes_total", "Serial bytes not delivered: the output queue was full.",
           MetricType::Counter)
        .add(d(board.serial.overflow_bytes));
    const hal_sim::NetCounters& n = board.net;
    Family(out, "dtu_net_connect_failures_total", "Connection attempts of the module that failed.",
           MetricType::Counter)
        .add(d(n.connect_failures));
    Family(out, "dtu_net_closed_by_peer_total", "Connections the server (or a client) closed or reset.",
           MetricType::Counter)
        .add(d(n.closed_by_peer));
    Family(out, "dtu_net_accepts_total", "Clients the device's TCP servers accepted.", MetricType::Counter)
        .add(d(n.accepts));
    Family(out, "dtu_sms_parts_total", "SMS parts: sent by the device, delivered to it.", MetricType::Counter)
        .add({{"direction", "sent"}}, d(board.sms_center.parts_sent))
        .add({{"direction", "delivered"}}, d(board.sms_center.parts_delivered));
    const hal_sim::MqttServiceCounters& m = board.mqtt_service.counters;
    Family(out, "dtu_mqtt_messages_total",
           "MQTT messages of the module's service: out published, in delivered.", MetricType::Counter)
        .add({{"direction", "out"}}, d(m.messages_out))
        .add({{"direction", "in"}}, d(m.messages_in));
    Family(out, "dtu_mqtt_sessions_lost_total", "MQTT sessions that ended.", MetricType::Counter)
        .add(d(m.sessions_lost));
}

} // namespace

std::vector<MetricFamily> board_metrics(const BoardSnapshot& board) {
    std::vector<MetricFamily> out;
    device_families(out, board);
    serial_and_service_families(out, board);
    socket_families(out, board);
    link_families(out, board);
    return out;
}

std::string metrics_text(const std::vector<MetricFamily>& families) {
    return prometheus::TextSerializer().Serialize(families);
}

} // namespace dtu::sim
