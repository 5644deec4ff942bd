#include "sim/device_host.hpp"

#include <stdexcept>
#include <string>

#include "sim/boot_commands.hpp"

namespace dtu::sim {
namespace {

hal_sim::AsioNetOptions net_options(const DeviceConfig& config, hal_sim::HostPorts& ports) {
    hal_sim::AsioNetOptions o;
    o.ntp_port = config.ntp_port;
    o.ports = &ports;
    return o;
}

} // namespace

DeviceHost::DeviceHost(boost::asio::io_context& io, const profile::Profile& profile,
                       const DeviceConfig& config, hal::Log& host_log)
    : profile_(profile), config_(config),
      device_log_(std::string(profile.name) + "/" + config.identity.imei, config.log_level),
      uart_(io, host_log, hal_sim::PtyUart::kDefaultQueueLimit, config.baud_pacing), scheduler_(io),
      clock_(scheduler_), storage_(config.state_dir, host_log),
      system_(scheduler_, [this](hal::ResetCause cause) { firmware_.restart(cause); }),
      modem_(config.radio ? hal_sim::SimModem(config.identity, *config.radio)
                          : hal_sim::SimModem(config.identity)),
      link_(config.link, config.seed), ports_(config.listen_address),
      net_(hal_sim::make_host_net_stack(io, scheduler_, link_, device_log_, net_options(config, ports_))),
      sms_(scheduler_, host_log),
      websockets_(profile.lan.websocket_clients > 0
                      ? std::make_unique<hal_sim::BeastWebSockets>(io, ports_, device_log_)
                      : nullptr),
      web_(profile.lan.web_page ? std::make_unique<hal_sim::BeastWebServer>(io, ports_, device_log_)
                                : nullptr),
      firmware_(profile, make_hal(), clock_, modem_, host_log, [this] { net_->module_reset(); }) {
    uart_.on_rx([this](std::string_view bytes) {
        if (observer_) observer_->on_serial_in(bytes);
        firmware_.serial_rx(bytes);
    });
}

DeviceHost::~DeviceHost() { stop(); }

std::string DeviceHost::apply_at_commands(const std::vector<std::string>& commands) {
    scenario::BoardConfig twin;
    twin.identity = config_.identity;
    twin.radio = config_.radio;
    twin.seed = config_.seed;
    if (std::string blob; storage_.load(blob)) twin.nvram = std::move(blob);
    BootCommandsResult result = run_boot_commands(profile_, twin, commands);
    if (!result.error.empty()) return result.error;
    if (result.saved && !storage_.commit(*result.saved)) // a host failure, not the command's
        throw std::runtime_error("--at: AT+S could not save to " + storage_.path().string());
    run_storage_.set_overlay(std::move(result.in_force));
    return {};
}

void DeviceHost::set_observer(HostObserver* observer) {
    observer_ = observer;
    net_->set_observer(observer);
}

void DeviceHost::start() { uart_.start(); }

void DeviceHost::boot() {
    if (!stopped_) firmware_.boot();
}

void DeviceHost::stop() {
    if (stopped_) return;
    stopped_ = true;
    firmware_.stop();
    if (websockets_) websockets_->stop();
    if (web_) web_->stop();
    uart_.stop();
}

void DeviceHost::power_off() { firmware_.power_off(); }

hal::Hal DeviceHost::make_hal() {
    hal::Hal hal{observed_uart_, clock_, run_storage_, system_, modem_,
                 net_->net(),    sms_,   net_->mqtt(), crypto_, device_log_};
    hal.websockets = websockets_.get();
    hal.web = web_.get();
    return hal;
}

} // namespace dtu::sim
