#include <gtest/gtest.h>

#include "dtu/at/line_reader.hpp"

using dtu::at::LineReader;

namespace {
std::vector<std::string> lines_of(LineReader& r, std::string_view bytes) {
    std::vector<std::string> out;
    for (char c : bytes) {
        const auto e = r.feed(c);
        if (e == LineReader::Event::Line) out.emplace_back(r.line());
        if (e == LineReader::Event::Overflow) out.emplace_back("<overflow>");
    }
    return out;
}
} // namespace

TEST(LineReader, CrCrLfAndLfTerminate) {
    LineReader r(64);
    EXPECT_EQ(lines_of(r, "AT\rAT+E\r\nAT+VER\n"), (std::vector<std::string>{"AT", "AT+E", "AT+VER"}));
}

TEST(LineReader, LfAfterCrIsPartOfTerminator) {
    LineReader r(64);
    EXPECT_EQ(lines_of(r, "A\r\n\r\n"), (std::vector<std::string>{"A", ""}));
}

TEST(LineReader, BytesWithoutTerminatorWait) {
    LineReader r(64);
    EXPECT_TRUE(lines_of(r, "AT+VER").empty());
    EXPECT_EQ(r.pending(), 6u);
    EXPECT_EQ(lines_of(r, "\r"), std::vector<std::string>{"AT+VER"});
}

TEST(LineReader, OverlongLineIsDroppedUpToItsTerminator) {
    LineReader r(8);
    EXPECT_EQ(lines_of(r, "0123456789ABCDEF\rAT\r"), (std::vector<std::string>{"<overflow>", "AT"}));
    EXPECT_EQ(lines_of(r, std::string(100000, 'x') + "\r"), std::vector<std::string>{"<overflow>"});
}

TEST(LineReader, NulBytesAreOrdinary) {
    LineReader r(8);
    const auto got = lines_of(r, std::string("A\0B\r", 4));
    ASSERT_EQ(got.size(), 1u);
    EXPECT_EQ(got[0], std::string("A\0B", 3));
}
