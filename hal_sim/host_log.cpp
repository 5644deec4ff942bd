#include "hal_sim/host_log.hpp"

#include <utility>

#include <QTime>

namespace dtu::hal_sim {

HostLog::HostLog(std::string tag, hal::LogLevel min_level, std::FILE* out)
    : tag_(std::move(tag)), min_level_(min_level), out_(out) {}

void HostLog::write(hal::LogLevel level, std::string_view line) {
    if (!enabled(level)) return;
    std::string text = QTime::currentTime().toString(QStringLiteral("HH:mm:ss.zzz")).toStdString();
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
