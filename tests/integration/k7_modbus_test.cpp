// The K7's Modbus TCP <-> RTU gateway (AT+MODTCP=ON; K7 §4.4.2, spec k7-ethernet §8) between real
// Modbus peers: a libmodbus TCP master on the device's TCP server, a libmodbus RTU slave (or a
// scripted one, for the bad cases) on its PTY.
#include <modbus.h>

#include <array>
#include <atomic>
#include <cerrno>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "serial_client.hpp"
#include "sim_process.hpp"

namespace dtu::itest {
namespace {

using namespace std::chrono_literals;

/// A K7 whose TCP server (socket A, port 23) is a Modbus TCP gateway.
struct Gateway {
    Gateway() : sim({"--profile", "k7", "--at", "AT+MODTCP=ON", "--at", "AT+MODTO=500"}) {
        EXPECT_TRUE(sim.start());
        tcp_port = sim.port("tcp/23");
        EXPECT_NE(tcp_port, 0);
        // The K7 has no start message: the slave sees requests only.
        SerialClient boot(sim.serial());
        EXPECT_TRUE(boot.expect_silence(100ms)) << boot.buffered();
    }
    SimProcess sim;
    std::uint16_t tcp_port = 0;
};

struct ModbusDeleter {
    void operator()(modbus_t* ctx) const {
        modbus_close(ctx);
        modbus_free(ctx);
    }
};
using Modbus = std::unique_ptr<modbus_t, ModbusDeleter>;

/// A libmodbus RTU slave (unit 1, ten holding registers) on the PTY, answering until stopped.
class RtuSlave {
public:
    explicit RtuSlave(const std::string& pty) : ctx_(modbus_new_rtu(pty.c_str(), 115200, 'N', 8, 1)) {
        map_ = modbus_mapping_new(0, 0, 10, 0);
        for (int i = 0; i < 10; ++i)
            map_->tab_registers[i] = static_cast<std::uint16_t>(0x1000 + i);
        modbus_set_slave(ctx_.get(), 1);
        connected_ = modbus_connect(ctx_.get()) == 0;
        modbus_set_indication_timeout(ctx_.get(), 0, 100000); // 100 ms: the loop sees stop_ often
        thread_ = std::thread([this] { serve(); });
    }
    ~RtuSlave() {
        stop_ = true;
        thread_.join();
        modbus_mapping_free(map_);
    }
    bool connected() const { return connected_; }
    int served() const { return served_; }

private:
    void serve() {
        std::array<std::uint8_t, MODBUS_RTU_MAX_ADU_LENGTH> query{};
        while (!stop_ && connected_) {
            const int n = modbus_receive(ctx_.get(), query.data());
            if (n > 0 && modbus_reply(ctx_.get(), query.data(), n, map_) > 0) ++served_;
        }
    }
    Modbus ctx_;
    modbus_mapping_t* map_ = nullptr;
    bool connected_ = false;
    std::atomic<bool> stop_{false};
    std::atomic<int> served_{0};
    std::thread thread_;
};

Modbus tcp_master(std::uint16_t port) {
    Modbus m(modbus_new_tcp("127.0.0.1", port));
    modbus_set_slave(m.get(), 1);
    modbus_set_response_timeout(m.get(), 2, 0);
    EXPECT_EQ(modbus_connect(m.get()), 0) << modbus_strerror(errno);
    return m;
}

TEST(K7Modbus, ATcpMasterReadsAndWritesTheRtuSlavesRegisters) {
    Gateway k7;
    RtuSlave slave(k7.sim.serial());
    ASSERT_TRUE(slave.connected());
    Modbus master = tcp_master(k7.tcp_port);

    std::array<std::uint16_t, 4> regs{};
    ASSERT_EQ(modbus_read_registers(master.get(), 2, 4, regs.data()), 4) << modbus_strerror(errno);
    EXPECT_EQ(regs, (std::array<std::uint16_t, 4>{0x1002, 0x1003, 0x1004, 0x1005}));

    ASSERT_EQ(modbus_write_register(master.get(), 7, 0xBEEF), 1) << modbus_strerror(errno);
    std::uint16_t back = 0;
    ASSERT_EQ(modbus_read_registers(master.get(), 7, 1, &back), 1) << modbus_strerror(errno);
    EXPECT_EQ(back, 0xBEEF);
    EXPECT_EQ(slave.served(), 3);
}

TEST(K7Modbus, TwoMastersEachGetTheirOwnAnswers) {
    Gateway k7;
    RtuSlave slave(k7.sim.serial());
    ASSERT_TRUE(slave.connected());
    Modbus one = tcp_master(k7.tcp_port), two = tcp_master(k7.tcp_port);
    for (int round = 0; round < 5; ++round) {
        std::uint16_t a = 0, b = 0;
        ASSERT_EQ(modbus_read_registers(one.get(), 1, 1, &a), 1) << modbus_strerror(errno);
        ASSERT_EQ(modbus_read_registers(two.get(), 8, 1, &b), 1) << modbus_strerror(errno);
        EXPECT_EQ(a, 0x1001);
        EXPECT_EQ(b, 0x1008);
    }
}

TEST(K7Modbus, AReplyWithABadCrcIsDroppedAndTheNextRequestStillWorks) {
    Gateway k7;
    SerialClient pty(k7.sim.serial());
    Modbus master = tcp_master(k7.tcp_port);
    modbus_set_response_timeout(master.get(), 1, 0);
    std::uint16_t value = 0;
    // The scripted slave answers the first request with a corrupted CRC: the master hears nothing.
    std::thread bad([&] {
        const std::string request = pty.read_until([](std::string_view b) { return b.size() >= 8; }, 3s);
        if (request.size() < 8) return;
        pty.write(std::string("\x01\x03\x02\x12\x34\x00\x00", 7)); // CRC 00 00: wrong
    });
    EXPECT_EQ(modbus_read_registers(master.get(), 0, 1, &value), -1);
    EXPECT_EQ(errno, ETIMEDOUT);
    bad.join();
    // The same request again, answered correctly (CRC-16/MODBUS of 01 03 02 12 34 is B5 33).
    std::thread good([&] {
        const std::string request = pty.read_until([](std::string_view b) { return b.size() >= 8; }, 3s);
        if (request.size() < 8) return;
        pty.write(std::string("\x01\x03\x02\x12\x34\xB5\x33", 7));
    });
    modbus_flush(master.get());
    EXPECT_EQ(modbus_read_registers(master.get(), 0, 1, &value), 1) << modbus_strerror(errno);
    EXPECT_EQ(value, 0x1234);
    good.join();
}

} // namespace
} // namespace dtu::itest
