// AT+SSLCRT (GM5 §2.19, G771 §2.6.2, spec mqtt.md §9 GAP-24): PEM text entered with [0D][0A] / [0A]
// escapes, stored decoded per code; content that is not PEM-framed is a parameter error that
// changes nothing.
#include <optional>
#include <string>

#include "dtu/params/nvram_codec.hpp"
#include "dut.hpp"

using namespace dtu::test;

namespace {

const std::string kCert = "-----BEGIN CERTIFICATE-----[0D][0A]MIIBqzCCAVGgAwIBAgICEAAw[0D][0A]"
                          "-----END CERTIFICATE-----[0D][0A]";
const std::string kKey =
    "-----BEGIN PRIVATE KEY-----[0A]MIGHAgEAMBMGByqGSM49[0A]-----END PRIVATE KEY-----[0A]";

/// The values saved under key by AT+S (the NVRAM image the device wrote), if any.
std::optional<std::string> saved_content(Dut& dut, const std::string& key) {
    if (!dut.bench.storage.blob) return std::nullopt;
    const auto image = dtu::params::decode_nvram(*dut.bench.storage.blob, "g771");
    for (const auto& [k, v] : image.entries)
        if (k == key && v.size() == 2) return v[1];
    return std::nullopt;
}

TEST(SslCertificate, PemTextIsAcceptedWithEitherLineBreak) {
    Dut dut;
    dut.enter_command();
    EXPECT_EQ(dut.cmd("AT+SSLCRT=0," + kCert), ok());
    EXPECT_EQ(dut.cmd("AT+SSLCRT=2," + kKey), ok());
    EXPECT_EQ(dut.cmd("AT+SSLCRT=1,\"" + kCert + "\""), ok()) << "GAP-02: quotes are stripped";
    EXPECT_EQ(dut.cmd("AT+S"), ok());
    EXPECT_EQ(saved_content(dut, "SSLCRT0"),
              "-----BEGIN CERTIFICATE-----\r\nMIIBqzCCAVGgAwIBAgICEAAw\r\n-----END CERTIFICATE-----\r\n")
        << "stored decoded";
    EXPECT_EQ(saved_content(dut, "SSLCRT2"),
              "-----BEGIN PRIVATE KEY-----\nMIGHAgEAMBMGByqGSM49\n-----END PRIVATE KEY-----\n");
}

TEST(SslCertificate, ContentThatIsNotPemIsAParameterError) {
    Dut dut;
    dut.enter_command();
    for (const std::string bad : {
             "ABCD",                                                             // GM5's example text
             "MIIBqzCCAVGgAwIBAgICEAAw",                                         // base64 without framing
             "-----BEGIN CERTIFICATE-----[0A]MIIBqzCC[0A]",                      // cut before the end
             "MIIBqzCC[0A]-----END CERTIFICATE-----[0A]",                        // no begin line
             "-----BEGIN CERTIFICATE-----[0A]MIIB[0A]-----END PRIVATE KEY-----", // labels differ
             "-----END CERTIFICATE-----[0A]-----BEGIN CERTIFICATE-----[0A]",     // end before begin
             "-----BEGIN -----[0A]MIIB[0A]-----END -----",                       // no label
         }) {
        EXPECT_EQ(dut.cmd("AT+SSLCRT=0," + bad), err(3)) << bad;
    }
}

TEST(SslCertificate, ARefusedCertificateLeavesTheStoredOne) {
    Dut dut;
    dut.enter_command();
    ASSERT_EQ(dut.cmd("AT+SSLCRT=0," + kCert), ok());
    EXPECT_EQ(dut.cmd("AT+SSLCRT=0,not a certificate"), err(3));
    EXPECT_EQ(dut.cmd("AT+S"), ok());
    EXPECT_EQ(saved_content(dut, "SSLCRT0"),
              "-----BEGIN CERTIFICATE-----\r\nMIIBqzCCAVGgAwIBAgICEAAw\r\n-----END CERTIFICATE-----\r\n");
    EXPECT_EQ(saved_content(dut, "SSLCRT1"), std::nullopt) << "never loaded";
}

} // namespace
