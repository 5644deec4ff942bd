#pragma once
// Host names compare case-insensitively (DNS does): the form the declared peers are kept and looked
// up in, by VirtualNet, AsioNet's redirects and the pcapng writer's address book.
#include <algorithm>
#include <cctype>
#include <string>
#include <string_view>

namespace dtu::hal_sim {

inline std::string host_key(std::string_view host) {
    std::string key(host);
    std::transform(key.begin(), key.end(), key.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return key;
}

} // namespace dtu::hal_sim
