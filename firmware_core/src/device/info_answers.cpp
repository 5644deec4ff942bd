// Answers of the query-only commands whose values come from the modem and live state
// (G771 §4 "信息查询指令"; formats: spec device-info.md and field-evidence §5.0).
#include <cstdio>

#include "at_engine.hpp"
#include "dtu/at/text.hpp"
#include "link_state_word.hpp"
#include "signal_answer.hpp"

namespace dtu::device {
namespace {

struct Civil {
    int year, month, day, hour, minute, second;
};

/// Days since 1970-01-01 to a civil date (proleptic Gregorian; H. Hinnant's algorithm).
Civil to_civil(std::int64_t unix_seconds) {
    std::int64_t days = unix_seconds / 86400;
    std::int64_t secs = unix_seconds % 86400;
    if (secs < 0) {
        secs += 86400;
        --days;
    }
    days += 719468;
    const std::int64_t era = (days >= 0 ? days : days - 146096) / 146097;
    const auto doe = static_cast<unsigned>(days - era * 146097);
    const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const unsigned mp = (5 * doy + 2) / 153;
    const unsigned d = doy - (153 * mp + 2) / 5 + 1;
    const unsigned m = mp < 10 ? mp + 3 : mp - 9;
    const auto y = static_cast<int>(yoe + era * 400 + (m <= 2 ? 1 : 0));
    return {y,
            static_cast<int>(m),
            static_cast<int>(d),
            static_cast<int>(secs / 3600),
            static_cast<int>(secs % 3600 / 60),
            static_cast<int>(secs % 60)};
}

/// "yy/MM/dd,hh:mm:ss+zz" (GAP-38): the wall clock in the operator's zone, zz in quarter hours.
std::string cclk_text(std::int64_t unix_seconds, int tz) {
    const Civil c = to_civil(unix_seconds + tz * 900);
    char buf[40];
    std::snprintf(buf, sizeof buf, "\"%02d/%02d/%02d,%02d:%02d:%02d%c%02d\"", c.year % 100, c.month, c.day,
                  c.hour, c.minute, c.second, tz < 0 ? '-' : '+', tz < 0 ? -tz : tz);
    return buf;
}

std::string cell_text(const hal::Cell& cell) {
    return std::to_string(cell.lac) + "," + std::to_string(cell.cid);
}

} // namespace

Outcome AtEngine::info(const at::CommandSpec& spec, int variant, const LiveState& live) const {
    using at::Behavior;
    const std::string name = at::concrete_name(spec, static_cast<std::size_t>(variant));
    switch (spec.behavior) {
    case Behavior::Version: return value(spec, name, profile_.version);
    case Behavior::Build: return value(spec, name, profile_.build);
    case Behavior::Sn: return value(spec, name, hal_.modem.identity().sn);
    case Behavior::Imei: return value(spec, name, hal_.modem.identity().imei);
    case Behavior::Iccid: return value(spec, name, hal_.modem.identity().iccid);
    case Behavior::Signal: {
        const auto r = hal_.modem.radio(); // field evidence: "+CSQ: 27,99" (the row's answer_space)
        return value(spec, name, std::to_string(r.rssi) + "," + std::to_string(r.ber));
    }
    case Behavior::SysInfo: {
        const auto r = hal_.modem.radio(); // field evidence: "+SYSINFO:4,LTE"
        return value(spec, name, std::to_string(r.service_state) + "," + r.network);
    }
    case Behavior::LocalIp: return value(spec, name, hal_.modem.radio().local_ip);
    case Behavior::PhoneNumber: return value(spec, name, hal_.modem.radio().phone_number);
    case Behavior::Cell: return value(spec, name, cell_text(hal_.modem.radio().serving));
    case Behavior::Neighbours: {
        Outcome o;
        for (const auto& cell : hal_.modem.radio().neighbours)
            o.reply.append("\r\n+LBSN:").append(cell_text(cell));
        o.reply.append(o.reply.empty() ? "" : "\r\n").append(profile_.answers.ok);
        return o;
    }
    case Behavior::Clock: return value(spec, name, cclk_text(live.unix_seconds, live.tz_quarter_hours));
    case Behavior::SocketAddresses: { // 732 §3.1.7.44: "+CIP:" then SOCKET:IP per link
        Outcome o;
        o.reply.append("\r\n+").append(name).append(":");
        for (std::size_t i = 0; i < profile_.net.sockets && i < hal::kMaxLinks; ++i)
            if (live.socket_connected[i])
                o.reply.append("\r\nSOCK")
                    .append(1, static_cast<char>('A' + i))
                    .append(":")
                    .append(hal_.modem.radio().local_ip);
        o.reply.append("\r\n").append(profile_.answers.ok);
        return o;
    }
    case Behavior::SignalByNetwork: return value(spec, name, signal_by_network(hal_.modem.radio()));
    case Behavior::LinkState: { // the row's choices: connected first ("Connected|Disconnected")
        const std::size_t i = static_cast<std::size_t>(variant) % hal::kMaxLinks;
        return value(
            spec, name,
            link_state_word(spec.params.front().choices, live.socket_connected[i], live.tcp_server[i]));
    }
    case Behavior::MqttState: // GM5 §2.12 prints the state quoted
        return value(spec, name, live.mqtt_connected ? "\"CONNECTION\"" : "\"DISCONNECTION\"");
    default: return error(profile_.errors.bad_op);
    }
}

} // namespace dtu::device
