#include "hal_sim/sms_center.hpp"

namespace dtu::hal_sim {

bool SmsCenter::send(const hal::SmsSegment& segment) {
    outbox_.push_back(SentSms{0, segment});
    return true;
}

} // namespace dtu::hal_sim
