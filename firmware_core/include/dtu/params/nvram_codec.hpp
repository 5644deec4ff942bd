#pragma once
// The NVRAM blob: a versioned, checksummed text image of the saved parameter set.
//
//   DTU-NVRAM 1\n
//   profile g771\n
//   crc32 1A2B3C4D\n          (CRC-32 of everything after this line)
//   SOCKA=TCP\x1Fsocket.usr.cn\x1F2317\n
//
// Values are escaped (\\, \n, \xHH for control bytes and the 0x1F separator) so any byte survives.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "dtu/params/store.hpp"

namespace dtu::params {

inline constexpr int kNvramVersion = 1;

/// Serialise a store for the named profile.
std::string encode_nvram(const Store& store, std::string_view profile);

enum class DecodeStatus { Ok, Empty, BadHeader, WrongVersion, WrongProfile, BadChecksum, BadLine };

struct DecodeResult {
    DecodeStatus status = DecodeStatus::Empty;
    std::vector<std::pair<std::string, Values>> entries; ///< in file order, when status is Ok
};

/// Parse a blob. Only structure is checked here; the device checks each value against its rows.
DecodeResult decode_nvram(std::string_view blob, std::string_view profile);

/// Human-readable reason for a status, for the log.
std::string_view describe(DecodeStatus status);

/// CRC-32 (IEEE 802.3, reflected, as zlib computes it).
std::uint32_t crc32(std::string_view data);

} // namespace dtu::params
