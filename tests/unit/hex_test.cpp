// sim/scenario/hex: the one hex decoder of scenario files and traces (spaces between bytes are
// allowed; errors say what is wrong and where).
#include <optional>
#include <string>

#include <gtest/gtest.h>

#include "sim/scenario/hex.hpp"

namespace dtu::sim::scenario {
namespace {

/// The bytes, or "error: <why>".
std::string decoded(std::string_view text) {
    std::string why;
    const std::optional<std::string> bytes = decode_hex(text, why);
    return bytes ? *bytes : "error: " + why;
}

TEST(Hex, PackedSpacedAndEitherCase) {
    EXPECT_EQ(decoded("01020a"), std::string("\x01\x02\x0a"));
    EXPECT_EQ(decoded("01 02 0a"), std::string("\x01\x02\x0a"));
    EXPECT_EQ(decoded(" FFfe00 "), std::string("\xff\xfe\x00", 3));
    EXPECT_EQ(decoded(""), "");
}

TEST(Hex, ErrorsSayWhatAndWhere) {
    EXPECT_EQ(decoded("0g"), "error: 'g' at position 2 is not a hex digit");
    EXPECT_EQ(decoded("01 0x"), "error: 'x' at position 5 is not a hex digit") << "positions count spaces";
    EXPECT_EQ(decoded("01\t02"), "error: '\t' at position 3 is not a hex digit") << "only spaces are skipped";
    EXPECT_EQ(decoded("abc"), "error: an odd number of hex digits (3): two digits per byte");
    EXPECT_EQ(decoded("01 0"), "error: an odd number of hex digits (3): two digits per byte");
}

} // namespace
} // namespace dtu::sim::scenario
