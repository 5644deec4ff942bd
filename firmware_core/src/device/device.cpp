#include "dtu/device/device.hpp"

#include "device_impl.hpp"
#include "dtu/at/answer.hpp"
#include "dtu/params/store.hpp"
#include "line_settings.hpp"
#include "packing.hpp"
#include "stored_mode.hpp"

namespace dtu::device {

DeviceImpl::DeviceImpl(const profile::Profile& profile, hal::Hal hal)
    : profile_(profile), hal_(hal), engine_(profile, working_, hal),
      packer_(hal.clock,
              [this](std::string frame, bool after_quiet) { on_frame(std::move(frame), after_quiet); }),
      line_(profile.serial.line_max), wait_a_timer_(hal.clock), login_timer_(hal.clock),
      sim_switch_(hal, profile.sim_switch),
      sim_pin_(
          hal, profile.sim_pin.locked_restart_ms, [this](hal::ResetCause cause) { restart(cause); },
          [this](hal::LogLevel level, const std::string& line) { log(level, line); }),
      wall_clock_(hal.clock, hal.modem) {}

DeviceImpl::~DeviceImpl() { hal_.net.set_listener(nullptr); }

void DeviceImpl::boot() {
    boot_ms_ = hal_.clock.now_ms();
    saved_ = load_saved();
    working_ = saved_;
    wall_clock_.power_on();
    hal_.net.set_listener(&links_);
    // Settings take effect at start (spec modes-and-timing §6.2): the line format and the
    // framing come from the saved set.
    hal_.uart.configure(line_settings(profile_.serial, saved_));
    configure_packer();
    hal_.system.set_led(hal::Led::Power, true);
    hal_.system.set_led(hal::Led::Work, true);
    // GAP-39: the start message, framed by CR LF, before any other output. A model without one
    // (the K7 has no AT+STMSG) says nothing.
    if (params::row_for_key(profile_, "STMSG")) reply("\r\n" + std::string(saved_.text("STMSG")) + "\r\n");
    log(hal::LogLevel::Info, std::string(profile_.model) + " " + std::string(profile_.version) +
                                 " started, work mode " + status().work_mode);
    sim_switch_.start(saved_, {[this](std::string_view b) { reply(b); },
                               [this](hal::ResetCause cause) { restart(cause); },
                               [this](hal::LogLevel level, const std::string& line) { log(level, line); }});
    sim_pin_.start(saved_, profile_.sim_pin.param); // after the card is chosen, before registration is used
    start_sms();
    start_network_at();
    start_work_mode();
    start_ntp();
    start_discovery();
    start_websocket();
    start_web_page();
}

void DeviceImpl::start_discovery() {
    if (!profile_.lan.discovery) return;
    DiscoveryService::Hooks hooks;
    // K7 §5.1.2: a written block goes through the AT engine, as network AT does (one validation,
    // one way of keeping a setting).
    hooks.run_at = [this](std::string_view line) { return run_prefixed(line, Channel::NetworkAt); };
    hooks.restart = [this](hal::ResetCause cause) { restart(cause); };
    hooks.log = [this](hal::LogLevel level, const std::string& line) { log(level, line); };
    discovery_ = std::make_unique<DiscoveryService>(profile_, hal_, saved_, working_, std::move(hooks));
    links_.route(DiscoveryService::kLink, discovery_.get());
    discovery_->start();
}

void DeviceImpl::start_websocket() {
    if (profile_.lan.websocket_clients == 0) return;
    if (!hal_.websockets) {
        log(hal::LogLevel::Warn, "websocket: this board has no websocket server; the bridge is off");
        return;
    }
    WebSocketBridge::Hooks hooks;
    hooks.to_serial = [this](std::string_view b) { send(b); };
    hooks.log = [this](hal::LogLevel level, const std::string& line) { log(level, line); };
    websocket_ = std::make_unique<WebSocketBridge>(profile_, *hal_.websockets, saved_, std::move(hooks));
    websocket_->start();
}

void DeviceImpl::start_web_page() {
    if (!profile_.lan.web_page) return;
    if (!hal_.web) {
        log(hal::LogLevel::Warn, "web: this board has no web server; the web page is off");
        return;
    }
    WebPage::Hooks hooks;
    // K7 §5.2: a form's fields go through the AT engine, as the setup protocol's blocks do.
    hooks.run_at = [this](std::string_view line) { return run_prefixed(line, Channel::NetworkAt); };
    hooks.restart = [this](hal::ResetCause cause) { restart(cause); };
    hooks.status = [this] { return status(); };
    hooks.live = [this] { return live(); };
    hooks.log = [this](hal::LogLevel level, const std::string& line) { log(level, line); };
    web_ = std::make_unique<WebPage>(profile_, hal_, saved_, working_, std::move(hooks));
    web_->start();
}

void DeviceImpl::start_ntp() {
    ntp_ = std::make_unique<NtpClient>(
        hal_, wall_clock_, NtpClient::config(saved_),
        [this](hal::LogLevel level, const std::string& line) { log(level, line); });
    links_.route(NtpClient::kLink, ntp_.get());
    ntp_->start();
}

void DeviceImpl::start_sms() {
    SmsService::Hooks hooks;
    hooks.to_serial = [this](std::string_view b) { send(b); };
    hooks.sms_at = [this](std::string_view line) { return run_prefixed(line, Channel::SmsAt); };
    hooks.restart = [this](hal::ResetCause cause) { restart(cause); };
    hooks.log = [this](hal::LogLevel level, const std::string& line) { log(level, line); };
    sms_ = std::make_unique<SmsService>(profile_, hal_, saved_, std::move(hooks));
    engine_.set_sms_sender([this](std::string_view number, hal::SmsEncoding encoding, std::string_view text) {
        return sms_->send_one(number, encoding, text);
    });
}

void DeviceImpl::start_network_at() {
    if (!profile_.lan.network_at_udp) return;
    NetworkAtService::Hooks hooks;
    // K7 §5.3.1 "details are like the serial port command": the device's AT engine, as network AT
    // on a socket runs it (run_prefixed), on the channel AT+ENTM ends.
    hooks.run_at = [this](std::string_view line) { return run_prefixed(line, Channel::LanAt); };
    hooks.restart = [this](hal::ResetCause cause) { restart(cause); };
    hooks.log = [this](hal::LogLevel level, const std::string& line) { log(level, line); };
    network_at_ = std::make_unique<NetworkAtService>(hal_, saved_, std::move(hooks));
    links_.route(NetworkAtService::kLink, network_at_.get());
    network_at_->start();
}

void DeviceImpl::configure_packer() {
    const Packing p = packing(profile_.serial, saved_);
    packer_.configure(p.interval_ms, p.length, profile_.serial.plus_guard_ms);
}

void DeviceImpl::start_work_mode() {
    const ModeContext context{
        profile_,
        hal_,
        saved_,
        mode_hooks(),
        [this](std::string_view line) { return run_prefixed(line, Channel::NetworkAt); },
        links_,
        *sms_};
    work_ = make_work_mode(stored_mode(profile_, saved_), context);
    work_->start();
    if (work_->keeps_command_mode()) enter_command();
}

ModeHooks DeviceImpl::mode_hooks() {
    ModeHooks hooks;
    hooks.to_serial = [this](std::string_view b) { send(b); };
    hooks.reply_to_serial = [this](std::string_view b) { reply(b); };
    hooks.restart = [this](hal::ResetCause cause) { restart(cause); };
    hooks.in_command_mode = [this] { return mode_ == SerialMode::Command; };
    hooks.log = [this](hal::LogLevel level, const std::string& line) { log(level, line); };
    hooks.flow_changed = [this] { update_hold(); };
    return hooks;
}

Outcome DeviceImpl::run_prefixed(std::string_view line, Channel channel) {
    Session no_login; // G771 §2.6.3: password-prefixed AT is not subject to the security login
    const Outcome o = engine_.execute(line, channel, no_login, live());
    ++counters_.at_commands;
    if (o.error) ++counters_.at_errors;
    return o;
}

void DeviceImpl::on_uart_rx(std::string_view bytes) {
    counters_.uart_rx_bytes += bytes.size();
    while (!bytes.empty() && !resetting_) {
        switch (mode_) {
        case SerialMode::Transparent: packer_.push(bytes); return;
        case SerialMode::WaitA: bytes = wait_a_bytes(bytes); break;
        case SerialMode::Command: bytes = command_bytes(bytes); break;
        }
    }
    // Restarting (after AT+Z, AT+S ...): the MCU is about to reset and takes no more input.
    counters_.uart_rx_dropped += bytes.size();
    rx_drops_.dropped(bytes.size(), "the device is restarting");
}

void DeviceImpl::update_hold() {
    // Only transparent data waits for the network; "+++" and AT must get through while it is slow
    // once command mode is entered (the hold itself also keeps "+++" waiting: a flow-controlled
    // UART cannot tell it from data).
    const bool hold = !resetting_ && mode_ == SerialMode::Transparent && work_ && !work_->accepting();
    if (hold == rx_held_) return;
    rx_held_ = hold;
    if (hold) ++counters_.flow_holds;
    log(hal::LogLevel::Debug, hold ? "serial receive held: the network takes data more slowly than the line"
                                   : "serial receive released");
    hal_.uart.hold_rx(hold);
}

Status DeviceImpl::status() const {
    Status s;
    s.profile = std::string(profile_.name);
    for (const auto& spec : profile_.commands)
        if (spec.name == "WKMOD" && saved_.find("WKMOD"))
            s.work_mode = at::format_values(spec, *saved_.find("WKMOD"));
    s.serial_mode = mode_;
    s.logged_in = session_.logged_in;
    s.uptime_ms = hal_.clock.now_ms() - boot_ms_;
    s.counters = counters_;
    s.attached = hal_.net.attached();
    s.clock_synced = wall_clock_.synced();
    if (ntp_) {
        s.ntp_syncs = ntp_->stats().syncs;
        s.ntp_failures = ntp_->stats().failures;
        s.ntp_bad_replies = ntp_->stats().bad_replies;
    }
    if (network_at_) s.network_at = network_at_->status();
    if (work_) work_->report(s);
    if (sms_) s.sms = sms_->counters();
    if (discovery_) s.discovery = discovery_->status();
    if (websocket_) s.websocket = websocket_->status();
    if (web_) s.web = web_->status();
    for (std::size_t i = s.sockets.size(); i < profile_.net.sockets; ++i) {
        SocketStatus idle;
        idle.name = static_cast<char>('A' + i);
        s.sockets.push_back(idle);
    }
    return s;
}

void DeviceImpl::send(std::string_view bytes) {
    counters_.uart_tx_bytes += bytes.size();
    hal_.uart.write(bytes);
}

void DeviceImpl::reply(std::string_view bytes) {
    counters_.uart_tx_bytes += bytes.size();
    hal_.uart.write_reply(bytes);
}

void DeviceImpl::log(hal::LogLevel level, const std::string& line) { hal_.log.write(level, line); }

LiveState DeviceImpl::live() const {
    LiveState s;
    s.uptime_ms = hal_.clock.now_ms() - boot_ms_;
    s.unix_seconds = wall_clock_.unix_ms() / 1000;
    s.tz_quarter_hours = wall_clock_.tz_quarter_hours();
    if (work_) work_->report(s); // AT+SOCKxLK, AT+MQTTSTA
    return s;
}

void DeviceImpl::restart(hal::ResetCause cause) {
    if (resetting_) return;
    resetting_ = true;
    wait_a_timer_.cancel();
    login_timer_.cancel();
    log(hal::LogLevel::Info, "restarting");
    hal_.system.reset(cause);
}

Device::Device(const profile::Profile& profile, hal::Hal hal)
    : impl_(std::make_unique<DeviceImpl>(profile, hal)) {}
Device::~Device() = default;
void Device::boot() { impl_->boot(); }
void Device::on_uart_rx(std::string_view bytes) { impl_->on_uart_rx(bytes); }
Status Device::status() const { return impl_->status(); }

} // namespace dtu::device
