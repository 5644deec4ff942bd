// hal_sim::MosquittoMqtt over TLS (G771 §2.6.2): libmosquitto with the shared SSL_CTX of the
// TlsContextCache, through the relay's link, against a mosquitto TLS listener built from the test
// PKI. Verification failures come back as TlsFailed with OpenSSL's reason in last_error.
#include <string>

#include "mqtt_harness.hpp"
#include "test_pki.hpp"

namespace dtu::itest {
namespace {

using hal::MqttError;
using hal::TlsAuth;

class MqttTlsTest : public MqttHarness {
protected:
    /// A broker with a plain listener (0, for mosquitto_sub) and a TLS listener (1) using cert.
    static BrokerOptions tls_broker(const PkiIdentity& cert, bool require_client_certificate = false) {
        const TestPki& pki = test_pki();
        BrokerOptions o;
        BrokerListener tls;
        tls.tls = true;
        tls.cafile = pki.ca.cert_file;
        tls.certfile = cert.cert_file;
        tls.keyfile = cert.key_file;
        tls.require_certificate = require_client_certificate;
        o.listeners = {BrokerListener{}, tls};
        return o;
    }
    /// connect() to the TLS listener of broker with params (kept alive here for the call).
    void connect_tls(const MosquittoBroker& broker, const hal::TlsParams& tls,
                     const std::string& host = "localhost") {
        const std::size_t ok = ev.count(MKind::Connected), failed = ev.count(MKind::Failed);
        hal::MqttConnect p;
        p.host = host;
        p.port = broker.port(1);
        p.client_id = "dtu-tls";
        p.tls = &tls;
        {
            InCall guard(ev);
            mqtt->connect(p);
        }
        run([&] { return ev.count(MKind::Connected) > ok || ev.count(MKind::Failed) > failed; }, 15s);
    }
    bool connected() const { return mqtt->snapshot().state == hal_sim::MqttServiceState::Connected; }
    std::string last_error() const { return mqtt->snapshot().last_error; }

    static hal::TlsParams peer(const PkiIdentity& ca) {
        hal::TlsParams t;
        t.auth = TlsAuth::Peer;
        t.sni = true;
        t.ca_pem = ca.cert_pem;
        return t;
    }
};

TEST_F(MqttTlsTest, AVerifiedBrokerConnectsAndCarriesMessages) {
    const TestPki& pki = test_pki();
    MosquittoBroker broker(tls_broker(pki.server));
    MqttSubscriber sub(broker.port(0), "/PubTopic1");
    const hal::TlsParams tls = peer(pki.ca);
    connect_tls(broker, tls);
    ASSERT_TRUE(connected()) << last_error() << "\n" << broker.log();
    EXPECT_TRUE(mqtt->snapshot().tls);
    ASSERT_TRUE(publish("/PubTopic1", "over tls", 1));
    EXPECT_TRUE(run([&] { return sub.has("/PubTopic1 over tls"); }));
    const auto l = relay_link();
    ASSERT_TRUE(l) << "TLS goes through the relay's link too";
    EXPECT_EQ(l->remote, "127.0.0.1:" + std::to_string(broker.port(1)));
}

TEST_F(MqttTlsTest, AnIpAddressIsCheckedAgainstTheCertificatesIpSan) {
    const TestPki& pki = test_pki();
    MosquittoBroker broker(tls_broker(pki.server));
    const hal::TlsParams tls = peer(pki.ca);
    connect_tls(broker, tls, "127.0.0.1");
    EXPECT_TRUE(connected()) << last_error();
}

TEST_F(MqttTlsTest, AnUnknownCaIsTlsFailedWithTheReason) {
    const TestPki& pki = test_pki();
    MosquittoBroker broker(tls_broker(pki.server));
    const hal::TlsParams tls = peer(pki.other_ca);
    connect_tls(broker, tls);
    ASSERT_EQ(ev.count(MKind::Failed), 1u);
    EXPECT_EQ(ev.last(MKind::Failed)->why, MqttError::TlsFailed);
    // OpenSSL's verification reason (the broker sends its chain up to the unknown root).
    EXPECT_NE(last_error().find("self-signed certificate in certificate chain"), std::string::npos)
        << last_error();
    // and the service is ready for the next connect
    const hal::TlsParams good = peer(pki.ca);
    connect_tls(broker, good);
    EXPECT_TRUE(connected()) << last_error();
}

TEST_F(MqttTlsTest, ACertificateForAnotherHostIsTlsFailed) {
    const TestPki& pki = test_pki();
    MosquittoBroker broker(tls_broker(pki.wrong_host));
    const hal::TlsParams tls = peer(pki.ca);
    connect_tls(broker, tls);
    ASSERT_EQ(ev.count(MKind::Failed), 1u);
    EXPECT_EQ(ev.last(MKind::Failed)->why, MqttError::TlsFailed);
    EXPECT_NE(last_error().find("hostname mismatch"), std::string::npos) << last_error();
}

TEST_F(MqttTlsTest, NoVerificationAcceptsAnyCertificate) {
    const TestPki& pki = test_pki();
    MosquittoBroker broker(tls_broker(pki.wrong_host));
    hal::TlsParams tls;
    tls.auth = TlsAuth::None;
    connect_tls(broker, tls);
    EXPECT_TRUE(connected()) << last_error();
}

TEST_F(MqttTlsTest, MutualAuthenticationNeedsTheClientCertificate) {
    const TestPki& pki = test_pki();
    MosquittoBroker broker(tls_broker(pki.server, /*require_client_certificate=*/true));
    const hal::TlsParams without = peer(pki.ca);
    connect_tls(broker, without);
    ASSERT_EQ(ev.count(MKind::Failed), 1u);
    EXPECT_EQ(ev.last(MKind::Failed)->why, MqttError::TlsFailed) << last_error();

    hal::TlsParams with = peer(pki.ca);
    with.auth = TlsAuth::Mutual;
    with.cert_pem = pki.client.cert_pem;
    with.key_pem = pki.client.key_pem;
    connect_tls(broker, with);
    EXPECT_TRUE(connected()) << last_error() << "\n" << broker.log();
}

TEST_F(MqttTlsTest, SettingsThatCannotWorkFailWithoutAConnection) {
    hal::TlsParams tls;
    tls.auth = TlsAuth::Peer; // and no CA
    MosquittoBroker broker(tls_broker(test_pki().server));
    connect_tls(broker, tls);
    ASSERT_EQ(ev.count(MKind::Failed), 1u);
    EXPECT_EQ(ev.last(MKind::Failed)->why, MqttError::TlsFailed);
    EXPECT_EQ(net->counters().opens, 0u) << "nothing was opened";
}

} // namespace
} // namespace dtu::itest
