#pragma once
// Aliyun IoT quick access, WKMOD=MQTT,ALI (G771 §2.5.2, GM5 §3.2; spec mqtt.md §8, GAP-24): the
// broker and the CONNECT credentials derived from the device's "triple" and device id.
#include <cstdint>
#include <string>
#include <string_view>

#include "dtu/hal/crypto.hpp"

namespace dtu::mqtt {

/// AT+ALIREGION, AT+ALIPRODKEY, AT+ALIDEVNAME, AT+ALIDEVSEC, AT+ALIDEVID.
struct AliyunDevice {
    std::string_view region;
    std::string_view product_key;
    std::string_view device_name;
    std::string_view device_secret;
    std::string_view device_id;
};

/// Where and how to connect; `error` says why not when a field is missing or the MAC failed.
struct AliyunLogin {
    std::string host;
    std::uint16_t port = 1883;
    std::string client_id;
    std::string username;
    std::string password;
    std::string error;
    bool ok() const { return error.empty(); }
};

/// Alibaba Cloud's "one device, one secret" MQTT sign-in with HMAC-SHA1 (securemode 3 = TCP,
/// 2 = TLS). Every field must be non-empty.
AliyunLogin aliyun_login(const AliyunDevice& device, bool tls, hal::Crypto& crypto);

/// Upper-case hex of a digest ("0A1B...").
std::string upper_hex(const hal::Sha1Digest& digest);

} // namespace dtu::mqtt
