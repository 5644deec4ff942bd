#pragma once
// HAL: short messages through the cellular module. The unit is one SMS on the air (a segment): the
// firmware encodes, splits and reassembles (spec sms.md; the way a DTU drives its module in PDU mode).
#include <cstdint>
#include <string>

namespace dtu::hal {

/// TP-DCS alphabet of one SMS (3GPP TS 23.038): how many characters fit in it.
enum class SmsEncoding : std::uint8_t {
    Gsm7,  ///< GSM default alphabet, 160 septets (153 in a concatenated part)
    Data8, ///< 8-bit data, 140 octets (134 in a concatenated part)
    Ucs2,  ///< UCS-2, 70 characters (67 in a concatenated part)
};

/// One SMS: a whole message, or one part of a concatenated one (TS 23.040 UDH IE 00).
struct SmsSegment {
    std::string number; ///< the other party: sender of a received SMS, recipient of a sent one
    SmsEncoding encoding = SmsEncoding::Gsm7;
    std::string text;       ///< this part's content: UTF-8 (Gsm7, Ucs2) or raw octets (Data8)
    std::uint8_t ref = 0;   ///< concatenation reference, the same in every part of one message
    std::uint8_t total = 1; ///< parts in the message; 1 = not concatenated
    std::uint8_t seq = 1;   ///< this part, 1..total
};

/// Received SMS, delivered on the firmware executor, never inside an Sms call.
class SmsListener {
public:
    virtual ~SmsListener() = default;
    virtual void on_sms(const SmsSegment& segment) = 0;
};

class Sms {
public:
    virtual ~Sms() = default;
    /// Where received SMS go; nullptr stops them. Set once by the firmware at boot.
    virtual void set_listener(SmsListener* listener) = 0;
    /// Hand one SMS to the network. False when it cannot be sent (not registered, no SIM).
    virtual bool send(const SmsSegment& segment) = 0;
};

} // namespace dtu::hal
