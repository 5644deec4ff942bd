#include "sim/app.hpp"

#include <unistd.h>

#include <csignal>
#include <cstdio>
#include <exception>
#include <optional>
#include <string>
#include <system_error>

#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>

#include "dtu/profile/profile.hpp"
#include "hal_sim/host_log.hpp"
#include "sim/control_api.hpp"
#include "sim/device_host.hpp"
#include "sim/live_trace.hpp"
#include "sim/outbox_file.hpp"
#include "sim/ready_file.hpp"
#include "sim/state_lock.hpp"

namespace dtu::sim {
namespace {

/// The one line a human looks for: which PTY to open.
void print_banner(const Options& options, const hal_sim::PtyUart& uart, const ControlApi* control) {
    std::string line = "dtu-sim: " + options.profile + " serial port " + uart.slave_path();
    if (!options.serial_link.empty()) line += " (link " + options.serial_link.string() + ")";
    line += ", state " + options.state_dir.string();
    if (control != nullptr) line += ", control " + control->url();
    line += "\n";
    std::fputs(line.c_str(), stdout);
    std::fflush(stdout);
}

std::string signal_name(int signo) {
    switch (signo) {
    case SIGINT: return "SIGINT";
    case SIGTERM: return "SIGTERM";
    case SIGHUP: return "SIGHUP";
    }
    return std::to_string(signo);
}

/// The process after the command line: everything here is torn down before run() returns.
class App {
public:
    explicit App(const Options& options)
        : options_(options), log_("dtu-sim/" + options.identity.imei, options.log_level),
          signals_(io_, SIGINT, SIGTERM, SIGHUP) {}

    int run() {
        // Signals first: a SIGTERM right after the ready file appears must already mean "clean exit".
        // SIGHUP too (the terminal running dtu-sim closed): same clean exit, link and ready file removed.
        signals_.async_wait([this](const boost::system::error_code& ec, int signo) {
            if (ec) return;
            log_.write(hal::LogLevel::Info, "signal " + signal_name(signo) + ", shutting down");
            io_.stop();
        });
        if (!claim_files()) return finish(kExitUsage);
        if (!set_up()) return finish(setup_failure_);
        try {
            io_.run();
        } catch (const std::exception& e) {
            log_.write(hal::LogLevel::Error, std::string("fatal: ") + e.what());
            return finish(kExitFailure);
        }
        return finish(0);
    }

private:
    /// The paths this process will own, claimed before anything is made: a user's file or another
    /// running dtu-sim's is refused (exit 2), never replaced.
    bool claim_files() {
        std::string error;
        if (!options_.serial_link.empty()) error = hal_sim::PtyUart::link_refusal(options_.serial_link);
        if (error.empty() && !options_.ready_file.empty()) error = ready_file_refusal(options_.ready_file);
        if (error.empty() && !options_.sms_outbox.empty()) error = OutboxFile::refusal(options_.sms_outbox);
        if (error.empty()) state_lock_ = claim_state_dir(options_.state_dir, log_, error);
        return error.empty() || fail(error);
    }

    bool set_up() {
        try {
            DeviceConfig config;
            config.state_dir = options_.state_dir;
            config.identity = options_.identity;
            config.log_level = options_.log_level;
            config.link = options_.link;
            config.seed = options_.seed;
            config.radio = options_.radio;
            config.ntp_port = options_.ntp_port;
            config.listen_address = options_.listen_address;
            config.baud_pacing = options_.baud_pacing;
            host_.emplace(io_, *profile::find(options_.profile), config, log_);
            if (!apply_at_commands()) return false;
            if (!start_trace()) return false;
            if (!options_.serial_link.empty()) host_->uart().create_link(options_.serial_link);
        } catch (const std::exception& e) {
            return fail(e.what());
        }
        if (!set_up_sms()) return false;
        if (options_.link_profile != "none")
            log_.write(hal::LogLevel::Info,
                       "link profile " + options_.link_profile + ", seed " + std::to_string(options_.seed));
        if (options_.control && !start_control(*options_.control)) return false;
        host_->ports().set_on_change([this] { rewrite_ready(); });
        print_banner(options_, host_->uart(), control_ ? &*control_ : nullptr);
        host_->start();
        if (!options_.wait_serial) {
            host_->boot(); // the start message is in the kernel's PTY buffer before the ready file exists
            return announce_ready();
        }
        log_.write(hal::LogLevel::Info, "waiting for a client on " + host_->uart().slave_path() + " to boot");
        host_->uart().wait_for_client([this] {
            // The control API may have switched the board off (or on) before the client came.
            if (!control_ || !control_->power_held_off()) host_->boot();
        });
        // The ready file tells the client where to connect, so here it cannot wait for the boot.
        return announce_ready();
    }

    /// --at, before the boot: an error answer is the command line's fault (exit 2).
    bool apply_at_commands() {
        if (options_.at_commands.empty()) return true;
        if (std::string error = host_->apply_at_commands(options_.at_commands); !error.empty()) {
            setup_failure_ = kExitUsage;
            return fail(error);
        }
        log_.write(hal::LogLevel::Info,
                   "--at: " + std::to_string(options_.at_commands.size()) + " command(s) in force");
        return true;
    }

    /// --trace: from before the boot, so the start message is in it.
    bool start_trace() {
        if (options_.trace_dir.empty()) return true;
        trace_.emplace(host_->scheduler(), options_.profile, options_.seed);
        const std::string stem = live_trace_stem(options_.profile, options_.identity.imei);
        std::string error;
        if (!trace_->open(options_.trace_dir.string(), stem, error)) return fail("--trace: " + error);
        host_->set_observer(&*trace_);
        log_.write(hal::LogLevel::Info,
                   "trace: " + (options_.trace_dir / stem).string() + ".jsonl and .pcapng");
        return true;
    }

    /// The scripted inbox (times count from now) and the outbox file.
    bool set_up_sms() {
        for (const ScriptedSms& s : options_.sms_script)
            host_->sms().submit_after(s.at, s.sms);
        if (!options_.sms_script.empty())
            log_.write(hal::LogLevel::Info,
                       "SMS script: " + std::to_string(options_.sms_script.size()) + " message(s) scheduled");
        if (options_.sms_outbox.empty()) return true;
        std::string error;
        if (!outbox_.open(options_.sms_outbox, error)) return fail(error);
        host_->sms().on_sent([this](const hal_sim::SentMessage& m) {
            if (!outbox_.append(m))
                log_.write(hal::LogLevel::Error,
                           "--sms-outbox: cannot write " + options_.sms_outbox.string());
        });
        return true;
    }

    /// Serve the control API; its requests wait in io until run() starts it.
    bool start_control(const ControlEndpoint& at) {
        control_.emplace(io_, *host_, options_.profile, log_);
        std::string error;
        if (!control_->start(at, error)) return fail(error);
        return true;
    }

    bool announce_ready() {
        if (options_.ready_file.empty()) return true;
        std::string error;
        const ReadyInfo info{host_->uart().slave_path(), control_ ? control_->url() : std::string(),
                             ::getpid(), host_->ports().map()};
        if (!write_ready_file(options_.ready_file, info, error)) return fail(error);
        ready_written_ = info;
        return true;
    }

    /// The device's listeners moved (a restart with other ports): the ready file says where now.
    void rewrite_ready() {
        if (!ready_written_) return; // not announced yet: announce_ready writes the ports
        ReadyInfo info = *ready_written_;
        info.ports = host_->ports().map();
        std::string error;
        if (!write_ready_file(options_.ready_file, info, error)) {
            log_.write(hal::LogLevel::Error, "ready file: " + error);
            return;
        }
        ready_written_ = info;
    }

    /// After the host stopped (its last events are in): a trace that could not be written fails the run.
    int close_trace(int status) {
        host_->set_observer(nullptr);
        std::string error;
        if (trace_->close(error)) return status;
        log_.write(hal::LogLevel::Error, "--trace: " + error);
        return status == 0 ? kExitFailure : status;
    }

    bool fail(const std::string& message) {
        log_.write(hal::LogLevel::Error, message);
        return false;
    }

    int finish(int status) {
        if (control_) control_->stop(); // first: no request may reach the board while it stops
        if (host_) host_->stop();       // also removes the serial link
        if (trace_) status = close_trace(status);
        // A ready file must never outlive the process it describes.
        if (ready_written_) remove_ready_file(options_.ready_file, *ready_written_);
        return status;
    }

    const Options& options_;
    hal_sim::HostLog log_;
    boost::asio::io_context io_{1};
    boost::asio::signal_set signals_;
    std::optional<StateLock> state_lock_; // first made, last released: held while anything may write state
    OutboxFile outbox_;                   // before host_: the SMS centre writes to it until the host is gone
    std::optional<LiveTrace> trace_;      // before host_: the host reports to it until it is gone
    std::optional<DeviceHost> host_;
    std::optional<ControlApi> control_; // after host_: destroyed before the board it controls
    std::optional<ReadyInfo> ready_written_;
    int setup_failure_ = kExitFailure; ///< the exit status when set_up() fails
};

} // namespace

int run(const Options& options) { return App(options).run(); }

} // namespace dtu::sim
