#include "sim/scenario/board.hpp"

#include "sim/board_snapshot.hpp"

namespace dtu::sim::scenario {
namespace {

std::unique_ptr<hal_sim::NetStack> make_net(hal_sim::Scheduler& scheduler, const BoardConfig& config,
                                            hal_sim::LinkImpairment& link, hal::Log& log) {
    if (!config.io) return hal_sim::make_virtual_net_stack(scheduler, link, log);
    hal_sim::AsioNetOptions options;
    options.redirects = config.redirects;
    return hal_sim::make_host_net_stack(*config.io, scheduler, link, log, std::move(options));
}

std::unique_ptr<hal_sim::VirtualWebSockets> make_websockets(hal_sim::Scheduler& scheduler,
                                                            const profile::Profile& profile,
                                                            hal_sim::NetStack& net, hal::Log& log) {
    hal_sim::VirtualNet* in_process = net.in_process();
    if (!in_process || profile.lan.websocket_clients == 0) return nullptr;
    return std::make_unique<hal_sim::VirtualWebSockets>(scheduler, log,
                                                        [in_process] { return in_process->next_conn_id(); });
}

} // namespace

Board::Board(hal_sim::Scheduler& scheduler, const profile::Profile& profile, const BoardConfig& config,
             BoardObserver& observer)
    : profile_(profile), observer_(observer), log_(observer, config.log_level),
      uart_(
          scheduler, [&observer](std::string_view bytes) { observer.on_serial_out(bytes); },
          config.baud_pacing),
      clock_(scheduler),
      // A reset waits for the answer before it (AT+Z's OK) to cross the line, as the device's own
      // firmware lets its UART finish before it restarts (else the answer would be cut off).
      system_(
          scheduler,
          [this](hal::ResetCause cause) { uart_.after_sent([this, cause] { firmware_.restart(cause); }); }),
      modem_(config.radio ? hal_sim::SimModem(config.identity, *config.radio)
                          : hal_sim::SimModem(config.identity)),
      link_(config.link, config.seed), net_(make_net(scheduler, config, link_, log_)),
      websockets_(make_websockets(scheduler, profile, *net_, log_)), sms_(scheduler, log_),
      firmware_(profile, make_hal(), clock_, modem_, log_, [this] { net_->module_reset(); }) {
    if (config.nvram) storage_.commit(*config.nvram);
    uart_.on_rx([this](std::string_view bytes) { firmware_.serial_rx(bytes); });
    firmware_.set_on_reset([this](hal::ResetCause cause) { observer_.on_reboot(cause); });
    sms_.on_sent([this](const hal_sim::SentMessage& m) { observer_.on_sms_sent(m); });
    if (!config.io) { // virtual time; in real time the network's time is the host's, as in DeviceHost
        // The network's UTC runs with virtual time from a fixed epoch, never from the host's wall clock.
        auto network_time = [&scheduler, start = scheduler.now(), epoch = config.network_epoch] {
            return epoch +
                   std::chrono::duration_cast<std::chrono::system_clock::duration>(scheduler.now() - start);
        };
        modem_.set_time_source(network_time);
        // TLS checks certificate dates against the same time ("expires on day 3" is day 3 of the run).
        if (hal_sim::VirtualNet* in_process = net_->in_process()) in_process->set_network_time(network_time);
    }
}

Board::~Board() { firmware_.stop(); }

void Board::boot() { firmware_.boot(); }

void Board::power_off() { firmware_.power_off(); }

void Board::serial_write(std::string_view bytes) {
    serial_rx_bytes_ += bytes.size();
    uart_.receive(bytes); // the firmware gets them as they cross the line
}

BoardSnapshot Board::snapshot() const {
    BoardSnapshot board =
        common_board_snapshot(std::string(profile_.name), firmware_, system_, link_, *net_, sms_);
    board.serial.tx_bytes = uart_.tx_bytes();
    board.serial.rx_bytes = serial_rx_bytes_;
    board.serial.client_connected = true; // the scenario's serial peer is always there
    board.serial.paced = uart_.paced();
    board.serial.line = uart_.line();
    board.mqtt_service = net_->mqtt_snapshot();
    return board;
}

hal::Hal Board::make_hal() {
    hal::Hal hal{uart_, clock_, storage_, system_, modem_, net_->net(), sms_, net_->mqtt(), crypto_, log_};
    hal.websockets = websockets_.get();
    return hal;
}

} // namespace dtu::sim::scenario
