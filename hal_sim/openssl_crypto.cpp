#include "hal_sim/openssl_crypto.hpp"

#include <openssl/evp.h>
#include <openssl/hmac.h>

namespace dtu::hal_sim {

bool OpenSslCrypto::hmac_sha1(std::string_view key, std::string_view data, hal::Sha1Digest& out) {
    unsigned int len = 0;
    const auto* result =
        HMAC(EVP_sha1(), key.data(), static_cast<int>(key.size()),
             reinterpret_cast<const unsigned char*>(data.data()), data.size(), out.data(), &len);
    return result != nullptr && len == out.size();
}

} // namespace dtu::hal_sim
