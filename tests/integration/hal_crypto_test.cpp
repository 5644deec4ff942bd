// hal_sim::OpenSslCrypto's HMAC-SHA1, and the firmware's Aliyun sign-in (spec mqtt.md §8) computed
// on it, against Python's hmac module run at test time: an independent implementation, so neither
// the expected values nor the derivation are copied from the code under test.
#include <chrono>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "dtu/mqtt/aliyun.hpp"
#include "hal_sim/openssl_crypto.hpp"
#include "sim_process.hpp"

namespace dtu::itest {
namespace {

std::string hex(std::string_view bytes) {
    static constexpr char kDigits[] = "0123456789abcdef";
    std::string out;
    for (unsigned char c : bytes) {
        out.push_back(kDigits[c >> 4]);
        out.push_back(kDigits[c & 0x0F]);
    }
    return out;
}

/// Run a Python snippet with arguments; its standard output without the trailing newline.
std::string python(const std::string& code, const std::vector<std::string>& args) {
    TempDir dir;
    SpawnOptions spawn;
    spawn.argv = {"python3", "-c", code};
    spawn.argv.insert(spawn.argv.end(), args.begin(), args.end());
    spawn.stdout_file = dir.path() / "out";
    spawn.stderr_file = dir.path() / "err";
    ChildProcess child(spawn);
    const auto status = child.wait(std::chrono::seconds(20));
    EXPECT_TRUE(status && status->exited() && status->code == 0) << "python3 failed";
    std::ifstream in(spawn.stdout_file);
    std::string out{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
    while (!out.empty() && (out.back() == '\n' || out.back() == '\r'))
        out.pop_back();
    return out;
}

/// HMAC-SHA1(key, data) in upper-case hex, by Python. Arguments travel as hex: any bytes, NUL too.
std::string python_hmac(std::string_view key, std::string_view data) {
    return python("import hmac, hashlib, sys\n"
                  "k, d = bytes.fromhex(sys.argv[1]), bytes.fromhex(sys.argv[2])\n"
                  "print(hmac.new(k, d, hashlib.sha1).hexdigest().upper())",
                  {hex(key), hex(data)});
}

TEST(OpenSslCrypto, HmacSha1MatchesPython) {
    const struct {
        std::string key, data;
    } cases[] = {
        {"key", "The quick brown fox jumps over the lazy dog"},
        {"", ""},
        {std::string(80, '\xaa'), "a key longer than the SHA-1 block is hashed first"},
        {std::string("k\0y", 3), std::string("d\0t\xff\x80", 5)},
        {"s3cr3t", "clientId12345deviceNameGM5_TESTproductKeya1BtHkUDKT"},
    };
    hal_sim::OpenSslCrypto crypto;
    for (const auto& c : cases) {
        hal::Sha1Digest mac{};
        ASSERT_TRUE(crypto.hmac_sha1(c.key, c.data, mac));
        const std::string want = python_hmac(c.key, c.data);
        ASSERT_EQ(want.size(), 40u) << "python3's answer: " << want;
        EXPECT_EQ(mqtt::upper_hex(mac), want) << "key " << hex(c.key) << ", data " << hex(c.data);
    }
}

TEST(OpenSslCrypto, AliyunSignInMatchesPython) {
    const struct {
        const char *region, *product_key, *device_name, *secret, *device_id;
    } devices[] = {
        {"cn-shanghai", "a1BtHkUDKT", "GM5_TEST", "s3cr3t", "12345"},
        {"ap-southeast-1", "a1X2bEnP82z", "example1", "ga7XA6KdlEeiPXQPpRbAjOZXwG8yFFFF",
         "02401322081900001968"},
    };
    hal_sim::OpenSslCrypto crypto;
    for (const auto& d : devices) {
        const auto login = mqtt::aliyun_login({d.region, d.product_key, d.device_name, d.secret, d.device_id},
                                              false, crypto);
        ASSERT_TRUE(login.ok()) << login.error;
        // Alibaba Cloud's published sign-in, written out in Python from the field values alone.
        const std::string want =
            python("import hmac, hashlib, sys\n"
                   "region, pk, dn, ds, cid = sys.argv[1:]\n"
                   "params = {'productKey': pk, 'deviceName': dn, 'clientId': cid}\n"
                   "content = ''.join(k + params[k] for k in sorted(params))\n"
                   "print(pk + '.iot-as-mqtt.' + region + '.aliyuncs.com')\n"
                   "print(cid + '|securemode=3,signmethod=hmacsha1|')\n"
                   "print(dn + '&' + pk)\n"
                   "print(hmac.new(ds.encode(), content.encode(), hashlib.sha1).hexdigest().upper())",
                   {d.region, d.product_key, d.device_name, d.secret, d.device_id});
        EXPECT_EQ(login.host + "\n" + login.client_id + "\n" + login.username + "\n" + login.password, want);
    }
}

} // namespace
} // namespace dtu::itest
