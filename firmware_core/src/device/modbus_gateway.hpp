#pragma once
// The K7's Modbus TCP <-> RTU gateway (K7 §4.4.2; AT+MODTCP / MODPOLL / MODTO, K7 §5.3.5 #39-#41;
// spec k7-ethernet §8 RECOMMENDED): Modbus TCP requests from network connections go to the serial
// port as RTU frames, one at a time; a serial reply with a good CRC goes back, as MBAP with the
// request's transaction id, to the connection that asked. Choices: docs/behaviour-choices.md
// "Modbus gateway".
#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "dtu/hal/clock.hpp"
#include "dtu/hal/link_plan.hpp"
#include "dtu/proto/modbus.hpp"
#include "timer.hpp"

namespace dtu::device {

class ModbusGateway {
public:
    struct Settings {
        /// MODPOLL ON: requests from every connection wait in one queue (K7 §4.4.2 "Modbus polling:
        /// supports more than one master"). OFF: a new request replaces the outstanding one.
        bool polling = false;
        /// MODTO: the response timeout, ms (K7 §5.3.5 #41 says 200~9999 "s"; spec §8 GAP-43: ms).
        std::uint32_t timeout_ms = 200;
        /// Requests waiting at most (MODPOLL ON); more are dropped and counted.
        std::size_t queue_limit = 16;
    };
    struct Counters {
        std::uint32_t requests = 0;      ///< ADUs written to the serial port
        std::uint32_t replies = 0;       ///< replies sent back to a connection
        std::uint32_t bad_mbap = 0;      ///< ADUs skipped (protocol id) + streams refused (length)
        std::uint32_t bad_crc = 0;       ///< serial replies dropped for their CRC
        std::uint32_t timeouts = 0;      ///< requests that got no reply within MODTO
        std::uint32_t superseded = 0;    ///< MODPOLL OFF: requests replaced by a newer one
        std::uint32_t queue_full = 0;    ///< MODPOLL ON: requests dropped, queue full
        std::uint32_t unit_mismatch = 0; ///< replies from another unit id than asked, dropped
        std::uint32_t unsolicited = 0;   ///< serial bytes with no request outstanding, dropped
        std::uint32_t orphaned = 0;      ///< replies whose connection had closed, dropped
    };
    using SerialWrite = std::function<void(std::string_view)>;
    using NetSend = std::function<void(hal::LinkId, std::string_view)>;
    using NetClose = std::function<void(hal::LinkId)>;

    ModbusGateway(hal::Clock& clock, Settings settings, SerialWrite to_serial, NetSend to_net,
                  NetClose close);

    /// Bytes received on connection conn (a chunk of its TCP stream).
    void from_network(hal::LinkId conn, std::string_view bytes);
    /// Bytes received from the serial port.
    void from_serial(std::string_view bytes);
    /// conn closed: its partial ADU and its waiting requests are forgotten; a reply to it is dropped.
    void connection_closed(hal::LinkId conn);

    const Counters& counters() const { return counters_; }
    std::size_t waiting() const { return queue_.size(); }
    bool outstanding() const { return current_.has_value(); }

private:
    struct Request {
        hal::LinkId conn = 0;
        std::uint16_t transaction = 0;
        std::uint8_t unit = 0;
        std::string rtu;
    };
    void accept(hal::LinkId conn, proto::modbus::Adu adu);
    void send(Request request);
    void next();
    void on_timeout();

    Settings settings_;
    SerialWrite to_serial_;
    NetSend to_net_;
    NetClose close_;
    std::map<hal::LinkId, proto::modbus::MbapReader> readers_;
    std::deque<Request> queue_;
    std::optional<Request> current_;
    bool current_closed_ = false; ///< current_'s connection went away: drop its reply
    proto::modbus::RtuReplyAssembler reply_;
    Timer timeout_;
    Counters counters_;
};

} // namespace dtu::device
