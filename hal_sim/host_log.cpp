#include "hal_sim/host_log.hpp"

#include <cstdio>
#include <utility>

#include <QDateTime>

namespace dtu::hal_sim {
namespace {

/// "2026-12-01T22:14:03.123+01:00". Qt's ISODateWithMs leaves the offset out for local time.
std::string iso_time(const QDateTime& local) {
    std::string text = local.toString(QStringLiteral("yyyy-MM-dd'T'HH:mm:ss.zzz")).toStdString();
    const int offset = local.offsetFromUtc(); // seconds east of UTC
    const int minutes = (offset < 0 ? -offset : offset) / 60;
    char zone[16];
    std::snprintf(zone, sizeof zone, "%c%02d:%02d", offset < 0 ? '-' : '+', minutes / 60, minutes % 60);
    return text + zone;
}

} // namespace

HostLog::HostLog(std::string tag, hal::LogLevel min_level, std::FILE* out)
    : tag_(std::move(tag)), min_level_(min_level), out_(out) {}

void HostLog::write(hal::LogLevel level, std::string_view line) {
    if (!enabled(level)) return;
    // ISO 8601 with the date and the zone (local time, e.g. 2026-12-01T22:14:03.123+01:00): logs of
    // several runs, days or machines merge and sort without guessing.
    std::string text = iso_time(QDateTime::currentDateTime());
    text.reserve(text.size() + tag_.size() + line.size() + 12);
    text += ' ';
    text += level_name(level);
    text += " [";
    text += tag_;
    text += "] ";
    text += line;
    text += '\n';
    std::fwrite(text.data(), 1, text.size(), out_);
    std::fflush(out_);
}

std::optional<hal::LogLevel> HostLog::parse_level(std::string_view name) {
    if (name == "debug") return hal::LogLevel::Debug;
    if (name == "info") return hal::LogLevel::Info;
    if (name == "warn") return hal::LogLevel::Warn;
    if (name == "error") return hal::LogLevel::Error;
    return std::nullopt;
}

std::string_view HostLog::level_name(hal::LogLevel level) {
    switch (level) {
    case hal::LogLevel::Debug: return "DEBUG";
    case hal::LogLevel::Info: return "INFO ";
    case hal::LogLevel::Warn: return "WARN ";
    case hal::LogLevel::Error: return "ERROR";
    }
    return "?    ";
}

} // namespace dtu::hal_sim
