// libFuzzer target: bytes from the serial port, and SMS, into a device of any profile in AT command
// mode.
//
// Input format (plain AT text after one selector byte is a valid input, so seeds stay readable):
//   the first byte chooses the profile: a digit d is names()[d] while there are more than d
//   profiles ('0' g771, '1' gprs732, '2' lte7s4, '3' gm5, '4' k7 in registry order), any other byte
//   names()[byte % count], so a new profile is fuzzed without an edit here and every input is valid;
//   every other byte is serial data, except 0xFF, which ends the current chunk and is followed by one
//   control byte C:
//     C == 0xFF  a literal 0xFF data byte (the chunk goes on)
//     otherwise  feed the chunk, then advance the fake clock by kStepMs[C & 0x0F] ms. The chunk goes
//                to the serial port, or with C & 0x10 arrives as one SMS (text = the chunk, which
//                need not be UTF-8): C & 0x20 makes it a part of a concatenated message (reference
//                and part numbers from C and the chunk, possibly out of range), C & 0x40 picks the
//                sender (DSTNUM or another number), C & 0x80 UCS-2 instead of GSM 7-bit.
//   The rest of the input is fed as a last chunk, followed by a final kFinalMs advance.
// Before the input, the harness gets the device into command mode (the profile's factory T1 of
// quiet, "+++", its packing interval, "a"), and again after every reset the firmware asks for
// (AT+Z, AT+S, AT+CLEAR, ...). NVRAM survives resets, as on the device.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "fake_hal.hpp"

namespace {

constexpr std::uint32_t kStepMs[16] = {0,   1,   2,    5,    10,   20,   50,    100,
                                       200, 500, 1000, 1500, 3000, 5000, 30000, 65000};
constexpr std::uint32_t kFinalMs = 200;
constexpr int kMaxResets = 16;                // per input, keeps every run short
constexpr std::size_t kMaxUartKeep = 1 << 16; // drop collected output beyond this

void enter_command_mode(dtu::test::Bench& bench) {
    const dtu::profile::SerialRules& rules = bench.profile.serial;
    bench.clock.advance(rules.factory_plus_guard_ms()); // T1 of quiet before "+++"
    bench.device->on_uart_rx("+++");
    bench.clock.advance(rules.factory_packing_ms() + 10); // the frame ends: the module answers
    bench.device->on_uart_rx("a");
    bench.clock.advance(10);
    static std::set<std::string_view> warned; // once per profile
    if (bench.device->status().serial_mode != dtu::device::SerialMode::Command &&
        warned.insert(bench.profile.name).second) {
        std::fprintf(stderr,
                     "at_fuzz: note: %.*s did not reach command mode after +++/a; "
                     "inputs still reach it through the transparent path\n",
                     static_cast<int>(bench.profile.name.size()), bench.profile.name.data());
    }
    bench.uart.take();
}

/// The profile an input's first byte chooses.
std::string_view profile_for(std::uint8_t selector) {
    static const std::vector<std::string_view> names = dtu::profile::names();
    if (selector >= '0' && selector <= '9' && static_cast<std::size_t>(selector - '0') < names.size())
        return names[static_cast<std::size_t>(selector - '0')];
    return names[selector % names.size()];
}

class Driver {
public:
    explicit Driver(std::string_view profile) : bench_(profile) {
        bench_.power_on();
        enter_command_mode(bench_);
    }

    /// Feed one chunk, advance time, service resets. False once the reset budget is used up.
    bool chunk(std::string_view bytes, std::uint32_t step_ms, std::uint8_t ctl = 0) {
        if (ctl & 0x10)
            bench_.sms.deliver(sms(bytes, ctl));
        else if (!bytes.empty())
            bench_.device->on_uart_rx(bytes);
        if (!settle()) return false;
        if (step_ms != 0) {
            bench_.clock.advance(step_ms);
            if (!settle()) return false;
        }
        (void)bench_.device->status();
        if (bench_.uart.out.size() > kMaxUartKeep) bench_.uart.take();
        return true;
    }

private:
    static dtu::hal::SmsSegment sms(std::string_view text, std::uint8_t ctl) {
        dtu::hal::SmsSegment s;
        s.number = (ctl & 0x40) ? "+8613900139000" : "1008610010";
        s.encoding = (ctl & 0x80) ? dtu::hal::SmsEncoding::Ucs2 : dtu::hal::SmsEncoding::Gsm7;
        s.text = std::string(text);
        if (ctl & 0x20) {
            s.ref = static_cast<std::uint8_t>(ctl & 0x03);
            s.total = static_cast<std::uint8_t>(1 + (text.size() & 0x03));
            s.seq = static_cast<std::uint8_t>(text.size() % 6); // 0 and > total are malformed on purpose
        }
        return s;
    }

    /// A reset request is handled after the firmware returned, as the host does.
    bool settle() {
        while (bench_.service_reset()) {
            if (++resets_ > kMaxResets) return false;
            bench_.clock.advance(10);
            enter_command_mode(bench_);
        }
        return true;
    }

    dtu::test::Bench bench_;
    int resets_ = 0;
};

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size == 0) return 0;
    Driver driver(profile_for(data[0])); // a fresh device per input: runs are independent and reproducible
    std::string chunk;
    for (std::size_t i = 1; i < size; ++i) {
        if (data[i] != 0xFF) {
            chunk.push_back(static_cast<char>(data[i]));
            continue;
        }
        if (++i == size) break; // a dangling 0xFF: ignore it
        const std::uint8_t ctl = data[i];
        if (ctl == 0xFF) {
            chunk.push_back(static_cast<char>(0xFF));
            continue;
        }
        if (!driver.chunk(chunk, kStepMs[ctl & 0x0F], ctl)) return 0;
        chunk.clear();
    }
    driver.chunk(chunk, kFinalMs);
    return 0;
}
