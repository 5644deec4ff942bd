// The user-default set beside the saved set in one NVRAM image (spec modes-and-timing §6.3,
// GAP-16): every commit of the saved set keeps it, and the boot never reads it as saved values.
// AT+CFGTF / AT+RELD themselves: lte7s4_persistence_test.cpp.
#include "dtu/params/nvram_codec.hpp"
#include "dut.hpp"

using namespace dtu::test;

namespace {

/// The NVRAM image with a user-default HEARTTM=77 added to what is there.
std::string with_user_heartbeat(const std::string& blob) {
    auto decoded = dtu::params::decode_nvram(blob, "g771");
    EXPECT_EQ(decoded.status, dtu::params::DecodeStatus::Ok);
    dtu::params::Store image;
    for (auto& [key, values] : decoded.entries)
        image.set(key, values);
    image.set("user.HEARTTM", {"77"});
    return dtu::params::encode_nvram(image, "g771");
}

bool has_entry(const std::string& blob, const std::string& key, const std::string& value) {
    for (const auto& [k, v] : dtu::params::decode_nvram(blob, "g771").entries)
        if (k == key) return v == dtu::params::Values{value};
    return false;
}

} // namespace

TEST(UserDefaults, SaveAndClearKeepTheUserSetAndBootIgnoresIt) {
    Dut dut;
    dut.configure({"AT+HEARTTM=40"});
    dut.bench.storage.blob = with_user_heartbeat(*dut.bench.storage.blob);
    dut.bench.log.lines.clear();
    dut.bench.power_on(); // power cycle
    for (const auto& [level, line] : dut.bench.log.lines)
        EXPECT_NE(level, dtu::hal::LogLevel::Warn) << line;
    dut.enter_command();
    EXPECT_EQ(dut.cmd("AT+HEARTTM"), answer("HEARTTM", "40")) << "the saved value, not the user default";
    EXPECT_EQ(dut.cmd("AT+HEARTTM=50"), ok());
    EXPECT_EQ(dut.cmd("AT+S"), ok());
    EXPECT_TRUE(has_entry(*dut.bench.storage.blob, "HEARTTM", "50"));
    EXPECT_TRUE(has_entry(*dut.bench.storage.blob, "user.HEARTTM", "77")) << "AT+S kept the user set";
    dut.reboot();
    dut.enter_command();
    EXPECT_EQ(dut.cmd("AT+CLEAR"), ok());
    EXPECT_FALSE(has_entry(*dut.bench.storage.blob, "HEARTTM", "50"));
    EXPECT_TRUE(has_entry(*dut.bench.storage.blob, "user.HEARTTM", "77")) << "AT+CLEAR kept the user set";
    dut.reboot();
    dut.enter_command();
    EXPECT_EQ(dut.cmd("AT+HEARTTM"), answer("HEARTTM", "30"));
}
