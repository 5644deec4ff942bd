#pragma once
// SMS text rules (3GPP TS 23.038 alphabets, TS 23.040 concatenation), shared by the firmware and the
// simulated SMS centre so both count characters and cut parts the same way. Text is UTF-8.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "dtu/hal/sms.hpp"

namespace dtu::sms {

/// Characters (GSM: septets, UCS-2: UTF-16 units, 8-bit: octets) in one SMS.
struct Capacity {
    std::size_t single;       ///< a message that fits in one SMS
    std::size_t concatenated; ///< one part of a longer message (6 octets of header go first)
};
Capacity capacity(hal::SmsEncoding encoding);

/// Whether text is well-formed UTF-8 (no overlongs, surrogates or code points above U+10FFFF).
bool valid_utf8(std::string_view text);

/// Whether every character of (valid UTF-8) text is in the GSM default alphabet or its extension.
bool gsm7_encodable(std::string_view text);

/// What a phone picks: GSM 7-bit when every character allows it, else UCS-2; 8-bit for bytes that
/// are not UTF-8.
hal::SmsEncoding choose_encoding(std::string_view bytes);

/// Length of text in the units of encoding (an extension character is two septets; a character
/// above U+FFFF is two UTF-16 units). For Gsm7 the text must be encodable.
std::size_t length_in(hal::SmsEncoding encoding, std::string_view text);

/// How a text longer than one SMS goes on the air.
enum class LongMessage : std::uint8_t {
    Concatenated, ///< parts of capacity().concatenated units under a TS 23.040 header (what phones do)
    Separate,     ///< independent SMS of capacity().single units, no header (spec sms.md §1.2)
};

/// Cut text into the contents of the SMS that carry it: one when it fits in capacity().single,
/// else pieces of at most capacity().concatenated (Concatenated) or capacity().single (Separate)
/// units, never splitting a character (or an escape pair, or a surrogate pair). Empty text is one
/// empty SMS.
std::vector<std::string> split(hal::SmsEncoding encoding, std::string_view text,
                               LongMessage how = LongMessage::Concatenated);

/// The most parts one message may have (the part counter is one octet).
inline constexpr std::size_t kMaxParts = 255;

/// Joins the parts of concatenated SMS (TS 23.040 §9.2.3.24.1) per sender and reference. Bounded:
/// at most kMaxPending incomplete messages; a message whose parts stop arriving for kTimeoutMs is
/// dropped when the next part of any message arrives or expire() runs.
class Reassembler {
public:
    static constexpr std::size_t kMaxPending = 8;
    static constexpr std::uint64_t kTimeoutMs = 60000;

    struct Message {
        std::string number;
        hal::SmsEncoding encoding = hal::SmsEncoding::Gsm7;
        std::string text;
        std::size_t parts = 1;
    };

    /// A whole message when this segment completes one (single-part SMS come straight back).
    std::optional<Message> add(const hal::SmsSegment& segment, std::uint64_t now_ms);
    /// Drop incomplete messages older than kTimeoutMs; returns how many.
    std::size_t expire(std::uint64_t now_ms);
    /// Incomplete messages dropped so far (timeout, overflow, or a malformed part header).
    std::uint64_t dropped() const { return dropped_; }
    std::size_t pending() const { return pending_.size(); }

private:
    struct Pending {
        std::string number;
        std::uint8_t ref = 0;
        hal::SmsEncoding encoding = hal::SmsEncoding::Gsm7;
        std::vector<std::optional<std::string>> parts;
        std::uint64_t last_ms = 0;
    };
    std::vector<Pending> pending_;
    std::uint64_t dropped_ = 0;
};

} // namespace dtu::sms
