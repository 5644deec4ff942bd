#pragma once
// HAL: the firmware's debug log (a debug UART on the board, the host log in the simulator).
#include <string_view>

namespace dtu::hal {

enum class LogLevel : unsigned char { Debug, Info, Warn, Error };

class Log {
public:
    virtual ~Log() = default;
    /// One line, without a trailing newline. Must not block.
    virtual void write(LogLevel level, std::string_view line) = 0;
};

} // namespace dtu::hal
