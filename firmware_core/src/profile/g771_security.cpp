// Security login (G771 §2.6.3).
#include "fragments.hpp"
#include "rows.hpp"

namespace dtu::profile::fragments {
using namespace rows;

void g771_security(Table& t) {
    t.push_back(param("SAFEATEN", {on_off()}, "OFF", "G771 §2.6.3", "security login"));
    // The login password is never shown: only the set form exists (spec modes-and-timing §5).
    t.push_back({"SIGNINAT",
                 {},
                 at::kSet,
                 Behavior::Login,
                 {text("password", 1, 20)},
                 "usr_cn",
                 "G771 §2.6.3",
                 "log in / change the login password",
                 nullptr});
}

} // namespace dtu::profile::fragments
