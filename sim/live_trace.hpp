#pragma once
// dtu-sim --trace DIR: the interactive device's serial bytes and connections recorded as a scenario
// run's are (the same TraceRecorder, JSONL and pcapng; scenarios/README.md "Traces"), for a support
// engineer reproducing a field bug from a live session. The header says clock "real". The peers
// are real and not declared in advance: each connection's server is named by the address the
// device dialled ("127.0.0.1:9000"), its connections are numbered 1, 2, ... in the order they
// connect, and its server_accept carries the address and protocol (the pcapng declares it there).
#include <cstdint>
#include <map>
#include <string>
#include <string_view>

#include "hal_sim/scheduler.hpp"
#include "sim/device_host.hpp"
#include "sim/scenario/trace_files.hpp"
#include "sim/scenario/trace_recorder.hpp"

namespace dtu::sim {

class LiveTrace final : public HostObserver {
public:
    /// Times count from scheduler's now; the header names the profile and the seed.
    LiveTrace(const hal_sim::RunnableScheduler& scheduler, const std::string& profile, std::uint64_t seed);

    /// Create DIR/STEM.jsonl and DIR/STEM.pcapng; false with error if either cannot be created.
    bool open(const std::string& dir, const std::string& stem, std::string& error);
    /// Flush and close both; false with error if anything could not be written.
    bool close(std::string& error);

    // HostObserver
    void on_serial_in(std::string_view bytes) override;
    void on_serial_out(std::string_view bytes) override;
    void on_open(hal::LinkId link, hal::Proto proto, std::string_view host, std::uint16_t port) override;
    void on_result(hal::LinkId link, hal::NetError why) override;
    void on_to_device(hal::LinkId link, hal_sim::ConnId conn, std::string_view bytes) override;
    void on_closed(hal::LinkId link, hal::NetError why) override;
    void on_to_server(hal::LinkId link, std::string_view bytes) override;
    void on_device_close(hal::LinkId link) override;

private:
    struct Link {
        std::string server; ///< "host:port" as dialled
        bool udp = false;
        std::uint32_t conn = 0; ///< 0 until connected
    };
    /// The connected link, or nullptr.
    const Link* connected(hal::LinkId link) const;
    void record(scenario::TraceKind kind, const Link& l, std::string_view bytes = {}, QJsonObject info = {});

    scenario::TraceRecorder recorder_;
    scenario::TraceFiles files_;
    std::map<hal::LinkId, Link> links_;
    std::uint32_t conns_ = 0;
};

/// The trace files' stem for a run starting now: "<profile>-<IMEI>-<UTC>", e.g.
/// "g771-868000000000001-20261201T221403Z", so runs into one DIR never overwrite each other.
std::string live_trace_stem(const std::string& profile, const std::string& imei);

} // namespace dtu::sim
