#pragma once
// --sms-outbox: every SMS the device sends, appended to a file as one JSON object per line.
#include <filesystem>
#include <string>

#include <QFile>

#include "hal_sim/sms_center.hpp"

namespace dtu::sim {

class OutboxFile {
public:
    /// Why path cannot be the outbox: "" when it is missing or a regular file (appended to), else
    /// what is there (a symlink is never written through) and what to do.
    static std::string refusal(const std::filesystem::path& path);
    /// Open path for appending (created if missing); false with error set if it cannot be, or if
    /// path is a symlink (refused, never followed).
    bool open(const std::filesystem::path& path, std::string& error);
    /// One line, flushed at once so a reader sees it immediately; a write error is logged by the caller.
    bool append(const hal_sim::SentMessage& message);

private:
    QFile file_;
};

} // namespace dtu::sim
