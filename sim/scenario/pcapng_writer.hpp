#pragma once
// The network side of a scenario run as a pcapng file Wireshark opens (scenarios/README.md
// "Traces"). The peers are in-process, so the packets are synthesized from the trace events:
//
// - interface 0 "network" (raw IPv4): the device is 10.64.0.2 (a cellular private address) with
//   local port 40000 + conn; a server is at the host:port of its `address` in the scenario header;
//   a host that is an IPv4 literal is used as is, a name gets 10.65.0.1, 10.65.0.2, ... in order of
//   first appearance, and a Name Resolution Block gives Wireshark the names.
// - A server_accept of a server the header does not declare, with its own address and protocol in
//   info (a live trace meets its servers as the device dials them), declares it.
// - TCP: SYN, SYN-ACK, ACK when a server accepts (server_accept); SYN, RST-ACK when it refuses
//   (or a declared host refuses on a port no server listens on: net_result Refused); a lone SYN
//   for a connect that timed out; data (to_server, to_device) in segments of at most 1460 bytes,
//   each acknowledged; FIN, FIN-ACK, ACK when either side closes (device_close, server_close), or
//   RST-ACK when info.reset; link_reset resets every open connection (RST both ways).
// - UDP: one datagram per to_server / to_device.
// - interface 1 "serial" (Wireshark's exported PDUs, shown as data with "Serial" as the protocol):
//   serial_in / serial_out bytes, one record per event, from "serial-peer" (10.64.0.1, whatever has
//   the port open) to "dtu-device" or back, the direction and the first bytes in the Info column.
// Timestamps: a virtual-time run (the header's clock is not "real") starts at the scenario's network
// epoch, 2026-01-01T00:00:00Z, as AT+CCLK does; a real-time one at the wall clock when the file opens.
// The epb_flags direction is the device's: inbound = towards the device.
// Other events are not written.
#include <cstdint>
#include <fstream>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <QJsonObject>

#include "sim/scenario/ip_packets.hpp"
#include "sim/scenario/pcapng_blocks.hpp"
#include "sim/scenario/trace_event.hpp"
#include "sim/scenario/trace_file.hpp"

namespace dtu::sim::scenario {

class PcapngWriter {
public:
    /// Create path and write the section header, the interfaces and the names of the servers in
    /// scenario_header (the `scenario` event's info). False with error if the file cannot be created
    /// or a server's address is not host:port.
    bool open(const std::string& path, const QJsonObject& scenario_header, std::string& error);
    /// Write the packets event stands for (nothing for events that are not network or serial).
    void write(const TraceEvent& event);
    /// Flush and close; false with error if anything could not be written.
    bool close(std::string& error);
    /// Network events that could not be drawn (a server the header does not declare, data on a
    /// connection already closed), for the runner to report.
    std::size_t skipped() const { return skipped_; }

private:
    struct Server {
        Endpoint endpoint;
        bool udp = false;
        std::uint16_t client_port = 0; ///< a `clients:` peer: the device's port it dials (0: a server)
    };
    struct Connection {
        Endpoint server;
        Endpoint dev;                  ///< the device's end
        std::uint32_t device_next = 0; ///< the device's next sequence number
        std::uint32_t server_next = 0;
        bool closed = false;
    };
    struct PendingOpen {
        std::string host;
        std::uint16_t port = 0;
        bool tcp = true;
        bool answered = false; ///< a server_accept answered it
    };

    bool add_servers(const QJsonObject& servers, std::string_view section, std::string& error);
    /// spec: {address: "host:port", protocol}; false if the address is not host:port.
    bool add_server(const std::string& name, const QJsonObject& spec);
    void declare_met_server(const TraceEvent& event);
    std::uint32_t address_of(const std::string& host);
    std::optional<std::uint32_t> known_address(const std::string& host) const;
    const Server* server(const TraceEvent& event);
    Endpoint device(std::uint32_t conn) const;
    /// The device's end of conn with s: a client dials the device's port, a server is dialled from one.
    Endpoint device_for(const Server& s, std::uint32_t conn) const;

    void accept(const TraceEvent& event);
    void open_link(const TraceEvent& event);
    void link_result(const TraceEvent& event);
    void data(const TraceEvent& event, bool to_server);
    void close_connection(const TraceEvent& event, bool by_device);
    void reset_all(std::uint64_t t_us);

    Connection& handshake(std::uint64_t t_us, const Server& s, std::uint32_t conn);
    void refused(std::uint64_t t_us, Endpoint from, Endpoint to);
    void segment(std::uint64_t t_us, TcpSegment seg, bool to_server);
    void datagram(std::uint64_t t_us, Endpoint from, Endpoint to, std::string_view payload, bool to_server);
    void serial(const TraceEvent& event, pcapng::Direction direction);

    TraceFile file_;
    std::map<std::string, Server> servers_;                    ///< by server name
    std::map<std::string, std::uint32_t> hosts_;               ///< lower-case host -> address
    std::vector<std::pair<std::uint32_t, std::string>> names_; ///< 10.65.x.y handed out, in order
    std::size_t names_written_ = 0;                            ///< of names_, in a Name Resolution Block
    std::map<std::uint32_t, Connection> conns_;                ///< TCP, by conn
    std::map<std::int64_t, PendingOpen> pending_;              ///< by the device's link id
    std::uint64_t start_us_ = 0;                               ///< UTC of t_us 0, microseconds since 1970
    std::uint16_t ip_id_ = 0;
    std::uint16_t next_anonymous_port_ = 50000; ///< attempts no server saw (no conn number)
    std::size_t skipped_ = 0;
};

} // namespace dtu::sim::scenario
