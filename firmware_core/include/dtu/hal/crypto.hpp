#pragma once
// HAL: the module's cryptographic primitives (hal_sim: OpenSSL; a board: its crypto engine or
// library). The firmware never implements a cipher or a MAC itself.
#include <array>
#include <cstdint>
#include <string_view>

namespace dtu::hal {

using Sha1Digest = std::array<std::uint8_t, 20>;

class Crypto {
public:
    virtual ~Crypto() = default;
    /// HMAC-SHA1 of data under key (RFC 2104). False if the board cannot compute it.
    virtual bool hmac_sha1(std::string_view key, std::string_view data, Sha1Digest& out) = 0;
};

} // namespace dtu::hal
