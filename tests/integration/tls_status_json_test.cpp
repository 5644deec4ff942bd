// The control API's status JSON for TLS links (docs/control-api.md "Status": net.links[].tls,
// net.counters.tls_failures / tls_errors, net.last_tls_error), from a real AsioNet TLS link to an
// `openssl s_server` and a real failed handshake. (No work mode of the G771 profile opens TLS links
// yet, so dtu-sim itself cannot show one: this drives the codec with what the net reports.)
#include <chrono>
#include <optional>

#include <QJsonArray>
#include <QJsonObject>
#include <boost/asio/io_context.hpp>
#include <gtest/gtest.h>

#include "hal_sim/asio_net.hpp"
#include "hal_sim/asio_scheduler.hpp"
#include "hal_sim/host_log.hpp"
#include "openssl_server.hpp"
#include "run_io.hpp"
#include "sim/json_codec.hpp"
#include "test_pki.hpp"

namespace dtu::itest {
namespace {

using namespace std::chrono_literals;

struct Outcomes final : hal::NetListener {
    int connected = 0, failed = 0;
    void on_connected(hal::LinkId) override { ++connected; }
    void on_connect_failed(hal::LinkId, hal::NetError) override { ++failed; }
    void on_data(hal::LinkId, std::string_view) override {}
    void on_closed(hal::LinkId, hal::NetError) override {}
    void on_attach_changed(bool) override {}
};

TEST(TlsStatusJson, LinksShowTlsAndTheNetKeepsTheLastError) {
    boost::asio::io_context io;
    hal_sim::AsioScheduler scheduler(io);
    hal_sim::HostLog log{"tls-json", hal::LogLevel::Warn};
    hal_sim::LinkImpairment link{hal_sim::LinkConfig{}, 1};
    hal_sim::AsioNet net(io, scheduler, link, log);
    Outcomes ev;
    net.set_listener(&ev);
    OpensslServer server(test_pki().server);

    hal::TlsParams p;
    p.auth = hal::TlsAuth::Peer;
    p.ca_pem = test_pki().other_ca.cert_pem; // wrong CA: fails
    net.open(1, hal::Proto::Tcp, "127.0.0.1", server.port(), &p);
    ASSERT_TRUE(run_until(
        io, [&] { return ev.failed == 1; }, 10s));
    p.ca_pem = test_pki().ca.cert_pem;
    net.open(0, hal::Proto::Tcp, "127.0.0.1", server.port(), &p);
    ASSERT_TRUE(run_until(
        io, [&] { return ev.connected == 1; }, 10s));

    sim::BoardSnapshot board;
    board.net_links = net.snapshot();
    board.net = net.counters();
    board.net_last_tls_error = net.last_tls_error();
    const QJsonObject json = sim::status_to_json(board).value("net").toObject();

    const QJsonArray links = json.value("links").toArray();
    ASSERT_EQ(links.size(), 1);
    const QJsonObject tls = links.at(0).toObject().value("tls").toObject();
    EXPECT_EQ(tls.value("version").toString(), "TLSv1.2");
    EXPECT_FALSE(tls.value("cipher").toString().isEmpty());
    EXPECT_EQ(tls.value("verified").toBool(false), true);
    EXPECT_EQ(json.value("counters").toObject().value("tls_failures").toInteger(), 1);
    EXPECT_EQ(json.value("counters").toObject().value("tls_errors").toInteger(-1), 0);
    EXPECT_EQ(json.value("last_tls_error").toString().toStdString(),
              "link B: TLS handshake with 127.0.0.1:" + std::to_string(server.port()) +
                  " failed: unable to get local issuer certificate");
}

TEST(TlsStatusJson, PlainLinksHaveNullTls) {
    sim::BoardSnapshot board;
    hal_sim::NetLinkSnapshot plain;
    board.net_links.push_back(plain);
    const QJsonObject json = sim::status_to_json(board).value("net").toObject();
    EXPECT_TRUE(json.value("links").toArray().at(0).toObject().value("tls").isNull());
    EXPECT_TRUE(json.value("last_tls_error").isNull());
}

} // namespace
} // namespace dtu::itest
