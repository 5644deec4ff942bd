// Information queries (G771 §4 table 11 "信息查询指令"); answers come from the modem HAL.
#include "fragments.hpp"
#include "rows.hpp"

namespace dtu::profile::fragments {
using namespace rows;

void g771_info(Table& t) {
    t.push_back(action("VER", kReadOnly, Behavior::Version, "G771 §4 信息 1", "firmware version"));
    t.push_back(action("BUILD", kReadOnly, Behavior::Build, "G771 §4 信息 2", "firmware build time"));
    t.push_back(action("SN", kReadOnly, Behavior::Sn, "G771 §4 信息 3", "serial number"));
    t.push_back(action("IMEI", kReadOnly, Behavior::Imei, "G771 §4 信息 4", "IMEI"));
    t.push_back(action("ICCID", kReadOnly, Behavior::Iccid, "G771 §4 信息 5", "SIM ICCID"));
    t.push_back(action("CIP", kReadOnly, Behavior::LocalIp, "G771 §4 信息 6", "local IP"));
    t.push_back(action("CNUM", kReadOnly, Behavior::PhoneNumber, "G771 §4 信息 7", "SIM phone number"));
    t.push_back(action("LBS", kReadOnly, Behavior::Cell, "G771 §4 信息 8, §2.6.6", "serving cell LAC,CID"));
    t.push_back(action("LBSN", kReadOnly, Behavior::Neighbours, "G771 §4 信息 9", "neighbour cells"));
    t.push_back(action("CCLK", kReadOnly, Behavior::Clock, "G771 §2.6.4", "current time"));
}

} // namespace dtu::profile::fragments
