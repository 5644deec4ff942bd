#include "dtu/device/device.hpp"

#include "device_impl.hpp"
#include "dtu/at/answer.hpp"

namespace dtu::device {

DeviceImpl::DeviceImpl(const profile::Profile& profile, hal::Hal hal)
    : profile_(profile), hal_(hal), engine_(profile, working_, hal),
      packer_(hal.clock,
              [this](std::string frame, bool after_quiet) { on_frame(std::move(frame), after_quiet); }),
      line_(profile.limits.line_max), wait_a_timer_(hal.clock), login_timer_(hal.clock) {}

void DeviceImpl::boot() {
    boot_ms_ = hal_.clock.now_ms();
    saved_ = load_saved();
    working_ = saved_;
    // Settings take effect at start (spec modes-and-timing §6.2): framing comes from the saved set.
    packer_.configure(static_cast<std::uint32_t>(saved_.number("UARTFT", 0, 50)),
                      static_cast<std::size_t>(saved_.number("UARTFL", 0, 1024)));
    hal_.system.set_led(hal::Led::Power, true);
    hal_.system.set_led(hal::Led::Work, true);
    // GAP-39: the start message, framed by CR LF, before any other output.
    send("\r\n" + std::string(saved_.text("STMSG")) + "\r\n");
    log(hal::LogLevel::Info, std::string(profile_.model) + " " + std::string(profile_.version) +
                                 " started, work mode " + status().work_mode);
    start_work_mode();
}

void DeviceImpl::start_work_mode() {
    if (saved_.text("WKMOD") != "NET") {
        log(hal::LogLevel::Warn,
            "work mode " + status().work_mode + " is not simulated yet: serial data is dropped");
        return;
    }
    NetMode::Hooks hooks;
    hooks.to_serial = [this](std::string_view b) { send(b); };
    hooks.network_at = [this](std::string_view line) {
        Session no_login;
        const Outcome o = engine_.execute(line, Channel::NetworkAt, no_login, live());
        ++counters_.at_commands;
        if (o.error) ++counters_.at_errors;
        return o;
    };
    hooks.restart = [this](hal::ResetCause cause) { restart(cause); };
    hooks.in_command_mode = [this] { return mode_ == SerialMode::Command; };
    hooks.log = [this](hal::LogLevel level, const std::string& line) { log(level, line); };
    net_ = std::make_unique<NetMode>(hal_, saved_, std::move(hooks));
    net_->start();
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
    if (net_) s.sockets = net_->status();
    for (std::size_t i = s.sockets.size(); i < 4; ++i) {
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

void DeviceImpl::log(hal::LogLevel level, const std::string& line) { hal_.log.write(level, line); }

LiveState DeviceImpl::live() const {
    LiveState s;
    s.uptime_ms = hal_.clock.now_ms() - boot_ms_;
    for (std::size_t i = 0; i < 4; ++i)
        s.socket_connected[i] = net_ && net_->socket_connected(i);
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
