#include "net_measure.hpp"

#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <string>
#include <thread>

#include "net_util.hpp"

namespace dtu::bench {

namespace {

std::string message(int seq) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%07d-payload\n", seq % 10000000);
    return std::string(buf, kMessageSize);
}

[[noreturn]] void fail(const char* why) {
    std::cerr << "dtu_net_bench: " << why << "\n";
    std::exit(1);
}

double ms_since(Clock::time_point t0) { return micros_since(t0) / 1000; }

/// Payload byte at offset i of the throughput stream (letters only).
char stream_byte(std::size_t i) { return static_cast<char>('a' + i % 26); }

} // namespace

std::vector<double> latency_up(Port& serial, int server, int n) {
    std::vector<double> ms;
    char buf[kMessageSize];
    for (int i = 0; i < n + n / 10; ++i) {
        const std::string m = message(i);
        const auto t0 = Clock::now();
        serial.write(m);
        if (!read_exact(server, buf, sizeof buf, 5)) fail("server did not get a message");
        const double dt = ms_since(t0);
        if (std::string(buf, sizeof buf) != m) fail("server got a different message");
        if (i >= n / 10) ms.push_back(dt); // the first 10 % warm up
    }
    return ms;
}

std::vector<double> latency_down(Port& serial, int server, int n) {
    std::vector<double> ms;
    char buf[kMessageSize];
    for (int i = 0; i < n + n / 10; ++i) {
        const std::string m = message(i);
        const auto t0 = Clock::now();
        write_all(server, m);
        if (!read_exact(serial.fd(), buf, sizeof buf, 5)) fail("serial port did not get a message");
        const double dt = ms_since(t0);
        if (std::string(buf, sizeof buf) != m) fail("serial port got a different message");
        if (i >= n / 10) ms.push_back(dt);
    }
    return ms;
}

std::vector<double> latency_up_paced(Port& serial, int server, int n, double period_ms) {
    std::vector<Clock::time_point> sent(n), got(n);
    const auto start = Clock::now() + std::chrono::milliseconds(10);
    std::thread writer([&] {
        for (int i = 0; i < n; ++i) {
            std::this_thread::sleep_until(start +
                                          std::chrono::microseconds(static_cast<long>(i * period_ms * 1000)));
            sent[i] = Clock::now();
            serial.write(message(i));
        }
    });
    char buf[kMessageSize];
    for (int i = 0; i < n; ++i) {
        if (!read_exact(server, buf, sizeof buf, 10)) fail("server did not get a paced message");
        const auto now = Clock::now();
        const int seq = std::atoi(std::string(buf, 7).c_str());
        if (seq != i || std::string(buf, sizeof buf) != message(seq)) fail("paced messages out of order");
        got[seq] = now;
    }
    writer.join();
    std::vector<double> ms;
    for (int i = 0; i < n; ++i)
        ms.push_back(std::chrono::duration<double, std::milli>(got[i] - sent[i]).count());
    return ms;
}

std::vector<double> sleep_overshoot(int n, double ms) {
    std::vector<double> over;
    for (int i = 0; i < n; ++i) {
        const auto t0 = Clock::now();
        std::this_thread::sleep_for(std::chrono::microseconds(static_cast<long>(ms * 1000)));
        over.push_back(ms_since(t0) - ms);
    }
    return over;
}

Throughput push_up(Port& serial, int server, std::size_t bytes) {
    std::string data(bytes, '\0');
    for (std::size_t i = 0; i < bytes; ++i)
        data[i] = stream_byte(i);
    Throughput r;
    r.sent = bytes;
    std::string got(bytes, '\0'); // allocated and touched before the clock starts
    const auto t0 = Clock::now();
    std::thread writer([&] {
        constexpr std::size_t kChunk = 64 * 1024;
        for (std::size_t off = 0; off < bytes; off += kChunk)
            serial.write(std::string_view(data).substr(off, kChunk));
    });
    // The server only reads (into place); the check comes after the clock stops.
    auto last = t0;
    while (r.received < bytes) {
        const std::size_t n = read_some(server, got.data() + r.received, bytes - r.received, 2);
        if (n == 0) break;
        last = Clock::now();
        r.received += n;
    }
    writer.join();
    r.seconds = std::chrono::duration<double>(last - t0).count();
    r.intact = got == data; // all bytes, in order (a short stream leaves zeros)
    return r;
}

std::size_t count_datagrams(Port& serial, int udp, std::size_t bytes, std::size_t frame_size,
                            std::size_t* wrong_size) {
    std::size_t count = 0;
    *wrong_size = 0;
    std::thread reader([&] {
        char buf[65536];
        for (;;) {
            const std::size_t n = read_some(udp, buf, sizeof buf, 1.0);
            if (n == 0) return; // quiet for 1 s
            ++count;
            if (n != frame_size) ++*wrong_size;
        }
    });
    std::string data;
    for (std::size_t i = 0; data.size() < bytes; ++i)
        data += message(static_cast<int>(i));
    data.resize(bytes);
    serial.write(data);
    reader.join();
    return count;
}

} // namespace dtu::bench
