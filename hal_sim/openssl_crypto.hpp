#pragma once
// hal::Crypto on the host: OpenSSL's HMAC.
#include "dtu/hal/crypto.hpp"

namespace dtu::hal_sim {

class OpenSslCrypto final : public hal::Crypto {
public:
    bool hmac_sha1(std::string_view key, std::string_view data, hal::Sha1Digest& out) override;
};

} // namespace dtu::hal_sim
