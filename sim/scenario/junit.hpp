#pragma once
// JUnit XML of a scenario run, in the form Jenkins and GitLab read:
// <testsuites><testsuite name tests failures errors skipped time><testcase name classname time>
// <failure message type>details</failure> | <error ...> | <skipped/> </testcase>...
#include <string>
#include <vector>

namespace dtu::sim::scenario {

/// How one scenario ended.
struct CaseResult {
    std::string name;          ///< the scenario's name
    std::string classname;     ///< its file as junit_classname() writes it
    std::string source;        ///< the manual section (a <property name="source">)
    double device_seconds = 0; ///< device time the run took (a <property>)
    double wall_seconds = 0;   ///< the testcase's time
    enum class Outcome { Passed, Failed, TimedOut, Error, Skipped } outcome = Outcome::Passed;
    std::string message; ///< one line: what went wrong
    std::string details; ///< expected vs actual, the last events
};

/// Write the report to path (atomically: a half-written file never replaces a good one).
/// Failed -> <failure type="mismatch">, TimedOut -> <failure type="timeout">, Error -> <error>,
/// Skipped -> <skipped/>. Characters XML 1.0 cannot carry are written visibly as \xNN.
/// False with error set when the file cannot be written.
bool write_junit(const std::string& path, const std::string& suite_name, const std::vector<CaseResult>& cases,
                 std::string& error);

/// A scenario file as a JUnit classname: its path without the extension, every '.' as '_'
/// ("scenarios/01_echo.yaml" -> "scenarios/01_echo"). Jenkins takes what follows a classname's last
/// dot as the class, so with the extension every scenario would land in one class, "yaml".
std::string junit_classname(const std::string& file);

/// text with every character XML 1.0 cannot carry (C0 controls but tab, LF, CR; invalid UTF-8 is
/// replaced by Qt) as \xNN.
std::string xml_safe(const std::string& text);

} // namespace dtu::sim::scenario
