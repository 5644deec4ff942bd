#include "link_state_word.hpp"

#include <algorithm>
#include <vector>

namespace dtu::device {
namespace {

std::vector<std::string_view> split(std::string_view choices) {
    std::vector<std::string_view> out;
    for (std::size_t at = 0; at <= choices.size();) {
        const std::size_t bar = std::min(choices.find('|', at), choices.size());
        out.push_back(choices.substr(at, bar - at));
        at = bar + 1;
    }
    return out;
}

/// "CONNECTED(n)" with n = clients: "CONNECTED(3)".
std::string with_count(std::string_view form, std::size_t clients) {
    std::string word(form);
    const std::size_t mark = word.find(kClientCountMark);
    if (mark != std::string::npos)
        word.replace(mark, kClientCountMark.size(), "(" + std::to_string(clients) + ")");
    return word;
}

} // namespace

std::string link_state_word(std::string_view choices, bool connected,
                            const std::optional<ServerSocketLive>& server) {
    const std::vector<std::string_view> words = split(choices);
    const std::string_view up = words[0];
    const std::string_view down = words.size() > 1 ? words[1] : words[0];
    // A row with only the first two choices (the cellular models) knows no server states.
    if (!server || words.size() < 4) return std::string(connected ? up : down);
    // Spec k7 §12.1 RECOMMENDED: TCP server with n >= 1 clients CONNECTED(n), with 0 LISTEN; not
    // listening (the network is gone, the port refused): IDLE.
    if (server->clients > 0) return with_count(words[3], server->clients);
    return std::string(server->listening ? words[2] : down);
}

} // namespace dtu::device
