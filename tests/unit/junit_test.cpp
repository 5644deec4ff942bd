// JUnit XML: written, read back with QXmlStreamReader, counted and compared attribute by attribute.
#include <gtest/gtest.h>

#include <map>

#include <QDir>
#include <QTemporaryDir>

#include "sim/scenario/junit.hpp"
#include "xml_elements.hpp"

namespace dtu::sim::scenario {
namespace {

using Outcome = CaseResult::Outcome;

using itest::only;
using itest::read_back;

class JunitTest : public ::testing::Test {
protected:
    std::string path(const char* name) const { return QDir(dir_.path()).filePath(name).toStdString(); }
    QTemporaryDir dir_;
};

TEST_F(JunitTest, CountsOutcomesAndAttributes) {
    const std::vector<CaseResult> cases{
        {"echo", "scenarios/echo.yaml", "G771 §3.2", 12.5, 0.25, Outcome::Passed, "", ""},
        {"plus", "scenarios/plus.yaml", "G771 §3.4", 3, 0.5, Outcome::Failed, "step 3: mismatch",
         "expected +ok"},
        {"rstim", "scenarios/rstim.yaml", "", 1800, 0.125, Outcome::TimedOut, "step 2: no reboot",
         "waited 5s"},
        {"bad", "scenarios/bad.yaml", "", 0, 0, Outcome::Error, "device crashed", "trace"},
        {"real", "scenarios/real.yaml", "", 0, 0, Outcome::Skipped, "needs --real-time", ""},
    };
    std::string error;
    ASSERT_TRUE(write_junit(path("out.xml"), "scenarios", cases, error)) << error;
    const auto all = read_back(path("out.xml"));
    ASSERT_FALSE(all.empty());
    EXPECT_EQ(all[0].name, "testsuites");
    const auto suites = only(all, "testsuite");
    ASSERT_EQ(suites.size(), 1u);
    const std::map<std::string, std::string> suite{{"name", "scenarios"}, {"tests", "5"},
                                                   {"failures", "2"},     {"errors", "1"},
                                                   {"skipped", "1"},      {"time", "0.875"}};
    EXPECT_EQ(suites[0].attributes, suite);

    const auto testcases = only(all, "testcase");
    ASSERT_EQ(testcases.size(), 5u);
    EXPECT_EQ(testcases[0].attributes.at("name"), "echo");
    EXPECT_EQ(testcases[0].attributes.at("classname"), "scenarios/echo.yaml");
    EXPECT_EQ(testcases[0].attributes.at("time"), "0.250");

    const auto failures = only(all, "failure");
    ASSERT_EQ(failures.size(), 2u);
    EXPECT_EQ(failures[0].attributes.at("type"), "mismatch");
    EXPECT_EQ(failures[0].attributes.at("message"), "step 3: mismatch");
    EXPECT_EQ(failures[0].text, "expected +ok");
    EXPECT_EQ(failures[1].attributes.at("type"), "timeout");
    const auto errors = only(all, "error");
    ASSERT_EQ(errors.size(), 1u);
    EXPECT_EQ(errors[0].attributes.at("message"), "device crashed");
    const auto skipped = only(all, "skipped");
    ASSERT_EQ(skipped.size(), 1u);
    EXPECT_EQ(skipped[0].attributes.at("message"), "needs --real-time");

    const auto properties = only(all, "property");
    ASSERT_GE(properties.size(), 2u);
    EXPECT_EQ(properties[0].attributes.at("name"), "source");
    EXPECT_EQ(properties[0].attributes.at("value"), "G771 §3.2");
    EXPECT_EQ(properties[1].attributes.at("name"), "device_seconds");
    EXPECT_EQ(properties[1].attributes.at("value"), "12.500");
}

TEST_F(JunitTest, MarkupAndControlBytesSurvive) {
    CaseResult c{"a <b> & \"c\"", "x.yaml", "", 0, 0, Outcome::Failed, "", ""};
    c.message = std::string("got \x01\x1b[0m <&> \"q\"\ttab", 21);
    c.details = std::string("line1\r\nnul:\0:end ]]> <![CDATA[", 30);
    std::string error;
    ASSERT_TRUE(write_junit(path("esc.xml"), "s", {c}, error)) << error;
    const auto all = read_back(path("esc.xml"));
    const auto testcases = only(all, "testcase");
    ASSERT_EQ(testcases.size(), 1u);
    EXPECT_EQ(testcases[0].attributes.at("name"), "a <b> & \"c\"");
    const auto failures = only(all, "failure");
    ASSERT_EQ(failures.size(), 1u);
    EXPECT_EQ(failures[0].attributes.at("message"), "got \\x01\\x1b[0m <&> \"q\"\ttab");
    EXPECT_EQ(failures[0].text, "line1\r\nnul:\\x00:end ]]> <![CDATA[");
}

// Jenkins splits a classname at its last dot: "scenarios/01_echo.yaml" put every scenario in class
// "yaml". The extension goes, and any other dot becomes '_'.
TEST(Junit, ClassnameHasNoExtensionAndNoDot) {
    EXPECT_EQ(junit_classname("scenarios/01_quick_start_echo.yaml"), "scenarios/01_quick_start_echo");
    EXPECT_EQ(junit_classname("./a/../b/v1.2_test.yml"), "b/v1_2_test");
    EXPECT_EQ(junit_classname("../x.yaml"), "__/x");
    EXPECT_EQ(junit_classname("/abs/dir.d/x"), "/abs/dir_d/x");
}

TEST(Junit, XmlSafeReplacesOnlyWhatXmlCannotCarry) {
    EXPECT_EQ(xml_safe(std::string("a\0b\x7f\t\n\r\x1f", 8)), std::string("a\\x00b\x7f\t\n\r\\x1f"));
}

TEST_F(JunitTest, UnwritablePathIsAnError) {
    std::string error;
    EXPECT_FALSE(write_junit(path("no/such/dir/out.xml"), "s", {}, error));
    EXPECT_NE(error.find("no/such/dir/out.xml"), std::string::npos) << error;
}

TEST_F(JunitTest, EmptySuite) {
    std::string error;
    ASSERT_TRUE(write_junit(path("empty.xml"), "none", {}, error)) << error;
    const auto suites = only(read_back(path("empty.xml")), "testsuite");
    ASSERT_EQ(suites.size(), 1u);
    EXPECT_EQ(suites[0].attributes.at("tests"), "0");
}

} // namespace
} // namespace dtu::sim::scenario
