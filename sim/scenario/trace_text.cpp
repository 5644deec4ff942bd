// Readable renderings of trace events (see trace_text.hpp).
#include "sim/scenario/trace_text.hpp"

#include <cstdio>

#include <QJsonDocument>

namespace dtu::sim::scenario {
namespace {

// describe_event shows at most this much of a payload; the JSONL trace has all of it.
constexpr std::size_t kShownBytes = 64;

std::string quoted(std::string_view bytes) {
    std::string out = "\"";
    for (char c : readable_bytes(bytes)) {
        if (c == '"') out += '\\';
        out += c;
    }
    return out + '"';
}

} // namespace

std::string describe_time(std::uint64_t t_us) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%llu.%06llu s", static_cast<unsigned long long>(t_us / 1000000),
                  static_cast<unsigned long long>(t_us % 1000000));
    return buf;
}

std::string readable_bytes(std::string_view bytes) {
    std::string out;
    out.reserve(bytes.size());
    for (const char c : bytes) {
        const auto b = static_cast<unsigned char>(c);
        if (c == '\r')
            out += "\\r";
        else if (c == '\n')
            out += "\\n";
        else if (c == '\t')
            out += "\\t";
        else if (c == '\\')
            out += "\\\\";
        else if (b >= 0x20 && b < 0x7f)
            out += c;
        else {
            char buf[5];
            std::snprintf(buf, sizeof buf, "\\x%02x", b);
            out += buf;
        }
    }
    return out;
}

std::string describe_event(const TraceEvent& event) {
    std::string line = describe_time(event.t_us) + "  " + trace_kind_name(event.kind);
    if (!event.server.empty()) {
        line += ' ' + event.server;
        if (event.conn != 0) line += '#' + std::to_string(event.conn);
    }
    if (!event.data.empty()) {
        const bool cut = event.data.size() > kShownBytes;
        line += "  " + quoted(std::string_view(event.data).substr(0, kShownBytes)) + (cut ? "..." : "");
        line += " (" + std::to_string(event.data.size()) + (event.data.size() == 1 ? " byte)" : " bytes)");
    }
    if (!event.info.isEmpty())
        line += "  " + QJsonDocument(event.info).toJson(QJsonDocument::Compact).toStdString();
    return line;
}

} // namespace dtu::sim::scenario
