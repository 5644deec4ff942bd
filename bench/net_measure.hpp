#pragma once
// The measurements of dtu_net_bench, each on a serial port (PTY) and the server's socket behind it.
// Messages are 16 bytes, "NNNNNNN-payload\n" (NNNNNNN = sequence number), never containing "+++".
#include <cstddef>
#include <vector>

#include "bench_util.hpp"

namespace dtu::bench {

constexpr std::size_t kMessageSize = 16;

/// One-way latency in ms, one message at a time: write to the PTY -> the server has read all 16
/// bytes. n counted messages after n/10 warm-up ones.
std::vector<double> latency_up(Port& serial, int server, int n);
/// The reverse: the server writes -> all 16 bytes read from the PTY.
std::vector<double> latency_down(Port& serial, int server, int n);
/// Serial -> server one-way latency in ms of n messages written every period_ms (not waiting for
/// each: several may be in flight), matched by sequence number.
std::vector<double> latency_up_paced(Port& serial, int server, int n, double period_ms);

/// Reference for timer overshoot: n sleeps of ms in this process, each minus ms (ms).
std::vector<double> sleep_overshoot(int n, double ms);

struct Throughput {
    std::size_t sent = 0, received = 0;
    double seconds = 0;  ///< first write -> last byte read by the server
    bool intact = false; ///< every byte arrived, in order
    double mb_per_s() const { return seconds > 0 ? static_cast<double>(received) / 1e6 / seconds : 0; }
};
/// Write `bytes` to the PTY as fast as it takes them while the server reads; stop when all arrived
/// or nothing arrived for 2 s.
Throughput push_up(Port& serial, int server, std::size_t bytes);

/// Write `bytes` to the PTY in one go and count the datagrams the UDP socket receives until it has
/// been quiet for 1 s. *wrong_size counts datagrams that are not frame_size bytes.
std::size_t count_datagrams(Port& serial, int udp, std::size_t bytes, std::size_t frame_size,
                            std::size_t* wrong_size);

} // namespace dtu::bench
