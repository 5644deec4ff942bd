// Board entry point: one G771 firmware on the stub HAL, driven by a polling main loop.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>

#include "board_hal.hpp"
#include "dtu/device/device.hpp"
#include "dtu/profile/profile.hpp"

namespace {

/// Bytes a serial peer "sends" at fixed times after power-on (there is no USART RX interrupt in
/// this stub). It walks through command mode, a reset (AT+Z) and back to transparent data.
struct Input {
    std::uint32_t at_ms;
    std::string_view bytes;
};
constexpr Input kScript[] = {
    {1500, "+++"},       // request command mode (stands alone between quiet periods)
    {1700, "a"},         // answer the module's 'a' -> "+ok"
    {1900, "AT+VER\r"},  //
    {2100, "AT+CSQ\r"},  //
    {2300, "AT+Z\r"},    // restart: the main loop re-creates the firmware
    {3300, "+++"},       // command mode again after the reboot
    {3500, "a"},         //
    {3700, "AT+ENTM\r"}, // back to transparent mode
    {3900, "hello DTU"}, // data for the work mode
};
constexpr std::size_t kScriptLen = sizeof kScript / sizeof kScript[0];

board::Board g_board; // the HAL outlives every Device built on it

[[noreturn]] void halt() {
    for (;;)
        board::mcu::idle();
}

} // namespace

int main() {
    board::mcu::init();

    const dtu::profile::Profile* profile = dtu::profile::find("g771");
    if (profile == nullptr) halt();

    std::optional<dtu::device::Device> device;
    device.emplace(*profile, g_board.hal());
    device->boot();

    std::size_t next_input = 0;
    for (;;) {
        if (next_input < kScriptLen && g_board.clock.now_ms() >= kScript[next_input].at_ms)
            device->on_uart_rx(kScript[next_input++].bytes);

        g_board.clock.run_due();
        g_board.mqtt.poll();
        g_board.uart.drain();

        if (g_board.system.take_reset()) {
            // The HAL contract: tear down and boot again after the caller returned, with queued
            // UART output still delivered. NVRAM (BoardStorage) survives; timers do not.
            g_board.uart.drain();
            device.reset();
            g_board.clock.clear();
            device.emplace(*profile, g_board.hal());
            device->boot();
            continue;
        }
        board::mcu::idle(); // SysTick wakes us every millisecond
    }
}
