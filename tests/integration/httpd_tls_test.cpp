// HTTPS in HTTPD client mode end to end (G771 §2.3 "V1.3.21 以上 … HTTPD Client 模式下支持 SSL/TLS",
// §2.6.2): certificates loaded by AT+SSLCRT over the PTY, a real `openssl s_server` as the server,
// verification enforced by the simulated module (NONE / PEER / ALL).
#include <gtest/gtest.h>

#include "httpd_device.hpp"
#include "openssl_server.hpp"
#include "test_pki.hpp"
#include "wait.hpp"

namespace dtu::itest {
namespace {

const std::string kRequest = "GET /1.php?data=www.usr.cn HTTP/1.1\r\nHost: 127.0.0.1:";
const std::string kAnswer = "HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nwww.usr.cn";

std::string load(int code, const std::string& pem) {
    return "AT+SSLCRT=" + std::to_string(code) + "," + at_escaped(pem);
}

/// The request reaches the server decrypted; the server's answer reaches the serial port.
void expect_round_trip(HttpdDevice& dut, OpensslServer& server) {
    dut.frame("data=www.usr.cn");
    ASSERT_TRUE(wait_until([&] { return server.output().find(kRequest) != std::string::npos; }, 5s))
        << server.output();
    server.send(kAnswer);
    EXPECT_EQ(dut.port->read_until("www.usr.cn", 5s), "www.usr.cn");
    EXPECT_TRUE(wait_until([&] { return dut.httpd_count("responses") == 1; }, 3s));
}

/// The connect fails as a TLS failure: nothing on the serial port, the reason in the status.
void expect_tls_failure(HttpdDevice& dut, const std::string& reason) {
    dut.frame("data=secret");
    ASSERT_TRUE(wait_until([&] { return dut.httpd_count("failures") == 1; }, 8s));
    EXPECT_EQ(dut.httpd().value("last_error").toString(), "connect failed: TLS handshake failed");
    const auto net = dut.status().value("net").toObject();
    EXPECT_NE(net.value("last_tls_error").toString().toStdString().find(reason), std::string::npos)
        << net.value("last_tls_error").toString().toStdString();
    EXPECT_TRUE(dut.port->expect_silence(200ms)) << dut.port->buffered();
}

TEST(HttpdTls, NoneEncryptsWithoutCheckingTheCertificate) {
    OpensslServer server(test_pki().wrong_host); // not checked: anything goes
    HttpdDevice dut(server.port(), {"AT+SSLEN=ON", "AT+SSLAUTH=NONE"});
    expect_round_trip(dut, server);
}

TEST(HttpdTls, PeerWithTheRightCaConnects) {
    OpensslServer server(test_pki().server);
    HttpdDevice dut(server.port(), {"AT+SSLEN=ON", "AT+SSLAUTH=PEER", load(0, test_pki().ca.cert_pem)});
    expect_round_trip(dut, server);
    const auto links = dut.status().value("net").toObject().value("counters").toObject();
    EXPECT_EQ(links.value("tls_failures").toInteger(-1), 0);
}

TEST(HttpdTls, PeerWithAWrongCaFails) {
    OpensslServer server(test_pki().server);
    HttpdDevice dut(server.port(), {"AT+SSLEN=ON", "AT+SSLAUTH=PEER", load(0, test_pki().other_ca.cert_pem)});
    expect_tls_failure(dut, "unable to get local issuer certificate");
}

TEST(HttpdTls, PeerRefusesAnExpiredCertificate) {
    OpensslServer server(test_pki().expired);
    HttpdDevice dut(server.port(), {"AT+SSLEN=ON", "AT+SSLAUTH=PEER", load(0, test_pki().ca.cert_pem)});
    expect_tls_failure(dut, "certificate has expired");
}

TEST(HttpdTls, PeerRefusesACertificateForAnotherHost) {
    OpensslServer server(test_pki().wrong_host);
    HttpdDevice dut(server.port(), {"AT+SSLEN=ON", "AT+SSLAUTH=PEER", load(0, test_pki().ca.cert_pem)});
    expect_tls_failure(dut, "mismatch");
}

TEST(HttpdTls, AllPresentsTheClientCertificate) {
    const auto& pki = test_pki();
    OpensslServer server(pki.server, {"-Verify", "1", "-CAfile", pki.ca.cert_file.string()});
    HttpdDevice dut(server.port(), {"AT+SSLEN=ON", "AT+SSLAUTH=ALL", load(0, pki.ca.cert_pem),
                                    load(1, pki.client.cert_pem), load(2, pki.client.key_pem)});
    expect_round_trip(dut, server);
    EXPECT_NE(server.output().find("CN = dtu-device"), std::string::npos) << server.output();
}

TEST(HttpdTls, MalformedPemIsRefusedByTheCommandAndChangesNothing) {
    OpensslServer server(test_pki().server);
    HttpdDevice dut(server.port(), {"AT+SSLEN=ON", "AT+SSLAUTH=PEER", load(0, test_pki().ca.cert_pem)});
    // Refused, then saved and restarted: had the bad text been stored, PEER could not verify.
    enter_command_mode(*dut.port);
    EXPECT_EQ(at_command(*dut.port, "AT+SSLCRT=0,not a certificate", "\r\n+CME ERROR:3\r\n"),
              "\r\n+CME ERROR:3\r\n");
    EXPECT_EQ(at_command(*dut.port, "AT+S"), "\r\nOK\r\n");
    EXPECT_EQ(dut.port->read_until(kStartMessage, 3s), kStartMessage);
    expect_round_trip(dut, server);
}

} // namespace
} // namespace dtu::itest
