#include "sim/radio_json.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <functional>
#include <initializer_list>
#include <string_view>
#include <utility>

#include <QJsonArray>
#include <QJsonValue>
#include <QString>

#include "sim/json_fields.hpp"

namespace dtu::sim {
namespace {

using hal_sim::RadioModel;
using hal_sim::SimCard;
using hal_sim::SimModem;

constexpr std::int64_t kMaxLac = 65535;
constexpr std::int64_t kMaxCid = 268435455; // 28-bit LTE E-UTRAN cell identity

void read_cell(FieldReader& in, hal::Cell& cell) {
    in.only({"lac", "cid"});
    in.integer("lac", cell.lac, 0, kMaxLac);
    in.integer("cid", cell.cid, 0, kMaxCid);
}

void read_card(FieldReader& in, SimCard& card) {
    in.only({"present", "iccid", "phone_number", "can_register", "has_credit"});
    in.boolean("present", card.present);
    in.string("iccid", card.iccid);
    in.string("phone_number", card.phone_number);
    in.boolean("can_register", card.can_register);
    in.boolean("has_credit", card.has_credit);
}

QJsonObject cell_to_json(const hal::Cell& c) {
    return QJsonObject{{"lac", static_cast<qint64>(c.lac)}, {"cid", static_cast<qint64>(c.cid)}};
}

QJsonObject card_to_json(const SimCard& c) {
    return QJsonObject{{"present", c.present},
                       {"iccid", q(c.iccid)},
                       {"phone_number", q(c.phone_number)},
                       {"can_register", c.can_register},
                       {"has_credit", c.has_credit}};
}

QJsonObject module_to_json(const SimModem& modem) {
    return QJsonObject{{"registered", modem.registered()},
                       {"online", modem.data_ready()},
                       {"local_ip", q(modem.radio().local_ip)}};
}

} // namespace

QJsonObject radio_to_json(const SimModem& modem) {
    const RadioModel& m = modem.model();
    QJsonArray neighbours;
    for (const hal::Cell& c : m.neighbours)
        neighbours.append(cell_to_json(c));
    return QJsonObject{
        {"rssi", m.rssi},
        {"ber", m.ber},
        {"network", q(m.network)},
        {"registered", m.registered},
        {"serving_cell", cell_to_json(m.serving)},
        {"neighbours", neighbours},
        {"network_time", m.network_time},
        {"tz_quarter_hours", m.tz_quarter_hours},
        {"time_offset_s", static_cast<qint64>(m.time_offset_s)},
        {"sims", QJsonObject{{"external", card_to_json(m.external)}, {"internal", card_to_json(m.internal)}}},
        {"active_sim", SimModem::slot_name(modem.active_sim())},
        {"module", module_to_json(modem)},
    };
}

RadioMerge merge_radio_json(const SimModem& modem, const QJsonObject& patch) {
    RadioMerge result;
    RadioModel m = modem.model();
    FieldReader in(patch, "", result.error);
    in.only({"rssi", "ber", "network", "registered", "serving_cell", "neighbours", "network_time",
             "tz_quarter_hours", "time_offset_s", "sims", "active_sim", "module"});
    in.integer("rssi", m.rssi, 0, 99);
    in.integer("ber", m.ber, 0, 99);
    in.string("network", m.network);
    in.boolean("registered", m.registered);
    in.object("serving_cell", [&](FieldReader& c) { read_cell(c, m.serving); });
    in.objects(
        "neighbours", SimModem::kMaxNeighbours, [&](std::size_t n) { m.neighbours.assign(n, hal::Cell{}); },
        [&](FieldReader& c, std::size_t i) {
            c.require({"lac", "cid"});
            read_cell(c, m.neighbours[i]);
        });
    in.boolean("network_time", m.network_time);
    in.integer("tz_quarter_hours", m.tz_quarter_hours, -48, 56);
    in.integer("time_offset_s", m.time_offset_s, -SimModem::kMaxTimeOffsetS, SimModem::kMaxTimeOffsetS);
    in.object("sims", [&](FieldReader& s) {
        s.only({"external", "internal"});
        s.object("external", [&](FieldReader& c) { read_card(c, m.external); });
        s.object("internal", [&](FieldReader& c) { read_card(c, m.internal); });
    });
    in.read_only("active_sim", QJsonValue(SimModem::slot_name(modem.active_sim())),
                 "the firmware selects the SIM card (AT+SIMSWITCH)");
    in.read_only("module", QJsonValue(module_to_json(modem)), "it follows from the other fields");
    if (!result.error.empty()) return result;
    if (auto why = SimModem::validate(m)) {
        result.error = *why;
        return result;
    }
    result.model = std::move(m);
    return result;
}

QJsonObject radio_status_to_json(const SimModem& modem) {
    return QJsonObject{{"active_sim", SimModem::slot_name(modem.active_sim())},
                       {"registered", modem.registered()},
                       {"online", modem.data_ready()},
                       {"sim_lock", SimModem::lock_name(modem.sim_lock())}};
}

} // namespace dtu::sim
