#pragma once
// What AsioNet and VirtualNet queue in each direction of a link: packets by delivery time (equal
// times keep their order), and the stall rule both apply to them. One definition for both nets.
#include <map>
#include <string>

#include "dtu/hal/net.hpp"
#include "hal_sim/link_impairment.hpp"

namespace dtu::hal_sim {

/// One packet / TCP chunk, or the end of the connection, on its way through the link.
struct DelayItem {
    std::string data;
    bool eof = false; ///< the connection ends here (upstream: FIN; downstream: why)
    hal::NetError why = hal::NetError::None;
    bool held = false; ///< counted as held by a stall
};

using DelayItems = std::multimap<LinkImpairment::TimePoint, DelayItem>;

/// A stalled direction holds every item due by now, in order (nothing dropped); each is counted as
/// held once. Returns the first item not yet due (end() if none).
inline DelayItems::iterator hold_due(DelayItems& items, LinkImpairment::TimePoint now, LinkImpairment& link,
                                     Direction d) {
    auto it = items.begin();
    for (; it != items.end() && it->first <= now; ++it) {
        if (!it->second.held) {
            it->second.held = true;
            link.count_held(d);
        }
    }
    return it;
}

} // namespace dtu::hal_sim
