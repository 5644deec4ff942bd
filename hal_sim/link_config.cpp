#include "hal_sim/link_config.hpp"

namespace dtu::hal_sim {

namespace {

DirectionConfig direction(double latency_ms, double jitter_ms, double bandwidth_kbps) {
    DirectionConfig d;
    d.latency_ms = latency_ms;
    d.jitter_ms = jitter_ms;
    d.jitter = JitterDistribution::Normal;
    d.bandwidth_kbps = bandwidth_kbps;
    return d;
}

// The numbers below are TYPICAL values from public descriptions of these networks, chosen to make
// a device "feel" like one on such a network; they are not measurements of any operator.
//
// lte: LTE round trips of roughly 30-70 ms are what field reports (e.g. OpenSignal's yearly network
//   reports) usually show; 25 ms each way with 5 ms of jitter sits in that range. No loss (the
//   radio layer's HARQ/RLC retransmissions hide most loss from IP), no bandwidth cap (a DTU's serial
//   port is far slower than LTE).
LinkConfig lte() {
    LinkConfig c;
    c.upstream = direction(25.0, 5.0, 0.0);
    c.downstream = direction(25.0, 5.0, 0.0);
    return c;
}

// cat1: LTE UE category 1 (the G771's modem class): peak 10.3 Mbit/s down / 5.2 Mbit/s up
//   (3GPP TS 36.306, UE category 1) -> 10 / 5 Mbit/s. Low-cost Cat-1 modules on loaded cells show
//   longer and more variable delays than a phone: 40 ms each way, 10 ms jitter, 0.5 % residual
//   packet loss.
LinkConfig cat1() {
    LinkConfig c;
    c.upstream = direction(40.0, 10.0, 5000.0);
    c.downstream = direction(40.0, 10.0, 10000.0);
    c.upstream.loss = 0.005;
    c.downstream.loss = 0.005;
    return c;
}

// gprs: 2G data. GPRS round trips of 600-1000 ms are commonly cited (e.g. the GSMA / 3GPP-era
//   "TCP over 2.5G" literature, RFC 3481 "TCP over Second (2.5G) and Third (3G) Generation Wireless
//   Networks"); 300 ms each way with 80 ms of jitter. Throughput of a multislot class 10 terminal:
//   about 80 kbit/s down (4 slots) and 40 kbit/s up (2 slots). Loss 2 % on average, in bursts
//   (radio fades): Gilbert–Elliott with mean burst length 1/r = 2.5 packets and p chosen so that the
//   stationary loss p / (p + r) is 2 %. TCP's retransmission timeout on such a path is about a second.
LinkConfig gprs() {
    LinkConfig c;
    c.upstream = direction(300.0, 80.0, 40.0);
    c.downstream = direction(300.0, 80.0, 80.0);
    for (DirectionConfig* d : {&c.upstream, &c.downstream}) {
        d->loss_model = LossModel::GilbertElliott;
        d->gilbert.r = 0.4;
        d->gilbert.p = 0.02 * 0.4 / 0.98; // p / (p + r) = 0.02
        d->gilbert.loss_good = 0.0;
        d->gilbert.loss_bad = 1.0;
        d->loss = 0.02; // for display: the stationary loss of the chain above
    }
    c.tcp_retransmit_ms = 1000.0;
    return c;
}

} // namespace

std::optional<LinkConfig> link_profile(std::string_view name) {
    if (name == "none") return LinkConfig{};
    if (name == "lte") return lte();
    if (name == "cat1") return cat1();
    if (name == "gprs") return gprs();
    return std::nullopt;
}

std::string_view link_profile_names() { return "none, lte, cat1, gprs"; }

} // namespace dtu::hal_sim
