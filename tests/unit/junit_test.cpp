// JUnit XML: written, read back with QXmlStreamReader, counted and compared attribute by attribute.
#include <gtest/gtest.h>

#include <map>

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QXmlStreamReader>

#include "sim/scenario/junit.hpp"

namespace dtu::sim::scenario {
namespace {

using Outcome = CaseResult::Outcome;

/// One element as read back: its name, attributes and text.
struct Element {
    std::string name;
    std::map<std::string, std::string> attributes;
    std::string text;
};

std::vector<Element> read_back(const std::string& path) {
    QFile file(QString::fromStdString(path));
    EXPECT_TRUE(file.open(QIODevice::ReadOnly));
    QXmlStreamReader xml(&file);
    std::vector<Element> out;
    while (!xml.atEnd()) {
        if (xml.readNext() == QXmlStreamReader::StartElement) {
            Element e{xml.name().toString().toStdString(), {}, {}};
            for (const QXmlStreamAttribute& a : xml.attributes())
                e.attributes[a.name().toString().toStdString()] = a.value().toString().toStdString();
            out.push_back(std::move(e));
        } else if (xml.isCharacters() && !xml.isWhitespace() && !out.empty()) {
            out.back().text += xml.text().toString().toStdString();
        }
    }
    EXPECT_FALSE(xml.hasError()) << xml.errorString().toStdString();
    return out;
}

std::vector<Element> only(const std::vector<Element>& all, const std::string& name) {
    std::vector<Element> out;
    for (const Element& e : all)
        if (e.name == name) out.push_back(e);
    return out;
}

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
