// JSONL traces: writing and reading (see trace_jsonl.hpp).
#include "sim/scenario/trace_jsonl.hpp"

#include <algorithm>
#include <array>
#include <cerrno>
#include <cmath>
#include <cstring>
#include <iterator>
#include <optional>
#include <sstream>
#include <string_view>

#include <QByteArray>
#include <QJsonDocument>
#include <QJsonParseError>
#include <QJsonValue>

#include "sim/scenario/hex.hpp"
#include "sim/scenario/trace_schema.hpp"
#include "sim/scenario/trace_text.hpp"

namespace dtu::sim::scenario {
namespace {

// Keys of the event itself; info fields with these names go into the nested "info" object.
constexpr std::array<std::string_view, 6> kOwnKeys{"t_us", "kind", "server", "conn", "hex", "info"};
// "text" renders the bytes, so it is taken only when there are bytes (a log line's text is not).
constexpr std::string_view kTextKey = "text";
// A reader stops listing errors after this many: a file of garbage needs no thousand messages.
constexpr std::size_t kMaxErrors = 20;
constexpr std::string_view kTimeExpected = "a whole number of microseconds from 0 to 9007199254740992";

bool own_key(const QString& key, bool has_data) {
    const std::string k = key.toStdString();
    for (std::string_view own : kOwnKeys)
        if (k == own) return true;
    return has_data && k == kTextKey;
}

QString q(std::string_view s) { return QString::fromUtf8(s.data(), static_cast<qsizetype>(s.size())); }

QJsonObject to_json(const TraceEvent& event) {
    const bool has_data = !event.data.empty();
    QJsonObject o;
    QJsonObject nested;
    for (auto it = event.info.begin(); it != event.info.end(); ++it)
        (own_key(it.key(), has_data) ? nested : o).insert(it.key(), it.value());
    o.insert("t_us", static_cast<qint64>(event.t_us));
    o.insert("kind", trace_kind_name(event.kind));
    if (!event.server.empty()) o.insert("server", q(event.server));
    if (event.conn != 0) o.insert("conn", static_cast<qint64>(event.conn));
    if (has_data) {
        const QByteArray bytes(event.data.data(), static_cast<qsizetype>(event.data.size()));
        o.insert("hex", QString::fromLatin1(bytes.toHex()));
        o.insert("text", q(readable_bytes(event.data)));
    }
    if (!nested.isEmpty()) o.insert("info", nested);
    return o;
}

// ---- reading ----

bool whole(const QJsonValue& v, double min, double max) {
    const double d = v.toDouble(-1.0);
    return v.isDouble() && std::floor(d) == d && d >= min && d <= max;
}

bool read_time(const QJsonObject& o, std::uint64_t& t_us, std::string& what) {
    const QJsonValue v = o.value("t_us");
    if (!whole(v, 0, static_cast<double>(kMaxTraceCount))) {
        what = field_error("t_us", kTimeExpected, v);
        return false;
    }
    t_us = static_cast<std::uint64_t>(v.toInteger());
    return true;
}

bool read_kind(const QJsonObject& o, TraceKind& kind, std::string& what) {
    const QJsonValue v = o.value("kind");
    if (!v.isString() || !parse_trace_kind(v.toString().toStdString(), kind)) {
        what = field_error("kind",
                           "an event kind (serial_in, to_server, ...: scenarios/README.md \"Traces\")", v);
        return false;
    }
    return true;
}

bool read_peer(const QJsonObject& o, TraceEvent& e, std::string& what) {
    const QJsonValue server = o.value("server");
    if (!server.isUndefined()) {
        if (!server.isString() || server.toString().isEmpty()) {
            what = field_error("server", "a non-empty string", server);
            return false;
        }
        e.server = server.toString().toStdString();
    }
    const QJsonValue conn = o.value("conn");
    if (!conn.isUndefined()) {
        if (!whole(conn, 1, 4294967295.0)) {
            what = field_error("conn", "a whole number from 1 to 4294967295", conn);
            return false;
        }
        e.conn = static_cast<std::uint32_t>(conn.toInteger());
    }
    return true;
}

bool read_data(const QJsonObject& o, TraceEvent& e, std::string& what) {
    const QJsonValue hex = o.value("hex");
    if (hex.isUndefined()) return true;
    std::string why;
    const auto bytes = hex.isString() ? decode_hex(hex.toString().toStdString(), why) : std::nullopt;
    if (!bytes || bytes->empty()) {
        what = why.empty() ? field_error("hex", "a non-empty string of hex digits", hex) : "hex: " + why;
        return false;
    }
    e.data = *bytes;
    const QJsonValue text = o.value("text");
    // hex is what counts; a text edited by hand and not its hex would be replayed unchanged.
    if (!text.isUndefined() && text.toString().toStdString() != readable_bytes(e.data)) {
        what = "text: does not match hex (hex is what counts: edit both, or drop text)";
        return false;
    }
    return true;
}

bool read_info(const QJsonObject& o, TraceEvent& e, std::string& what) {
    const bool has_data = !e.data.empty();
    for (auto it = o.begin(); it != o.end(); ++it)
        if (!own_key(it.key(), has_data)) e.info.insert(it.key(), it.value());
    const QJsonValue nested = o.value("info");
    if (nested.isUndefined()) return true;
    if (!nested.isObject()) {
        what = field_error("info", "an object", nested);
        return false;
    }
    const QJsonObject n = nested.toObject();
    for (auto it = n.begin(); it != n.end(); ++it)
        e.info.insert(it.key(), it.value());
    return true;
}

bool read_fields(const TraceEvent& e, std::string& what) {
    what = check_trace_fields(e);
    return what.empty();
}

bool read_event(const QJsonObject& o, TraceEvent& e, std::string& what) {
    return read_time(o, e.t_us, what) && read_kind(o, e.kind, what) && read_peer(o, e, what) &&
           read_data(o, e, what) && read_info(o, e, what) && read_fields(e, what);
}

// Collects "PATH:LINE: what" messages up to kMaxErrors, then counts the rest.
class ErrorList {
public:
    ErrorList(std::string path, std::vector<std::string>& errors) : path_(std::move(path)), errors_(errors) {}
    void add(std::size_t line, const std::string& what) {
        if (errors_.size() < kMaxErrors)
            errors_.push_back(path_ + ':' + std::to_string(line) + ": " + what);
        else
            ++more_;
    }
    void finish() {
        if (more_ > 0) errors_.push_back(path_ + ": " + std::to_string(more_) + " more errors not shown");
    }

private:
    std::string path_;
    std::vector<std::string>& errors_;
    std::size_t more_ = 0;
};

// What the order rules need from the lines before.
struct Before {
    bool any = false;              ///< an event was read (the first must be the header)
    std::uint64_t t_us = 0;        ///< the last event's time
    std::uint64_t task = 0;        ///< the last input's task count
    std::uint64_t deadline_us = 0; ///< the header's deadline
};

// The order rules: the scenario header first and only there, time and the inputs' task count never
// going back, no event past the scenario's deadline (replay would run the device up to it).
void check_order(const TraceEvent& e, std::size_t line, Before& before, ErrorList& errors) {
    const bool header = e.kind == TraceKind::Scenario;
    if (!before.any && !header)
        errors.add(line, std::string("the first event must be the scenario header, not ") +
                             trace_kind_name(e.kind));
    else if (before.any && header)
        errors.add(line, "a second scenario header (two traces in one file?)");
    if (!before.any) before.deadline_us = trace_deadline_us(header ? e.info : QJsonObject{});
    if (before.any && e.t_us < before.t_us)
        errors.add(line, "time goes backwards: t_us " + std::to_string(e.t_us) + " after " +
                             std::to_string(before.t_us));
    else if (before.any && e.t_us > before.deadline_us)
        errors.add(line, "t_us: " + std::to_string(e.t_us) + " (" + describe_time(e.t_us) +
                             ") is past the scenario's deadline (" + describe_time(before.deadline_us) +
                             ", deadline_us in the header; 1 h when it has none): a run never goes past it");
    if (is_trace_input(e.kind)) {
        const auto task = static_cast<std::uint64_t>(e.info.value("task").toInteger());
        if (task < before.task)
            errors.add(line, "task: " + std::to_string(task) + " after " + std::to_string(before.task) +
                                 " (the count of tasks run never goes back)");
        before.task = std::max(before.task, task);
    }
    before.any = true;
    before.t_us = std::max(before.t_us, e.t_us);
}

void read_line(std::string_view text, std::size_t line, bool last_cut, TraceReadResult& result,
               Before& before, ErrorList& errors) {
    QJsonParseError parse{};
    const QJsonDocument doc =
        QJsonDocument::fromJson(QByteArray(text.data(), static_cast<qsizetype>(text.size())), &parse);
    if (parse.error != QJsonParseError::NoError || !doc.isObject()) {
        std::string what = "not a JSON object";
        if (last_cut) what += " (the file is cut in the middle?)";
        if (parse.error != QJsonParseError::NoError)
            what += ": column " + std::to_string(parse.offset + 1) + ": " + parse.errorString().toStdString();
        return errors.add(line, what);
    }
    TraceEvent e;
    std::string what;
    if (!read_event(doc.object(), e, what)) return errors.add(line, what);
    check_order(e, line, before, errors);
    result.events.push_back(std::move(e));
}

} // namespace

std::string trace_event_json(const TraceEvent& event) {
    return QJsonDocument(to_json(event)).toJson(QJsonDocument::Compact).toStdString();
}

bool JsonlTraceWriter::open(const std::string& path, std::string& error) { return file_.open(path, error); }

void JsonlTraceWriter::write(const TraceEvent& event) {
    if (file_.is_open()) file_.out() << trace_event_json(event) << '\n';
}

bool JsonlTraceWriter::close(std::string& error) { return file_.close(error); }

TraceReadResult read_jsonl_trace(const std::string& path) {
    TraceReadResult result;
    ErrorList errors(path, result.errors);
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        result.errors.push_back(path + ": cannot open: " + std::strerror(errno));
        return result;
    }
    const std::string content{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
    std::size_t line = 0;
    Before before;
    for (std::size_t at = 0; at < content.size();) {
        const std::size_t end = content.find('\n', at);
        const bool terminated = end != std::string::npos;
        const std::string_view text =
            std::string_view(content).substr(at, (terminated ? end : content.size()) - at);
        ++line;
        at = terminated ? end + 1 : content.size();
        if (text.find_first_not_of(" \t\r") == std::string_view::npos) {
            errors.add(line, "empty line (a trace has one JSON object on every line)");
            continue;
        }
        read_line(text, line, !terminated, result, before, errors);
    }
    if (line == 0) result.errors.push_back(path + ": no events (the file is empty)");
    errors.finish();
    return result;
}

} // namespace dtu::sim::scenario
