#pragma once
// SMS transparent mode (WKMOD=SMS, G771 §2.4): serial frames go out as SMS to DSTNUM. The SMS
// service that does it runs in every mode (SMS AT); this mode only hands it the frames.
#include "sms_service.hpp"
#include "work_mode.hpp"

namespace dtu::device {

class SmsDataMode final : public WorkMode {
public:
    explicit SmsDataMode(SmsService& sms) : sms_(sms) {}
    void start() override {}
    bool on_frame(std::string_view frame) override {
        sms_.on_frame(frame);
        return true;
    }

private:
    SmsService& sms_;
};

} // namespace dtu::device
