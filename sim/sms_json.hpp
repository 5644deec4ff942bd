#pragma once
// JSON of the SMS resources (docs/sms.md): POST /api/v1/sms in, outbox and counters out.
#include <optional>
#include <string>

#include <QJsonObject>

#include "dtu/device/device.hpp"
#include "hal_sim/sms_center.hpp"

namespace dtu::sim {

/// {"from": "+8613800138000", "text": "...", "encoding": "auto"|"gsm7"|"ucs2"} -> a message the SMS
/// centre accepts, or why not (unknown field, wrong type, bad number or text).
std::optional<hal_sim::InboxSms> parse_sms_post(const QJsonObject& body, std::string& error);

/// One sent message: seq, time_ms, to, encoding, text (text_hex for 8-bit data), parts.
QJsonObject sent_message_to_json(const hal_sim::SentMessage& message);

/// The firmware's SMS counters.
QJsonObject sms_counters_to_json(const device::SmsCounters& c);
/// The SMS centre's counters (queued, delivered, pending, sent, refused).
QJsonObject sms_center_to_json(const hal_sim::SmsCenterCounters& c);

/// "gsm7", "8bit", "ucs2".
const char* encoding_key(hal::SmsEncoding encoding);

} // namespace dtu::sim
