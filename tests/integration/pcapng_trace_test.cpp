// pcapng traces read back by tshark (Wireshark's dissectors): synthesized TCP streams, UDP
// datagrams and serial records decode with good checksums, no TCP analysis warnings, the payloads
// in order and the server names from the Name Resolution Block.
#include <chrono>
#include <map>
#include <string>
#include <vector>

#include <QByteArray>
#include <QFile>
#include <QProcess>
#include <QStandardPaths>
#include <QString>
#include <QStringList>
#include <QTemporaryDir>
#include <gtest/gtest.h>

#include "sim/scenario/pcapng_writer.hpp"

namespace dtu::sim::scenario {
namespace {

using Lines = std::vector<std::string>;

Lines split(const std::string& line) {
    Lines out{""};
    for (char c : line) {
        if (c == '|')
            out.emplace_back();
        else
            out.back() += c;
    }
    return out;
}

// Bytes as tshark shows them ("6869").
std::string hex(const std::string& bytes) { return QByteArray::fromStdString(bytes).toHex().toStdString(); }

// tshark's "61:62" (or "6162") as bytes.
std::string unhex(const std::string& hex) {
    return QByteArray::fromHex(QByteArray::fromStdString(hex).replace(':', "")).toStdString();
}

// tcp.flags.str ("··········A·R" style) as its letters.
std::string letters(const std::string& flags) {
    std::string out;
    for (char c : flags)
        if (c >= 'A' && c <= 'Z') out += c;
    return out;
}

TraceEvent ev(std::uint64_t t, TraceKind kind, std::string server = {}, std::uint32_t conn = 0,
              std::string data = {}, QJsonObject info = {}) {
    return TraceEvent{t, kind, std::move(server), conn, std::move(data), std::move(info)};
}

QJsonObject server(const char* protocol, const char* address) {
    return {{"protocol", protocol}, {"address", address}, {"accept", true}};
}

QJsonObject header() {
    return {{"name", "pcap"},
            {"servers", QJsonObject{{"echo", server("tcp", "Server.Example:9000")},
                                    {"web", server("http", "10.0.0.5:80")},
                                    {"meter", server("udp", "udp.example:9123")},
                                    {"shut", server("tcp", "server.example:9001")}}}};
}

QJsonObject open_info(int link, const char* proto, const char* host, int port) {
    return {{"link", link}, {"proto", proto}, {"host", host}, {"port", port}};
}

std::string big_payload() {
    std::string s;
    for (int i = 0; i < 4000; ++i)
        s += static_cast<char>(i * 7);
    return s;
}

const std::string kRequest = "GET / HTTP/1.1\r\nHost: 10.0.0.5\r\n\r\n";
const std::string kResponse = "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello";

// A run with every network case: accepted, refused by a server, refused by a port nobody listens
// on, timed out, data both ways (one write over 1460 bytes), FIN from each side, RST from the
// server, link_reset, UDP, serial bytes both ways.
std::vector<TraceEvent> run_events() {
    std::vector<TraceEvent> e{
        ev(0, TraceKind::Scenario, {}, 0, {}, header()),
        ev(1000, TraceKind::SerialIn, {}, 0, "AT\r"),
        ev(2000, TraceKind::SerialOut, {}, 0, "\r\nOK\r\n"),
        ev(10000, TraceKind::NetOpen, {}, 0, {}, open_info(0, "tcp", "server.example", 9000)),
        ev(20000, TraceKind::ServerAccept, "echo", 1, {}, {{"accept", true}}),
        ev(20000, TraceKind::NetResult, {}, 0, {}, {{"link", 0}, {"result", "connected"}}),
        ev(30000, TraceKind::ToServer, "echo", 1, "hello\r\n"),
        ev(40000, TraceKind::ToDevice, "echo", 1, "hello\r\n"),
        ev(50000, TraceKind::ToServer, "echo", 1, big_payload()),
        ev(60000, TraceKind::NetOpen, {}, 0, {}, open_info(1, "tcp", "10.0.0.5", 80)),
        ev(70000, TraceKind::ServerAccept, "web", 2, {}, {{"accept", true}}),
        ev(70000, TraceKind::NetResult, {}, 0, {}, {{"link", 1}, {"result", "connected"}}),
        ev(80000, TraceKind::ToServer, "web", 2, kRequest),
        ev(90000, TraceKind::ToDevice, "web", 2, kResponse),
        ev(90000, TraceKind::ServerClose, "web", 2),
        ev(95000, TraceKind::DeviceClose, "web", 2), // already closed: not drawn twice
        ev(100000, TraceKind::NetOpen, {}, 0, {}, open_info(2, "tcp", "server.example", 9001)),
        ev(110000, TraceKind::ServerAccept, "shut", 3, {}, {{"accept", false}}),
        ev(110000, TraceKind::NetResult, {}, 0, {}, {{"link", 2}, {"result", "Refused"}}),
        ev(120000, TraceKind::NetOpen, {}, 0, {}, open_info(3, "tcp", "server.example", 9002)),
        ev(130000, TraceKind::NetResult, {}, 0, {}, {{"link", 3}, {"result", "Refused"}}),
        ev(140000, TraceKind::NetOpen, {}, 0, {}, open_info(4, "tcp", "udp.example", 7)),
        ev(150000, TraceKind::NetResult, {}, 0, {}, {{"link", 4}, {"result", "Timeout"}}),
        ev(160000, TraceKind::NetOpen, {}, 0, {}, open_info(5, "tcp", "nowhere.example", 7)),
        ev(170000, TraceKind::NetResult, {}, 0, {}, {{"link", 5}, {"result", "DnsFailed"}}),
        ev(180000, TraceKind::ServerAccept, "meter", 4),
        ev(180000, TraceKind::ToServer, "meter", 4, "ping"),
        ev(190000, TraceKind::ToDevice, "meter", 4, "pong"),
        ev(200000, TraceKind::DeviceClose, "echo", 1),
        ev(210000, TraceKind::ServerAccept, "echo", 5),
        ev(220000, TraceKind::ToDevice, "echo", 5, "bye"),
        ev(230000, TraceKind::ServerClose, "echo", 5, {}, {{"reset", true}}),
        ev(240000, TraceKind::ServerAccept, "echo", 6),
        ev(250000, TraceKind::ToServer, "echo", 6, "x"),
        ev(260000, TraceKind::LinkReset),
        ev(260000, TraceKind::DeviceClose, "echo", 6, {}, {{"reset", true}}),
        ev(270000, TraceKind::ToServer, "nobody", 7, "lost"), // undeclared server: skipped, counted
        ev(280000, TraceKind::SerialOut, {}, 0, std::string("\0\xff", 2)),
    };
    return e;
}

class PcapngTrace : public ::testing::Test {
protected:
    void SetUp() override {
        if (QStandardPaths::findExecutable("tshark").isEmpty())
            GTEST_FAIL() << "tshark is needed (.ci/install-deps installs it)";
        PcapngWriter writer;
        std::string error;
        ASSERT_TRUE(writer.open(file_.toStdString(), header(), error)) << error;
        for (const TraceEvent& e : run_events())
            writer.write(e);
        ASSERT_TRUE(writer.close(error)) << error;
        EXPECT_EQ(writer.skipped(), 1u);
    }

    // tshark's output for the file with these arguments, one string per line.
    QStringList tshark(QStringList args) const {
        QProcess p;
        p.setProcessChannelMode(QProcess::SeparateChannels);
        p.start("tshark", QStringList{"-r", file_, "-o", "ip.check_checksum:TRUE", "-o",
                                      "tcp.check_checksum:TRUE", "-o", "udp.check_checksum:TRUE"} +
                              args);
        EXPECT_TRUE(p.waitForFinished(60000)) << "tshark did not finish";
        const QString err = QString::fromUtf8(p.readAllStandardError());
        EXPECT_EQ(p.exitCode(), 0) << err.toStdString();
        QStringList lines = QString::fromUtf8(p.readAllStandardOutput()).split('\n', Qt::SkipEmptyParts);
        return lines;
    }
    // The fields of the packets filter selects, "|"-separated, one string per packet.
    Lines fields(const QString& filter, const QStringList& names) const {
        QStringList args{"-Y", filter, "-T", "fields", "-E", "separator=|"};
        for (const QString& n : names)
            args << "-e" << n;
        return tshark_lines(args);
    }
    Lines tshark_lines(const QStringList& args) const {
        Lines out;
        for (const QString& line : tshark(args))
            out.push_back(line.toStdString());
        return out;
    }

    QTemporaryDir dir_;
    QString file_ = dir_.filePath("run.pcapng");
};

TEST_F(PcapngTrace, ChecksumsAreGoodAndTcpAnalysisHasNothingToSay) {
    EXPECT_EQ(fields("ip.checksum.status==Bad || tcp.checksum.status==Bad || udp.checksum.status==Bad",
                     {"frame.number"}),
              Lines{});
    const Lines all_ip = fields("ip", {"frame.number"});
    EXPECT_EQ(fields("ip.checksum.status==Good", {"frame.number"}), all_ip);
    EXPECT_EQ(fields("tcp.checksum.status==Good || udp.checksum.status==Good", {"frame.number"}), all_ip);
    EXPECT_GT(all_ip.size(), 30u);
    EXPECT_EQ(fields("tcp.analysis.flags", {"frame.number", "_ws.expert.message"}), Lines{});
    // Nothing at warning level or above but the resets the events asked for.
    EXPECT_EQ(fields("_ws.expert.severity >= 6291456 && !(tcp.flags.reset == 1)",
                     {"frame.number", "frame.protocols", "_ws.expert.message"}),
              Lines{});
    EXPECT_EQ(fields("_ws.expert.severity >= 6291456", {"frame.number"}),
              fields("tcp.flags.reset == 1", {"frame.number"}));
    EXPECT_EQ(fields("tcp.flags.reset == 1", {"frame.number"}).size(), 5u);
}

TEST_F(PcapngTrace, StreamsCarryThePayloadsBetweenTheRightEndpoints) {
    // Payload bytes per stream and direction, in order.
    std::map<std::string, std::string> streams;
    for (const std::string& line :
         fields("tcp.len > 0", {"ip.src", "tcp.srcport", "ip.dst", "tcp.dstport", "tcp.payload"})) {
        const Lines f = split(line);
        ASSERT_EQ(f.size(), 5u) << line;
        streams[f[0] + ":" + f[1] + ">" + f[2] + ":" + f[3]] += unhex(f[4]);
    }
    EXPECT_EQ(streams.size(), 6u);
    EXPECT_EQ(streams["10.64.0.2:40001>10.65.0.1:9000"], "hello\r\n" + big_payload());
    EXPECT_EQ(streams["10.65.0.1:9000>10.64.0.2:40001"], "hello\r\n");
    EXPECT_EQ(streams["10.64.0.2:40002>10.0.0.5:80"], kRequest);
    EXPECT_EQ(streams["10.0.0.5:80>10.64.0.2:40002"], kResponse);
    EXPECT_EQ(streams["10.65.0.1:9000>10.64.0.2:40005"], "bye");
    EXPECT_EQ(streams["10.64.0.2:40006>10.65.0.1:9000"], "x");
    // The big write went as MSS-sized segments, and HTTP is decoded.
    EXPECT_EQ(fields("tcp.len > 1460", {"frame.number"}), Lines{});
    EXPECT_EQ(fields("tcp.len == 1460", {"frame.number"}).size(), 2u);
    EXPECT_EQ(fields("http.response.code == 200", {"http.response.code"}), Lines{"200"});
}

TEST_F(PcapngTrace, ConnectionsOpenAndCloseAsTheEventsSay) {
    const Lines flags = fields("tcp", {"tcp.srcport", "tcp.dstport", "tcp.flags.str"});
    const auto of = [&](const std::string& port) {
        Lines out;
        for (const std::string& line : flags) {
            const Lines f = split(line);
            if (f[0] == port || f[1] == port) out.push_back(letters(f[2]));
        }
        return out;
    };
    EXPECT_EQ(of("40002"), (Lines{"S", "AS", "A", "AP", "A", "AP", "A", "AF", "AF", "A"}));
    EXPECT_EQ(of("40003"), (Lines{"S", "AR"})); // refused by the server
    EXPECT_EQ(of("50000"), (Lines{"S", "AR"})); // refused: nobody on server.example:9002
    EXPECT_EQ(of("50001"), (Lines{"S"}));       // connect timed out
    EXPECT_EQ(of("40005"), (Lines{"S", "AS", "A", "AP", "A", "AR"}));
    EXPECT_EQ(of("40006"), (Lines{"S", "AS", "A", "AP", "A", "AR", "AR"})); // link_reset
    EXPECT_EQ(fields("udp", {"ip.src", "udp.srcport", "ip.dst", "udp.dstport", "udp.payload"}),
              (Lines{"10.64.0.2|40004|10.65.0.2|9123|" + hex("ping"),
                     "10.65.0.2|9123|10.64.0.2|40004|" + hex("pong")}));
}

TEST_F(PcapngTrace, SerialRecordsAndNamesAreThere) {
    // Direction as the device sees it: 1 inbound (written to it), 2 outbound.
    EXPECT_EQ(fields("frame.interface_name == \"serial\"",
                     {"frame.time_epoch", "frame.packet_flags_direction", "data.data"}),
              (Lines{"1767225600.001000000|0x00000001|" + hex("AT\r"),
                     "1767225600.002000000|0x00000002|" + hex("\r\nOK\r\n"),
                     "1767225600.280000000|0x00000002|00ff"}));
    EXPECT_EQ(fields("frame.interface_name == \"serial\"", {"_ws.col.Protocol"}),
              (Lines{"Serial", "Serial", "Serial"}));
    // Network packets carry the device's direction too.
    EXPECT_EQ(fields("ip.src == 10.64.0.2 && frame.packet_flags_direction != 2", {"frame.number"}), Lines{});
    EXPECT_EQ(fields("ip.dst == 10.64.0.2 && frame.packet_flags_direction != 1", {"frame.number"}), Lines{});
}

TEST_F(PcapngTrace, VirtualTimeStartsAtTheScenarioEpoch) {
    // 2026-01-01T00:00:00Z, as AT+CCLK in a virtual-time scenario: every packet is in 2026, not 1970.
    const Lines times = fields("frame", {"frame.time_epoch"});
    ASSERT_FALSE(times.empty());
    for (const std::string& t : times)
        EXPECT_TRUE(std::stod(t) >= 1767225600.0 && std::stod(t) < 1767225601.0) << t;
}

TEST_F(PcapngTrace, SerialRecordsNameTheirEndsAndWhatTheyCarry) {
    EXPECT_EQ(tshark_lines({"-N", "n", "-Y", "frame.interface_name == \"serial\"", "-T", "fields", "-E",
                            "separator=|", "-e", "_ws.col.Source", "-e", "_ws.col.Destination"}),
              (Lines{"serial-peer|dtu-device", "dtu-device|serial-peer", "dtu-device|serial-peer"}));
    EXPECT_EQ(fields("frame.interface_name == \"serial\"", {"_ws.col.Source", "_ws.col.Destination"}),
              (Lines{"10.64.0.1|10.64.0.2", "10.64.0.2|10.64.0.1", "10.64.0.2|10.64.0.1"}));
    // The Info column's text (exported-PDU tag 36: Wireshark 4.2 shows it, 4.0 keeps it in the record).
    EXPECT_EQ(fields("frame contains \"to the device: AT\\\\r\"", {"frame.number"}).size(), 1u);
    EXPECT_EQ(fields("frame contains \"from the device: \\\\r\\\\nOK\\\\r\\\\n\"", {"frame.number"}).size(),
              1u);
    EXPECT_EQ(fields("frame contains \"from the device: \\\\x00\\\\xff\"", {"frame.number"}).size(), 1u);
}

TEST(PcapngWriter, RealTimeStartsAtTheWallClock) {
    QTemporaryDir dir;
    const QString file = dir.filePath("real.pcapng");
    const auto before = std::chrono::system_clock::now();
    PcapngWriter writer;
    std::string error;
    ASSERT_TRUE(writer.open(file.toStdString(), {{"clock", "real"}}, error)) << error;
    writer.write(ev(1500000, TraceKind::SerialIn, {}, 0, "AT\r"));
    ASSERT_TRUE(writer.close(error)) << error;
    const auto after = std::chrono::system_clock::now();
    QProcess p;
    p.start("tshark", {"-r", file, "-T", "fields", "-e", "frame.time_epoch"});
    ASSERT_TRUE(p.waitForFinished(60000));
    const double t = QString::fromUtf8(p.readAllStandardOutput()).trimmed().toDouble();
    const auto seconds = [](auto tp) { return std::chrono::duration<double>(tp.time_since_epoch()).count(); };
    EXPECT_GE(t, seconds(before) + 1.5 - 0.001);
    EXPECT_LE(t, seconds(after) + 1.5 + 0.001);
}

TEST_F(PcapngTrace, NamesComeFromTheNameResolutionBlock) {
    const Lines hosts = tshark_lines({"-N", "n", "-c", "5", "-Y", "ip", "-T", "fields", "-E", "separator=|",
                                      "-e", "ip.src_host", "-e", "ip.dst_host"});
    EXPECT_EQ(hosts,
              (Lines{"dtu-device|Server.Example", "Server.Example|dtu-device", "dtu-device|Server.Example"}));
}

std::string write_run(const QString& file) {
    PcapngWriter writer;
    std::string error;
    EXPECT_TRUE(writer.open(file.toStdString(), header(), error)) << error;
    for (const TraceEvent& e : run_events())
        writer.write(e);
    EXPECT_TRUE(writer.close(error)) << error;
    QFile f(file);
    EXPECT_TRUE(f.open(QIODevice::ReadOnly));
    return f.readAll().toStdString();
}

TEST(PcapngWriter, SameEventsGiveTheSameBytes) {
    QTemporaryDir dir;
    const std::string first = write_run(dir.filePath("a.pcapng"));
    EXPECT_GT(first.size(), 4000u);
    EXPECT_EQ(first, write_run(dir.filePath("b.pcapng")));
}

TEST(PcapngWriter, BadServerAddressOrPathIsAnError) {
    QTemporaryDir dir;
    PcapngWriter writer;
    std::string error;
    const QJsonObject bad{{"servers", QJsonObject{{"echo", server("tcp", "server.example")}}}};
    EXPECT_FALSE(writer.open(dir.filePath("x.pcapng").toStdString(), bad, error));
    EXPECT_EQ(error, "scenario header: servers.echo.address 'server.example' is not host:port");
    const QJsonObject zero{{"servers", QJsonObject{{"echo", server("tcp", "a:0")}}}};
    EXPECT_FALSE(writer.open(dir.filePath("x.pcapng").toStdString(), zero, error));
    const std::string missing = dir.filePath("no/dir/x.pcapng").toStdString();
    EXPECT_FALSE(writer.open(missing, header(), error));
    EXPECT_EQ(error, missing + ": cannot create: No such file or directory");
}

// K7 §4.2.2 / §4.2.4: `clients:` dial the device, so their SYN goes from their address to the
// device's port, and their datagrams come from their address to it.
TEST_F(PcapngTrace, ClientsDialTheDevicesPort) {
    QJsonObject pc1 = server("tcp", "192.168.0.50:40001");
    pc1.insert("client_port", 23);
    QJsonObject u1 = server("udp", "192.168.0.60:7000");
    u1.insert("client_port", 8899);
    const QJsonObject clients{{"name", "k7"}, {"servers", QJsonObject{{"pc1", pc1}, {"u1", u1}}}};
    PcapngWriter writer;
    std::string error;
    ASSERT_TRUE(writer.open(file_.toStdString(), clients, error)) << error;
    for (const TraceEvent& e :
         {ev(0, TraceKind::Scenario, {}, 0, {}, clients),
          ev(1000, TraceKind::ClientConnect, "pc1", 1, {}, {{"port", 23}}),
          ev(2000, TraceKind::ServerAccept, "pc1", 1, {}, {{"accept", true}}),
          ev(3000, TraceKind::ToDevice, "pc1", 1, "up", {{"link", 1}}),
          ev(4000, TraceKind::ToServer, "pc1", 1, "down"), ev(5000, TraceKind::DeviceClose, "pc1", 1),
          ev(6000, TraceKind::ToDevice, "u1", 2, "dgram", {{"link", 0}}),
          ev(7000, TraceKind::ToServer, "u1", 2, "answer")})
        writer.write(e);
    ASSERT_TRUE(writer.close(error)) << error;
    EXPECT_EQ(writer.skipped(), 0u);
    const Lines tcp = fields("tcp", {"ip.src", "tcp.srcport", "ip.dst", "tcp.dstport", "tcp.flags.str"});
    ASSERT_GE(tcp.size(), 3u);
    const Lines syn = split(tcp[0]);
    EXPECT_EQ(letters(syn.at(4)), "S");
    EXPECT_EQ(syn.at(0) + ":" + syn.at(1) + ">" + syn.at(2) + ":" + syn.at(3),
              "192.168.0.50:40001>10.64.0.2:23")
        << "the client opens the connection to the device's port";
    EXPECT_EQ(fields("tcp.len > 0", {"ip.src", "tcp.payload"}),
              (Lines{"192.168.0.50|" + hex("up"), "10.64.0.2|" + hex("down")}));
    EXPECT_EQ(fields("udp", {"ip.src", "udp.srcport", "ip.dst", "udp.dstport", "udp.payload"}),
              (Lines{"192.168.0.60|7000|10.64.0.2|8899|" + hex("dgram"),
                     "10.64.0.2|8899|192.168.0.60|7000|" + hex("answer")}));
    EXPECT_EQ(fields("tcp.analysis.flags", {"frame.number", "_ws.expert.message"}), Lines{});
}

} // namespace
} // namespace dtu::sim::scenario
