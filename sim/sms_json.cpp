#include "sim/sms_json.hpp"

#include <QByteArray>
#include <QJsonArray>

#include "sim/json_fields.hpp"

namespace dtu::sim {
namespace {

QJsonValue count(std::uint64_t n) { return static_cast<qint64>(n); }

/// Text as JSON: UTF-8 text as a string; 8-bit data (which need not be UTF-8) as hex.
void put_text(QJsonObject& o, hal::SmsEncoding encoding, const std::string& text) {
    const QByteArray bytes = QByteArray::fromStdString(text);
    if (encoding == hal::SmsEncoding::Data8)
        o.insert("text_hex", QString::fromLatin1(bytes.toHex()));
    else
        o.insert("text", QString::fromUtf8(bytes));
}

} // namespace

const char* encoding_key(hal::SmsEncoding encoding) {
    switch (encoding) {
    case hal::SmsEncoding::Gsm7: return "gsm7";
    case hal::SmsEncoding::Data8: return "8bit";
    case hal::SmsEncoding::Ucs2: return "ucs2";
    }
    return "?";
}

std::optional<hal_sim::InboxSms> parse_sms_post(const QJsonObject& body, std::string& error) {
    constexpr Name<std::optional<hal::SmsEncoding>> kEncodings[] = {
        {"auto", std::nullopt}, {"gsm7", hal::SmsEncoding::Gsm7}, {"ucs2", hal::SmsEncoding::Ucs2}};
    hal_sim::InboxSms sms;
    std::string problem;
    FieldReader in(body, "", problem);
    in.only({"from", "text", "encoding"}, true);
    in.require({"from", "text"});
    in.string("from", sms.from);
    in.string("text", sms.text);
    in.choice("encoding", sms.encoding, kEncodings);
    if (problem.empty())
        if (auto why = hal_sim::SmsCenter::validate(sms)) problem = *why;
    if (!problem.empty()) {
        error = problem;
        return std::nullopt;
    }
    return sms;
}

QJsonObject sent_message_to_json(const hal_sim::SentMessage& m) {
    QJsonArray parts;
    for (const auto& p : m.parts) {
        QJsonObject part{{"seq", p.seq}, {"total", p.total}, {"ref", p.ref}};
        put_text(part, p.encoding, p.text);
        parts.append(part);
    }
    QJsonObject o{{"seq", count(m.seq)},
                  {"time_ms", count(m.at_ms)},
                  {"to", QString::fromStdString(m.to)},
                  {"encoding", encoding_key(m.encoding)},
                  {"segments", static_cast<int>(m.parts.size())},
                  {"parts", parts}};
    put_text(o, m.encoding, m.text);
    return o;
}

QJsonObject sms_counters_to_json(const device::SmsCounters& c) {
    return QJsonObject{{"received", count(c.received)},       {"sent", count(c.sent)},
                       {"parts_sent", count(c.parts_sent)},   {"at_commands", count(c.at_commands)},
                       {"at_rejected", count(c.at_rejected)}, {"to_serial", count(c.to_serial)},
                       {"filtered", count(c.filtered)},       {"ignored", count(c.ignored)},
                       {"send_failed", count(c.send_failed)}, {"parts_dropped", count(c.parts_dropped)}};
}

QJsonObject sms_center_to_json(const hal_sim::SmsCenterCounters& c) {
    return QJsonObject{{"queued", count(c.queued)},
                       {"parts_delivered", count(c.parts_delivered)},
                       {"parts_pending", count(c.parts_pending)},
                       {"parts_sent", count(c.parts_sent)},
                       {"sends_refused", count(c.sends_refused)}};
}

} // namespace dtu::sim
