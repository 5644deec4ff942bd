#pragma once
// The modem's registration and credit as the rest of a board sees them: the data link's attach
// (the NetStack's) and SMS registration. DeviceHost and the scenario Board wire them the same way.
#include "hal_sim/net_stack.hpp"
#include "hal_sim/sim_modem.hpp"
#include "hal_sim/sms_center.hpp"

namespace dtu::hal_sim {

/// Connected for its lifetime: modem, net and sms outlive it; the modem's handler is removed when it
/// goes. Registration and credit of the active SIM are the modem's half of the data link's attach;
/// SMS needs registration only (an out-of-credit SIM still sends and receives SMS). A model without
/// a cellular modem (the K7's Ethernet, HalParts::modem false) is always attached.
class ModemAttach {
public:
    ModemAttach(SimModem& modem, NetStack& net, SmsCenter& sms, bool has_modem)
        : modem_(modem), net_(net), has_modem_(has_modem) {
        modem_.set_change_handler([this, &sms] {
            net_.set_radio_attached(attached());
            sms.registration_changed();
        });
        sms.set_registration([&modem] { return modem.registered(); });
        net_.set_radio_attached(attached());
    }
    ~ModemAttach() { modem_.set_change_handler(nullptr); }
    ModemAttach(const ModemAttach&) = delete;
    ModemAttach& operator=(const ModemAttach&) = delete;

    bool attached() const { return !has_modem_ || modem_.data_ready(); }

private:
    SimModem& modem_;
    NetStack& net_;
    bool has_modem_;
};

} // namespace dtu::hal_sim
