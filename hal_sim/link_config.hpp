#pragma once
// What the simulated cellular link does to traffic, per direction (Toxiproxy's "upstream" =
// device -> server, "downstream" = server -> device). Plain data: the control API and the CLI
// fill it, LinkImpairment applies it. See docs/link.md for the model.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace dtu::hal_sim {

enum class JitterDistribution : std::uint8_t { Uniform, Normal };
enum class LossModel : std::uint8_t { Independent, GilbertElliott };

/// Gilbert–Elliott two-state loss: per packet, Good -> Bad with p, Bad -> Good with r; a packet
/// is lost with loss_good in Good and loss_bad in Bad.
struct GilbertElliott {
    double p = 0.0;
    double r = 1.0;
    double loss_good = 0.0;
    double loss_bad = 1.0;
};

struct DirectionConfig {
    double latency_ms = 0.0; ///< fixed one-way delay added to every packet / TCP chunk
    double jitter_ms = 0.0;  ///< uniform: +-jitter; normal: standard deviation (never below 0 total)
    JitterDistribution jitter = JitterDistribution::Uniform;
    double loss = 0.0; ///< Independent: probability a packet is lost (0..1)
    LossModel loss_model = LossModel::Independent;
    GilbertElliott gilbert;
    double bandwidth_kbps = 0.0; ///< 0 = unlimited; serialisation delay at this rate (kbit/s)
    bool stall = false;          ///< link up, nothing moves in this direction, nothing is closed
};

struct LinkConfig {
    bool attached = true;            ///< network registration: false drops sockets, connects fail
    bool dns_failure = false;        ///< every name lookup fails
    bool refuse_connections = false; ///< every TCP connect fails as refused
    double connect_delay_ms = 0.0;   ///< extra time a connect takes (one round trip is added too)
    DirectionConfig upstream;
    DirectionConfig downstream;
    /// TCP "loss" model: a lost TCP chunk is not dropped (TCP would retransmit it); it is delayed
    /// by this retransmission timeout instead, and the chunks behind it wait (in-order stream).
    double tcp_retransmit_ms = 200.0;
};

/// Named link profiles: "none", "lte", "cat1", "gprs". nullopt for an unknown name.
std::optional<LinkConfig> link_profile(std::string_view name);
/// The names link_profile knows, for --help and errors.
std::string_view link_profile_names();

} // namespace dtu::hal_sim
