// Scenario regexes (sim/scenario/regex.hpp, match_stream.hpp): RE2 syntax, searched without
// recursion. std::regex overflowed the stack on each of the long inputs here (SIGSEGV).
#include <gtest/gtest.h>

#include <string>

#include "sim/scenario/match_stream.hpp"
#include "sim/scenario/pattern.hpp"
#include "sim/scenario/regex.hpp"

namespace dtu::sim::scenario {
namespace {

Matcher regex(const std::string& written) {
    std::string error;
    auto pattern = make_pattern(Pattern::Kind::Regex, written, error);
    EXPECT_TRUE(pattern.has_value()) << error;
    return Matcher(pattern.value_or(Pattern{Pattern::Kind::Text, "x", "x"}));
}

std::string compile_error(const std::string& written) {
    std::string error;
    EXPECT_FALSE(Regex::compile(written, error).has_value()) << written;
    return error;
}

TEST(ScenarioRegex, AlternationStarOnALongStreamDoesNotRecurse) {
    const std::string data(100'000, 'a');
    EXPECT_FALSE(regex("(a|b)*c").find(data).has_value());
    const auto hit = regex("(a|b)*c").find(data + "c");
    ASSERT_TRUE(hit.has_value());
    EXPECT_EQ(hit->begin, 0u);
    EXPECT_EQ(hit->end, data.size() + 1);
}

TEST(ScenarioRegex, AnythingClassSpansALongStream) {
    const std::string data = "one," + std::string(32 * 1024, 'x') + "\r\n" + std::string(100, 'y') + "one,";
    const auto hit = regex("one,[\\s\\S]*one,").find(data);
    ASSERT_TRUE(hit.has_value());
    EXPECT_EQ(hit->begin, 0u);
    EXPECT_EQ(hit->end, data.size());
}

TEST(ScenarioRegex, ALongPatternIsRefusedWithTheLimit) {
    const std::string error = compile_error(std::string(100'000, 'a'));
    EXPECT_EQ(error, "the regex '" + std::string(60, 'a') +
                         "...' is 100000 bytes; a regex may have at most 4096 (match long literal bytes "
                         "with text: or hex:)");
    std::string ok;
    EXPECT_TRUE(Regex::compile(std::string(kMaxRegexBytes, 'a'), ok).has_value()) << ok;
}

TEST(ScenarioRegex, APatternThatExpandsTooFarIsAnError) {
    // Short to write, but a program far larger than RE2's memory budget.
    EXPECT_NE(compile_error("((((a{100}){100}){100}){100})").find("is not a valid regex (RE2 syntax): "),
              std::string::npos);
}

TEST(ScenarioRegex, SyntaxErrorsNameTheDialect) {
    EXPECT_EQ(compile_error("(unclosed"),
              "'(unclosed' is not a valid regex (RE2 syntax): missing ): (unclosed");
    // RE2 has no backreferences or lookaround (they need backtracking).
    EXPECT_NE(compile_error("(a)\\1").find("RE2 syntax"), std::string::npos);
    EXPECT_NE(compile_error("a(?=b)").find("RE2 syntax"), std::string::npos);
}

TEST(ScenarioRegex, CaretAndDollarMatchAtLineBoundaries) {
    const std::string data = "+VER\r\nV1.0\r\nOK\r\n";
    const auto hit = regex("^V[0-9.]+").find(data);
    ASSERT_TRUE(hit.has_value());
    EXPECT_EQ(data.substr(hit->begin, hit->end - hit->begin), "V1.0");
    EXPECT_TRUE(regex("^OK\\r$").find(data).has_value());
    EXPECT_FALSE(regex("^OK$").find(data).has_value())
        << "$ is before \\n only: the \\r is a byte of the line";
}

TEST(ScenarioRegex, SearchFromAnOffsetSeesTheTextBeforeIt) {
    // At offset 3 the text before is "ab\n": ^ holds there (a new line), and not at offset 1.
    const std::string data = "ab\ncd";
    const auto hit = regex("^c").find(data, 1);
    ASSERT_TRUE(hit.has_value());
    EXPECT_EQ(hit->begin, 3u);
    EXPECT_FALSE(regex("^b").find(data, 1).has_value());
    EXPECT_FALSE(regex("\\bd").find(data, 4).has_value()) << "d continues the word c";
}

TEST(ScenarioRegex, ARegexMatchesBytes) {
    // Latin-1: `.` is one byte, so binary output and invalid UTF-8 match as they are.
    const std::string data = std::string("\x02\xff\xfe\x03", 4);
    const auto hit = regex("\\x02..\\x03").find(data);
    ASSERT_TRUE(hit.has_value());
    EXPECT_EQ(hit->end - hit->begin, 4u);
}

} // namespace
} // namespace dtu::sim::scenario
