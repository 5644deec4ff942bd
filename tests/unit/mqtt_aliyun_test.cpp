// Aliyun quick access (WKMOD=MQTT,ALI): the broker and CONNECT credentials derived from the triple
// (spec mqtt.md §8, GAP-24; Alibaba Cloud's MQTT-TCP sign-in). The MAC itself is the HAL's; the real
// HMAC-SHA1 is checked against Python in hal_crypto_test.
#include <gtest/gtest.h>

#include "dtu/mqtt/aliyun.hpp"
#include "fake_hal.hpp"

using dtu::mqtt::aliyun_login;
using dtu::mqtt::AliyunDevice;

namespace {

const AliyunDevice kDevice{"cn-shanghai", "a1BtHkUDKT", "GM5_TEST", "s3cr3t", "12345"}; // GM5 §3.2.2 names

} // namespace

TEST(Aliyun, DerivedBrokerAndCredentials) {
    dtu::test::FakeCrypto crypto;
    const auto login = aliyun_login(kDevice, false, crypto);
    ASSERT_TRUE(login.ok()) << login.error;
    EXPECT_EQ(login.host, "a1BtHkUDKT.iot-as-mqtt.cn-shanghai.aliyuncs.com");
    EXPECT_EQ(login.port, 1883);
    EXPECT_EQ(login.client_id, "12345|securemode=3,signmethod=hmacsha1|");
    EXPECT_EQ(login.username, "GM5_TEST&a1BtHkUDKT");
    // The MAC is keyed with the DeviceSecret over the sorted name/value pairs.
    EXPECT_EQ(crypto.calls, 1);
    EXPECT_EQ(crypto.last_key, "s3cr3t");
    EXPECT_EQ(crypto.last_data, "clientId12345deviceNameGM5_TESTproductKeya1BtHkUDKT");
    dtu::hal::Sha1Digest expected{};
    dtu::test::FakeCrypto reference;
    ASSERT_TRUE(reference.hmac_sha1("s3cr3t", crypto.last_data, expected));
    EXPECT_EQ(login.password, dtu::mqtt::upper_hex(expected));
    EXPECT_EQ(login.password.size(), 40u);
}

TEST(Aliyun, TlsUsesSecureMode2) {
    dtu::test::FakeCrypto crypto;
    const auto login = aliyun_login(kDevice, true, crypto);
    ASSERT_TRUE(login.ok());
    EXPECT_EQ(login.client_id, "12345|securemode=2,signmethod=hmacsha1|");
    EXPECT_EQ(login.port, 1883);
}

TEST(Aliyun, UpperHex) {
    dtu::hal::Sha1Digest d{};
    for (std::size_t i = 0; i < d.size(); ++i)
        d[i] = static_cast<std::uint8_t>(i * 13 + 0x0A);
    EXPECT_EQ(dtu::mqtt::upper_hex(d), "0A1724313E4B5865727F8C99A6B3C0CDDAE7F401");
}

TEST(Aliyun, EveryFieldIsRequired) {
    dtu::test::FakeCrypto crypto;
    const struct {
        const char* command;
        AliyunDevice device;
    } cases[] = {
        {"AT+ALIREGION", {"", "pk", "dn", "ds", "id"}}, {"AT+ALIPRODKEY", {"r", "", "dn", "ds", "id"}},
        {"AT+ALIDEVNAME", {"r", "pk", "", "ds", "id"}}, {"AT+ALIDEVSEC", {"r", "pk", "dn", "", "id"}},
        {"AT+ALIDEVID", {"r", "pk", "dn", "ds", ""}},
    };
    for (const auto& c : cases) {
        const auto login = aliyun_login(c.device, false, crypto);
        EXPECT_FALSE(login.ok());
        EXPECT_EQ(login.error, std::string(c.command) + " is empty");
        EXPECT_TRUE(login.password.empty());
    }
    EXPECT_EQ(crypto.calls, 0) << "nothing is signed with a missing field";
}

TEST(Aliyun, NoMacNoLogin) {
    dtu::test::FakeCrypto crypto;
    crypto.available = false;
    const auto login = aliyun_login(kDevice, false, crypto);
    EXPECT_FALSE(login.ok());
    EXPECT_EQ(login.error, "HMAC-SHA1 is not available");
}
