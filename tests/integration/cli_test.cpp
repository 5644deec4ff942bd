// dtu-sim as a process: command line, ready file, serial link, signals, PTY delivery.
#include <signal.h>
#include <sys/stat.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <map>
#include <ostream>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include <QProcess>
#include <QStringList>
#include <gtest/gtest.h>

#include "at_session.hpp"
#include "net_peer.hpp"
#include "serial_client.hpp"
#include "sim/scenario/trace_jsonl.hpp"
#include "sim_process.hpp"
#include "wait.hpp"

namespace dtu::itest {
namespace {

using namespace std::chrono_literals;
namespace fs = std::filesystem;

TEST(Cli, BaudPacingIsOnOrOff) {
    const RunResult r = run_sim({"--baud-pacing", "fast"});
    EXPECT_TRUE(r.status.exited() && r.status.code == 2) << r.status.describe();
    EXPECT_NE(r.err.find("--baud-pacing must be on or off"), std::string::npos) << r.err;
}

TEST(Cli, HelpExplainsEveryOptionAndExitsZero) {
    const RunResult r = run_sim({"--help"});
    EXPECT_TRUE(r.status.exited() && r.status.code == 0) << r.status.describe();
    for (const char* option : {"--profile", "--state-dir", "--serial-link", "--ready-file", "--imei",
                               "--iccid", "--sn", "--log-level", "--wait-serial", "--baud-pacing", "--help", "--version"})
        EXPECT_NE(r.out.find(option), std::string::npos) << option << " missing from --help:\n" << r.out;
    EXPECT_NE(r.out.find("g771"), std::string::npos) << "profiles are listed";
    EXPECT_NE(r.out.find("picocom -b 115200"), std::string::npos) << "quick start is shown";
    EXPECT_NE(r.out.find("+++"), std::string::npos);
}

TEST(Cli, HelpListsTheSubcommandsAndHowToGetTheirHelp) {
    const RunResult r = run_sim({"--help"});
    ASSERT_TRUE(r.status.exited() && r.status.code == 0) << r.status.describe();
    for (const char* line : {"dtu-sim scenario [options] FILE...", "dtu-sim replay TRACE.jsonl...",
                             "dtu-sim scenario --help", "dtu-sim replay --help"})
        EXPECT_NE(r.out.find(line), std::string::npos) << line << " missing from --help:\n" << r.out;
    // The help it points to is there.
    for (const char* command : {"scenario", "replay"}) {
        const RunResult sub = run_sim({command, "--help"});
        EXPECT_TRUE(sub.status.exited() && sub.status.code == 0) << command << ": " << sub.status.describe();
        EXPECT_NE(sub.out.find(std::string("Usage: dtu-sim ") + command), std::string::npos) << sub.out;
    }
}

TEST(Cli, VersionExitsZero) {
    const RunResult r = run_sim({"--version"});
    EXPECT_TRUE(r.status.exited() && r.status.code == 0) << r.status.describe();
    EXPECT_EQ(r.out.rfind("dtu-sim ", 0), 0u) << r.out;
}

struct BadArgs {
    std::string name; ///< test name suffix
    std::vector<std::string> args;
    std::string mentions; ///< the error message must name the problem
};

void PrintTo(const BadArgs& bad, std::ostream* os) { *os << bad.name; }

class CliRejects : public ::testing::TestWithParam<BadArgs> {};

TEST_P(CliRejects, WithMessageAndExitTwo) {
    TempDir dir;
    std::vector<std::string> args = {"--state-dir", (dir.path() / "state").string()};
    args.insert(args.end(), GetParam().args.begin(), GetParam().args.end());
    const RunResult r = run_sim(args);
    EXPECT_TRUE(r.status.exited() && r.status.code == 2) << r.status.describe() << "\n" << r.err;
    EXPECT_NE(r.err.find(GetParam().mentions), std::string::npos) << r.err;
    EXPECT_TRUE(r.out.empty()) << r.out;
    EXPECT_FALSE(fs::exists(dir.path() / "state")) << "nothing is created for a bad command line";
}

INSTANTIATE_TEST_SUITE_P(
    BadOptions, CliRejects,
    ::testing::Values(BadArgs{"ShortImei", {"--imei", "12345"}, "--imei"},
                      BadArgs{"ImeiLetter", {"--imei", "86800000000000x"}, "15 decimal digits"},
                      BadArgs{"ShortIccid", {"--iccid", "8986"}, "--iccid"},
                      BadArgs{"LongSn", {"--sn", "123456789012345678901"}, "--sn"},
                      BadArgs{"LogLevel", {"--log-level", "loud"}, "--log-level"},
                      BadArgs{"Profile", {"--profile", "nope"}, "unknown profile"},
                      BadArgs{"UnknownOption", {"--no-such-option"}, "no-such-option"},
                      BadArgs{"Positional", {"stray"}, "unexpected argument"}),
    [](const ::testing::TestParamInfo<BadArgs>& info) { return info.param.name; });

TEST(Sim, ReadyFileNamesThePtyAndPid) {
    SimProcess sim;
    ASSERT_TRUE(sim.start());
    EXPECT_EQ(sim.ready_pid(), sim.pid());
    EXPECT_EQ(sim.serial().rfind("/dev/pts/", 0), 0u) << sim.serial();
    struct stat st {};
    ASSERT_EQ(::stat(sim.serial().c_str(), &st), 0);
    EXPECT_TRUE(S_ISCHR(st.st_mode));
    EXPECT_NE(sim.out().find("serial port " + sim.serial()), std::string::npos) << "banner: " << sim.out();
    EXPECT_TRUE(fs::is_directory(sim.state_dir()));
}

TEST(Sim, SerialLinkPointsToThePtyAndReplacesAStaleOne) {
    TempDir links;
    const fs::path link = links.path() / "ttyDTU0";
    fs::create_symlink("/dev/pts/stale-from-a-crashed-run", link);
    SimProcess sim({"--serial-link", link.string()});
    ASSERT_TRUE(sim.start());
    EXPECT_EQ(fs::read_symlink(link), sim.serial());
    EXPECT_NE(sim.out().find("(link " + link.string() + ")"), std::string::npos) << sim.out();
    SerialClient client(link.string()); // the link is usable as the port itself
    EXPECT_EQ(client.read_until(kStartMessage, 3s), kStartMessage);
}

TEST(Sim, SigtermExitsZeroAndCleansUp) {
    TempDir links;
    const fs::path link = links.path() / "ttyDTU0";
    SimProcess sim({"--serial-link", link.string()});
    ASSERT_TRUE(sim.start());
    ASSERT_TRUE(fs::is_symlink(link));
    sim.signal(SIGTERM);
    const auto status = sim.wait_exit(5s);
    ASSERT_TRUE(status.has_value()) << "still running 5 s after SIGTERM";
    EXPECT_TRUE(status->exited() && status->code == 0) << status->describe() << "\n" << sim.err();
    EXPECT_FALSE(fs::exists(fs::symlink_status(link))) << "link removed";
    EXPECT_FALSE(fs::exists(sim.ready_file())) << "ready file removed";
}

TEST(Sim, SigintExitsZero) {
    SimProcess sim;
    ASSERT_TRUE(sim.start());
    sim.signal(SIGINT);
    const auto status = sim.wait_exit(5s);
    ASSERT_TRUE(status.has_value());
    EXPECT_TRUE(status->exited() && status->code == 0) << status->describe();
}

TEST(Sim, WaitSerialBootsWhenTheClientOpensThePort) {
    SimProcess sim({"--wait-serial"});
    ASSERT_TRUE(sim.start()); // with --wait-serial the ready file comes before the boot
    SerialClient client(sim.serial());
    EXPECT_EQ(client.read_until(kStartMessage, 3s), kStartMessage);
    EXPECT_TRUE(client.expect_silence(100ms)) << "booted once: " << client.buffered();
}

TEST(Sim, OutputWrittenWithoutAClientIsDeliveredToTheNextClient) {
    SimProcess sim;
    ASSERT_TRUE(sim.start()); // booted: the start message went out while nobody had the port open
    SerialClient client(sim.serial());
    EXPECT_EQ(client.read_until(kStartMessage, 3s), kStartMessage);
}

TEST(Sim, ClientCanLeaveAndComeBack) {
    SimProcess sim;
    ASSERT_TRUE(sim.start());
    {
        SerialClient first(sim.serial());
        EXPECT_EQ(first.read_until(kStartMessage, 3s), kStartMessage);
    }
    SerialClient second(sim.serial());
    ASSERT_TRUE(second.expect_silence(100ms)); // T1: idle line before +++
    second.write("+++");
    // Real AT engine: the module answers "a" to "+++" in transparent mode.
    EXPECT_EQ(second.read_until("a", 2s), "a");
}

TEST(Sim, RestartKeepsTheStateDir) {
    SimProcess sim;
    ASSERT_TRUE(sim.start());
    const std::string first_serial = sim.serial();
    ASSERT_TRUE(sim.restart());
    EXPECT_TRUE(fs::is_directory(sim.state_dir()));
    SerialClient client(sim.serial());
    EXPECT_EQ(client.read_until(kStartMessage, 3s), kStartMessage);
}

/// sim (started) has connected to server, and client has read the start message; the line is idle.
::testing::AssertionResult connected_and_idle(const SimProcess& sim, TcpServer& server,
                                              SerialClient& client) {
    if (!server.accept(5s))
        return ::testing::AssertionFailure() << "the device did not connect: " << sim.err();
    if (client.read_until(kStartMessage, 3s) != kStartMessage)
        return ::testing::AssertionFailure() << "no start message: " << client.buffered();
    if (!client.expect_silence(100ms))
        return ::testing::AssertionFailure() << "output: " << client.buffered();
    return ::testing::AssertionSuccess();
}

TEST(Sim, AtOptionPointsTheDeviceAtAServerWithoutSavingIt) {
    TcpServer server;
    SimProcess sim(
        {"--at", "AT+SOCKA=TCP,127.0.0.1," + std::to_string(server.port()), "--at", "AT+HEARTEN=OFF"});
    ASSERT_TRUE(sim.start());
    SerialClient client(sim.serial());
    ASSERT_TRUE(connected_and_idle(sim, server, client)) << "(the commands are not echoed to the port)";
    client.write("hello from the PTY");
    EXPECT_EQ(server.read_until("PTY", 3s), "hello from the PTY");
    server.write("hi device");
    EXPECT_EQ(client.read_until("device", 3s), "hi device");
    // In force for this run only: the state dir has nothing saved.
    EXPECT_FALSE(fs::exists(sim.state_dir() / "nvram.bin"));
}

TEST(Sim, AtOptionSettingsStayInForceAcrossARestart) {
    TcpServer server;
    SimProcess sim({"--at", "AT+SOCKA=TCP,127.0.0.1," + std::to_string(server.port())});
    ASSERT_TRUE(sim.start());
    SerialClient client(sim.serial());
    ASSERT_TRUE(connected_and_idle(sim, server, client));
    enter_command_mode(client);
    client.write("AT+Z\r");
    EXPECT_NE(client.read_until(kStartMessage, 5s).find(kStartMessage), std::string::npos);
    EXPECT_TRUE(server.accept(5s)) << "after AT+Z the device dials the --at server again: " << sim.err();
    EXPECT_FALSE(fs::exists(sim.state_dir() / "nvram.bin"));
}

TEST(Sim, AtOptionWithAtSSavesTheSettings) {
    TcpServer server;
    SimProcess sim({"--at", "AT+SOCKA=TCP,127.0.0.1," + std::to_string(server.port()), "--at", "AT+S"});
    ASSERT_TRUE(sim.start());
    ASSERT_TRUE(server.accept(5s)) << sim.err();
    EXPECT_TRUE(fs::exists(sim.state_dir() / "nvram.bin")) << "AT+S saved";
    // A start without --at uses what was saved.
    ASSERT_TRUE(sim.restart());
    EXPECT_TRUE(server.accept(5s)) << "the saved SOCKA is used: " << sim.err();
}

TEST(Sim, AtOptionAnsweredWithAnErrorStopsTheStartWithExitTwo) {
    TempDir dir;
    const fs::path ready = dir.path() / "ready.json";
    const RunResult r = run_sim({"--state-dir", (dir.path() / "state").string(), "--ready-file",
                                 ready.string(), "--at", "AT+VER", "--at", "AT+SOCKA=TCP", "--at", "AT+S"});
    EXPECT_TRUE(r.status.exited() && r.status.code == 2) << r.status.describe() << "\n" << r.err;
    EXPECT_NE(r.err.find("--at \"AT+SOCKA=TCP\": the device answered +CME ERROR:"), std::string::npos)
        << r.err;
    EXPECT_FALSE(fs::exists(ready)) << "never ready";
    EXPECT_FALSE(fs::exists(dir.path() / "state" / "nvram.bin")) << "the AT+S after the error did not run";
}

TEST(Cli, EmptyAtCommandIsAUsageError) {
    const RunResult r = run_sim({"--at", ""});
    EXPECT_TRUE(r.status.exited() && r.status.code == 2) << r.status.describe();
    EXPECT_NE(r.err.find("--at needs a command"), std::string::npos) << r.err;
}

TEST(Sim, LogLinesHaveAnIsoTimestampWithDateAndZoneAndTheImeiInTheTag) {
    SimProcess sim({"--imei", "868000000000019", "--log-level", "debug"});
    ASSERT_TRUE(sim.start());
    ASSERT_TRUE(wait_until([&] { return sim.err().find("started, work mode") != std::string::npos; }, 5s))
        << sim.err();
    sim.stop();
    // 2026-12-01T22:14:03.123+00:00 INFO  [g771/868000000000019] ...
    const std::regex line(
        R"(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}[+-]\d{2}:\d{2} (DEBUG|INFO |WARN |ERROR) )"
        R"(\[(g771|dtu-sim)/868000000000019\] .+)");
    std::istringstream lines(sim.err());
    int device_lines = 0;
    for (std::string l; std::getline(lines, l);) {
        EXPECT_TRUE(std::regex_match(l, line)) << l;
        if (l.find("[g771/868000000000019]") != std::string::npos) ++device_lines;
    }
    EXPECT_GT(device_lines, 0) << sim.err();
}

/// The one file in dir whose name ends with suffix ("" if none or several).
fs::path only_file(const fs::path& dir, const std::string& suffix) {
    fs::path found;
    int count = 0;
    for (const auto& entry : fs::directory_iterator(dir)) {
        const std::string name = entry.path().filename().string();
        if (name.size() >= suffix.size() &&
            name.compare(name.size() - suffix.size(), suffix.size(), suffix) == 0) {
            found = entry.path();
            ++count;
        }
    }
    return count == 1 ? found : fs::path();
}

/// tshark's fields of the packets filter selects, one line per packet.
std::vector<std::string> tshark_fields(const fs::path& file, const QString& filter,
                                       const QStringList& fields) {
    QStringList args{"-r",         QString::fromStdString(file.string()), "-Y", filter, "-T", "fields", "-E",
                     "separator=|"};
    for (const QString& f : fields)
        args << "-e" << f;
    QProcess p;
    p.start("tshark", args);
    EXPECT_TRUE(p.waitForFinished(60000)) << "tshark did not finish";
    EXPECT_EQ(p.exitCode(), 0) << p.readAllStandardError().toStdString();
    std::vector<std::string> lines;
    for (const QString& line : QString::fromUtf8(p.readAllStandardOutput()).split('\n', Qt::SkipEmptyParts))
        lines.push_back(line.toStdString());
    return lines;
}

TEST(Sim, TraceRecordsTheLiveSessionAsJsonlAndPcapng) {
    using dtu::sim::scenario::TraceKind;
    TcpServer server;
    TempDir traces;
    const auto started = std::chrono::system_clock::now();
    SimProcess sim({"--trace", (traces.path() / "live").string(), "--at",
                    "AT+SOCKA=TCP,127.0.0.1," + std::to_string(server.port()), "--at", "AT+HEARTEN=OFF"});
    ASSERT_TRUE(sim.start());
    SerialClient client(sim.serial());
    ASSERT_TRUE(connected_and_idle(sim, server, client));
    client.write("ping from the PTY");
    ASSERT_EQ(server.read_until("PTY", 3s), "ping from the PTY");
    server.write("pong from the server");
    ASSERT_EQ(client.read_until("server", 3s), "pong from the server");
    sim.signal(SIGINT);
    const auto status = sim.wait_exit(5s);
    ASSERT_TRUE(status && status->exited() && status->code == 0) << sim.err();

    const fs::path jsonl = only_file(traces.path() / "live", ".jsonl");
    const fs::path pcapng = only_file(traces.path() / "live", ".pcapng");
    ASSERT_FALSE(jsonl.empty() || pcapng.empty()) << "one .jsonl and one .pcapng in the trace dir";
    EXPECT_EQ(jsonl.stem(), pcapng.stem());
    EXPECT_EQ(jsonl.filename().string().rfind("g771-868000000000001-", 0), 0u) << jsonl;

    const auto trace = dtu::sim::scenario::read_jsonl_trace(jsonl.string());
    EXPECT_TRUE(trace.errors.empty()) << trace.errors.front();
    ASSERT_FALSE(trace.events.empty());
    EXPECT_EQ(trace.events.front().info.value("clock").toString().toStdString(), "real");
    std::map<TraceKind, std::string> bytes;
    std::map<TraceKind, int> count;
    const std::string server_name = "127.0.0.1:" + std::to_string(server.port());
    for (const auto& e : trace.events) {
        bytes[e.kind] += e.data;
        ++count[e.kind];
        if (e.kind == TraceKind::ToServer || e.kind == TraceKind::ToDevice ||
            e.kind == TraceKind::ServerAccept) {
            EXPECT_EQ(e.server, server_name);
            EXPECT_EQ(e.conn, 1u);
        }
    }
    EXPECT_EQ(bytes[TraceKind::SerialIn], "ping from the PTY");
    EXPECT_EQ(bytes[TraceKind::SerialOut].rfind(std::string(kStartMessage), 0), 0u)
        << bytes[TraceKind::SerialOut];
    EXPECT_NE(bytes[TraceKind::SerialOut].find("pong from the server"), std::string::npos);
    EXPECT_EQ(bytes[TraceKind::ToServer], "ping from the PTY");
    EXPECT_EQ(bytes[TraceKind::ToDevice], "pong from the server");
    EXPECT_EQ(count[TraceKind::NetOpen], 1);
    EXPECT_EQ(count[TraceKind::ServerAccept], 1);
    EXPECT_EQ(count[TraceKind::DeviceClose], 1) << "the device closed its link when it stopped";

    // Wireshark reads the same: the TCP stream both ways, the serial records, at the time of the run.
    EXPECT_EQ(tshark_fields(pcapng, "tcp.len > 0", {"ip.dst", "tcp.dstport", "tcp.payload"}),
              (std::vector<std::string>{"127.0.0.1|" + std::to_string(server.port()) + "|" +
                                            QByteArray("ping from the PTY").toHex().toStdString(),
                                        "10.64.0.2|40001|" +
                                            QByteArray("pong from the server").toHex().toStdString()}));
    const auto serial = tshark_fields(pcapng, "frame.interface_name == \"serial\"", {"frame.time_epoch"});
    EXPECT_GE(serial.size(), 3u) << "start message, ping, pong";
    const double run_start = std::chrono::duration<double>(started.time_since_epoch()).count();
    for (const std::string& t : serial) {
        EXPECT_GE(std::stod(t), run_start - 1) << t;
        EXPECT_LE(std::stod(t), run_start + 60) << t;
    }
}

TEST(Sim, TraceIntoADirThatCannotBeCreatedFailsTheStart) {
    TempDir dir;
    const fs::path file = dir.path() / "a-file";
    { std::ofstream(file) << "x"; }
    SimProcess sim({"--trace", (file / "sub").string()});
    EXPECT_FALSE(sim.start(3s));
    EXPECT_NE(sim.err().find("--trace: "), std::string::npos) << sim.err();
}

} // namespace
} // namespace dtu::itest
