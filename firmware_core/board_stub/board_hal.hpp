#pragma once
// A minimal board HAL for an STM32F4-class Cortex-M4: just enough to prove that firmware_core links
// and runs its event loop on bare metal. Pure C++ on top of the dtu::hal interfaces; the few
// register accesses live in startup.cpp behind the functions in namespace board::mcu.
#include <array>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

#include "dtu/hal/hal.hpp"

namespace board {

namespace mcu {
/// Milliseconds since SysTick started, incremented by SysTick_Handler (wraps after ~49 days).
std::uint32_t ticks();
/// Start the 1 kHz SysTick and USART1 (PA9, 115200 8N1) from the 16 MHz reset clock.
void init();
/// Sleep until the next interrupt (WFI).
void idle();
/// Transmit one byte on USART1 (polled).
void uart_tx(std::uint8_t byte);
} // namespace mcu

/// Fixed-size byte ring buffer (single producer and consumer on the main loop).
template <std::size_t N> class Ring {
public:
    /// Store as many bytes as fit; returns how many were stored.
    std::size_t push(std::string_view bytes) {
        std::size_t n = 0;
        for (char c : bytes) {
            if (used_ == N) break;
            buf_[(head_ + used_) % N] = static_cast<std::uint8_t>(c);
            ++used_;
            ++n;
        }
        return n;
    }
    bool pop(std::uint8_t& out) {
        if (used_ == 0) return false;
        out = buf_[head_];
        head_ = (head_ + 1) % N;
        --used_;
        return true;
    }
    std::size_t size() const { return used_; }

private:
    std::array<std::uint8_t, N> buf_{};
    std::size_t head_ = 0;
    std::size_t used_ = 0;
};

/// Discards every line (a real board would send it to a debug UART or an RTT buffer).
class BoardLog final : public dtu::hal::Log {
public:
    void write(dtu::hal::LogLevel, std::string_view) override { ++lines_; }
    std::uint32_t lines() const { return lines_; }

private:
    std::uint32_t lines_ = 0;
};

/// Serial output queued in a ring buffer that the main loop drains into the transmitter.
class BoardUart final : public dtu::hal::Uart {
public:
    static constexpr std::size_t kTxBytes = 2048;
    explicit BoardUart(dtu::hal::Log& log) : log_(log) {}
    void write(std::string_view bytes) override;
    /// Move queued bytes to the transmitter; returns how many.
    std::size_t drain();
    std::uint32_t dropped() const { return dropped_; }

private:
    dtu::hal::Log& log_;
    Ring<kTxBytes> tx_;
    std::uint32_t dropped_ = 0;
};

/// Time from the SysTick counter; one-shot timers in a small fixed table polled by the main loop.
class BoardClock final : public dtu::hal::Clock {
public:
    static constexpr std::size_t kSlots = 24;
    std::uint64_t now_ms() const override;
    dtu::hal::TimerId after(std::uint32_t ms, std::function<void()> fn) override;
    void cancel(dtu::hal::TimerId id) override;
    /// Fire due timers, earliest first (at most kSlots per call, so a chain of zero-delay timers
    /// cannot starve the loop). Returns how many fired.
    std::size_t run_due();
    /// Forget every pending timer (the firmware that armed them is gone after a reset).
    void clear();
    /// after() calls that found the table full; those timers never fire.
    std::uint32_t overflows() const { return overflows_; }

private:
    struct Slot {
        dtu::hal::TimerId id = dtu::hal::kNoTimer;
        std::uint64_t due = 0;
        std::function<void()> fn;
    };
    std::array<Slot, kSlots> slots_{};
    dtu::hal::TimerId last_id_ = dtu::hal::kNoTimer;
    std::uint32_t overflows_ = 0;
    mutable std::uint32_t last_ticks_ = 0;
    mutable std::uint32_t wraps_ = 0;
};

/// NVRAM in a static RAM array: two banks, a commit writes the idle bank and then flips the
/// active index in one word write, so a power loss leaves either the old or the new blob.
class BoardStorage final : public dtu::hal::Storage {
public:
    static constexpr std::size_t kBankBytes = 16 * 1024;
    bool load(std::string& out) override;
    bool commit(std::string_view blob) override;

private:
    struct Bank {
        std::uint32_t length = 0;
        std::array<char, kBankBytes> bytes{};
    };
    std::array<Bank, 2> banks_{};
    std::int32_t active_ = -1; ///< -1: nothing ever committed
};

/// Reset requests are latched; the main loop re-creates the firmware after the caller returns.
class BoardSystem final : public dtu::hal::System {
public:
    void reset(dtu::hal::ResetCause cause) override {
        pending_ = true;
        cause_ = cause;
        ++resets_;
    }
    void set_led(dtu::hal::Led led, bool on) override {
        const auto bit = static_cast<std::uint16_t>(1u << static_cast<unsigned>(led));
        leds_ = static_cast<std::uint16_t>(on ? (leds_ | bit) : (leds_ & ~bit));
    }
    /// True once per reset request.
    bool take_reset() {
        const bool p = pending_;
        pending_ = false;
        return p;
    }
    std::uint32_t resets() const { return resets_; }
    std::uint16_t leds() const { return leds_; }

private:
    bool pending_ = false;
    dtu::hal::ResetCause cause_ = dtu::hal::ResetCause::AtRestart;
    std::uint32_t resets_ = 0;
    std::uint16_t leds_ = 0;
};

/// A module that always reports the same identity and radio conditions.
class BoardModem final : public dtu::hal::Modem {
public:
    dtu::hal::Identity identity() const override;
    dtu::hal::RadioState radio() const override;
    dtu::hal::NetworkTime network_time() const override;
    /// The stub board has one card in the external slot and no internal eSIM.
    bool sim_present(dtu::hal::SimSlot slot) const override { return slot == dtu::hal::SimSlot::External; }
    dtu::hal::SimSlot active_sim() const override { return active_; }
    void select_sim(dtu::hal::SimSlot slot) override { active_ = slot; }
    /// The stub's card asks no PIN.
    dtu::hal::SimLock sim_lock() const override { return dtu::hal::SimLock::Ready; }
    bool enter_pin(std::string_view) override { return true; }

private:
    dtu::hal::SimSlot active_ = dtu::hal::SimSlot::External;
};

/// The cellular module's data link: not wired on this stub board (never attached), so NET mode
/// runs its connect/retry logic against a link that always says "no registration".
class BoardNet final : public dtu::hal::Net {
public:
    void set_listener(dtu::hal::NetListener* listener) override { listener_ = listener; }
    bool attached() const override { return false; }
    using dtu::hal::Net::open;
    void open(dtu::hal::LinkId, dtu::hal::Proto, std::string_view, std::uint16_t,
              const dtu::hal::TlsParams*) override {}
    bool send(dtu::hal::LinkId, std::string_view) override { return false; }
    void close(dtu::hal::LinkId) override {}

private:
    dtu::hal::NetListener* listener_ = nullptr;
};

/// SMS through the module: not wired on this stub board (no SIM), so nothing is sent or received.
class BoardSms final : public dtu::hal::Sms {
public:
    void set_listener(dtu::hal::SmsListener* listener) override { listener_ = listener; }
    bool send(const dtu::hal::SmsSegment&) override { return false; }

private:
    dtu::hal::SmsListener* listener_ = nullptr;
};

/// The module's MQTT service: not wired on this stub board (never attached), so a connect fails at
/// once with NotAttached and MQTT mode runs its reconnect logic.
class BoardMqtt final : public dtu::hal::Mqtt {
public:
    void set_listener(dtu::hal::MqttListener* listener) override { listener_ = listener; }
    void connect(const dtu::hal::MqttConnect&) override { failed_ = true; }
    bool publish(std::string_view, std::string_view, std::uint8_t, bool) override { return false; }
    bool subscribe(std::string_view, std::uint8_t) override { return false; }
    bool unsubscribe(std::string_view) override { return false; }
    void disconnect() override { failed_ = false; }
    /// Report a connect failure from the main loop (never inside connect()).
    void poll() {
        if (failed_ && listener_) {
            failed_ = false;
            listener_->on_mqtt_connect_failed(dtu::hal::MqttError::NotAttached, 0);
        }
    }

private:
    dtu::hal::MqttListener* listener_ = nullptr;
    bool failed_ = false;
};

/// No crypto engine on the stub board: HMAC is unavailable (Aliyun signing fails, and says so).
class BoardCrypto final : public dtu::hal::Crypto {
public:
    bool hmac_sha1(std::string_view, std::string_view, dtu::hal::Sha1Digest&) override { return false; }
};

/// All HAL objects of the board.
struct Board {
    BoardLog log;
    BoardUart uart{log};
    BoardClock clock;
    BoardStorage storage;
    BoardSystem system;
    BoardModem modem;
    BoardNet net;
    BoardSms sms;
    BoardMqtt mqtt;
    BoardCrypto crypto;
    dtu::hal::Hal hal() {
        return dtu::hal::Hal{uart, clock, storage, system, modem, net, sms, mqtt, crypto, log};
    }
};

} // namespace board
