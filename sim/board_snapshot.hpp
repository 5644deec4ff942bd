#pragma once
// The part of a BoardSnapshot every board has (firmware lifecycle, resets, link, net, SMS centre),
// filled the same way for the real-time DeviceHost and the scenario runner's Board. The board adds
// what only it has (the PTY's counters, the MQTT service).
#include <cstddef>
#include <string>

#include "hal_sim/link_impairment.hpp"
#include "hal_sim/sim_system.hpp"
#include "hal_sim/sms_center.hpp"
#include "sim/firmware_runner.hpp"
#include "sim/json_codec.hpp"

namespace dtu::sim {

/// Net is a hal_sim::NetStack, AsioNet or VirtualNet (snapshot(), listeners(), counters(),
/// last_tls_error()).
template <typename Net>
BoardSnapshot common_board_snapshot(std::string profile, const FirmwareRunner& firmware,
                                    const hal_sim::SimSystem& system, const hal_sim::LinkImpairment& link,
                                    const Net& net, const hal_sim::SmsCenter& sms) {
    BoardSnapshot board;
    board.profile = std::move(profile);
    if (firmware.booted()) board.firmware = firmware.status();
    board.boot_count = firmware.boots();
    for (std::size_t i = 0; i < hal_sim::SimSystem::kCauseCount; ++i) {
        const auto cause = static_cast<hal::ResetCause>(i);
        board.resets.emplace_back(hal_sim::SimSystem::cause_name(cause), system.resets(cause));
    }
    board.serial_rx_without_firmware = firmware.rx_bytes_without_firmware();
    board.link_upstream = link.counters(hal_sim::Direction::Upstream);
    board.link_downstream = link.counters(hal_sim::Direction::Downstream);
    board.net_links = net.snapshot();
    board.net_listeners = net.listeners();
    board.net = net.counters();
    board.net_last_tls_error = net.last_tls_error();
    board.sms_center = sms.counters();
    return board;
}

} // namespace dtu::sim
