#include "dtu/mqtt/aliyun.hpp"

namespace dtu::mqtt {
namespace {

/// The first empty field, named by its AT command, or nullptr.
const char* missing_field(const AliyunDevice& d) {
    if (d.region.empty()) return "AT+ALIREGION";
    if (d.product_key.empty()) return "AT+ALIPRODKEY";
    if (d.device_name.empty()) return "AT+ALIDEVNAME";
    if (d.device_secret.empty()) return "AT+ALIDEVSEC";
    if (d.device_id.empty()) return "AT+ALIDEVID";
    return nullptr;
}

} // namespace

std::string upper_hex(const hal::Sha1Digest& digest) {
    static constexpr char kDigits[] = "0123456789ABCDEF";
    std::string out;
    out.reserve(digest.size() * 2);
    for (std::uint8_t b : digest) {
        out.push_back(kDigits[b >> 4]);
        out.push_back(kDigits[b & 0x0F]);
    }
    return out;
}

// The scheme is Alibaba Cloud IoT Platform's, not the USR manuals' (they only name the fields):
// "Establish MQTT connections over TCP" / "MQTT-TCP connection guide"
// (https://www.alibabacloud.com/help/en/iot/user-guide/establish-mqtt-connections-over-tcp,
//  https://help.aliyun.com/en/iot/developer-reference/mqtt-tcp-access-instructions) and the IPv6 page
// (https://www.alibabacloud.com/help/en/iot/user-guide/ipv6-based-mqtt-connections):
//   broker        ${ProductKey}.iot-as-mqtt.${RegionId}.aliyuncs.com:1883
//   mqttClientId  clientId + "|securemode=3,signmethod=hmacsha1|"  (securemode=2 over TLS)
//   mqttUsername  deviceName + "&" + productKey
//   mqttPassword  hex(HMAC(deviceSecret, content)), content = the submitted parameters
//                 (clientId, deviceName, productKey; timestamp left out) sorted by name, each as
//                 name followed by value, concatenated without separators.
AliyunLogin aliyun_login(const AliyunDevice& d, bool tls, hal::Crypto& crypto) {
    AliyunLogin login;
    if (const char* field = missing_field(d)) {
        login.error = std::string(field) + " is empty";
        return login;
    }
    login.host = std::string(d.product_key) + ".iot-as-mqtt." + std::string(d.region) + ".aliyuncs.com";
    login.port = 1883;
    login.client_id = std::string(d.device_id) + "|securemode=" + (tls ? "2" : "3") + ",signmethod=hmacsha1|";
    login.username = std::string(d.device_name) + "&" + std::string(d.product_key);
    const std::string content = "clientId" + std::string(d.device_id) + "deviceName" +
                                std::string(d.device_name) + "productKey" + std::string(d.product_key);
    hal::Sha1Digest mac{};
    if (!crypto.hmac_sha1(d.device_secret, content, mac)) {
        login.error = "HMAC-SHA1 is not available";
        return login;
    }
    login.password = upper_hex(mac);
    return login;
}

} // namespace dtu::mqtt
