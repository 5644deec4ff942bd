#include "sim/scenario/virtual_board.hpp"

#include "sim/board_snapshot.hpp"

namespace dtu::sim::scenario {

VirtualBoard::VirtualBoard(hal_sim::Scheduler& scheduler, const profile::Profile& profile,
                           const VirtualBoardConfig& config, BoardObserver& observer)
    : profile_(profile), observer_(observer), log_(observer, config.log_level),
      uart_([&observer](std::string_view bytes) { observer.on_serial_out(bytes); }), clock_(scheduler),
      system_(scheduler, [this](hal::ResetCause cause) { firmware_.restart(cause); }),
      modem_(config.radio ? hal_sim::SimModem(config.identity, *config.radio)
                          : hal_sim::SimModem(config.identity)),
      link_(config.link, config.seed), net_(scheduler, link_, log_), sms_(scheduler, log_),
      mqtt_(scheduler, log_), firmware_(profile, make_hal(), clock_, modem_, log_, [this] {
          mqtt_.reset();
          net_.close_all();
      }) {
    firmware_.set_on_reset([this](hal::ResetCause cause) { observer_.on_reboot(cause); });
    sms_.on_sent([this](const hal_sim::SentMessage& m) { observer_.on_sms_sent(m); });
    // As DeviceHost: registration and credit of the active SIM are the modem's half of the data
    // link's attach; SMS needs registration only.
    modem_.set_change_handler([this] {
        net_.set_radio_attached(modem_.data_ready());
        sms_.registration_changed();
    });
    sms_.set_registration([this] { return modem_.registered(); });
    // The network's UTC runs with virtual time from a fixed epoch, never from the host's wall clock.
    modem_.set_time_source([&scheduler, start = scheduler.now(), epoch = config.network_epoch] {
        return epoch +
               std::chrono::duration_cast<std::chrono::system_clock::duration>(scheduler.now() - start);
    });
    net_.set_radio_attached(modem_.data_ready());
}

VirtualBoard::~VirtualBoard() {
    firmware_.stop();
    modem_.set_change_handler(nullptr);
}

void VirtualBoard::boot() { firmware_.boot(); }

void VirtualBoard::power_off() { firmware_.power_off(); }

void VirtualBoard::serial_write(std::string_view bytes) {
    serial_rx_bytes_ += bytes.size();
    firmware_.serial_rx(bytes);
}

BoardSnapshot VirtualBoard::snapshot() const {
    BoardSnapshot board =
        common_board_snapshot(std::string(profile_.name), firmware_, system_, link_, net_, sms_);
    board.serial.tx_bytes = uart_.tx_bytes();
    board.serial.rx_bytes = serial_rx_bytes_;
    board.serial.client_connected = true; // the scenario's serial peer is always there
    return board;
}

hal::Hal VirtualBoard::make_hal() {
    return hal::Hal{uart_, clock_, storage_, system_, modem_, net_, sms_, mqtt_, crypto_, log_};
}

} // namespace dtu::sim::scenario
