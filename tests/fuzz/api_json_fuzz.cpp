// libFuzzer target: the control API's request bodies. sim/control_api.cpp parses each with
// QJsonDocument::fromJson, refuses strings that are not valid Unicode, then hands the object to one
// of these readers: PUT /api/v1/link (merge_link_json), PUT /api/v1/radio (merge_radio_json),
// POST /api/v1/sms (parse_sms_post). Every object is given to all three. Oracles besides ASan/UBSan:
//  - a patch is applied whole or not at all: refused means an error message, accepted means none;
//  - what GET shows of an accepted link or radio can be PUT back and changes nothing (README
//    "Control API": a GET body can be PUT back);
//  - an accepted SMS is text the device can take: from and text are valid UTF-16 in the request
//    (no lone surrogate) and valid UTF-8 after conversion.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include <QByteArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QString>

#include "dtu/sms/codec.hpp"
#include "sim/identity.hpp"
#include "sim/json_codec.hpp"
#include "sim/json_fields.hpp"
#include "sim/radio_json.hpp"
#include "sim/sms_json.hpp"

namespace {

void link(const QJsonObject& body) {
    const dtu::sim::LinkMerge merged = dtu::sim::merge_link_json({}, body);
    if (merged.config.has_value() == !merged.error.empty()) std::abort();
    if (!merged.config) return;
    const QJsonObject shown = dtu::sim::link_to_json(*merged.config);
    const dtu::sim::LinkMerge again = dtu::sim::merge_link_json({}, shown);
    if (!again.config || dtu::sim::link_to_json(*again.config) != shown) std::abort();
}

void radio(const QJsonObject& body) {
    dtu::hal_sim::SimModem modem(dtu::sim::default_identity());
    const dtu::sim::RadioMerge merged = dtu::sim::merge_radio_json(modem, body);
    if (merged.model.has_value() == !merged.error.empty()) std::abort();
    if (!merged.model) return;
    modem.set_model(*merged.model);
    const QJsonObject shown = dtu::sim::radio_to_json(modem);
    const dtu::sim::RadioMerge again = dtu::sim::merge_radio_json(modem, shown);
    if (!again.model) std::abort();
    modem.set_model(*again.model);
    if (dtu::sim::radio_to_json(modem) != shown) std::abort();
}

void sms(const QJsonObject& body) {
    std::string error;
    const auto message = dtu::sim::parse_sms_post(body, error);
    if (message.has_value() == !error.empty()) std::abort();
    if (!message) return;
    if (!body.value("from").toString().isValidUtf16() || !body.value("text").toString().isValidUtf16())
        std::abort(); // a lone surrogate was accepted (and would reach the device as U+FFFD)
    if (!dtu::sms::valid_utf8(message->from) || !dtu::sms::valid_utf8(message->text)) std::abort();
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    QJsonParseError parse{};
    const QJsonDocument doc = QJsonDocument::fromJson(
        QByteArray(reinterpret_cast<const char*>(data), static_cast<qsizetype>(size)), &parse);
    if (parse.error != QJsonParseError::NoError || !doc.isObject()) return 0;
    const QJsonObject body = doc.object();
    if (dtu::sim::invalid_unicode_at(body)) return 0; // refused before any reader (control_api.cpp)
    link(body);
    radio(body);
    sms(body);
    return 0;
}
