#include "dtu/proto/socket_id.hpp"

namespace dtu::proto::socket_id {

std::string marker(std::size_t socket_index) {
    return std::string(1, static_cast<char>('A' + socket_index)) + ":";
}

std::string tag(std::size_t socket_index, std::string_view data) {
    std::string out = marker(socket_index);
    out.append(data);
    return out;
}

} // namespace dtu::proto::socket_id
