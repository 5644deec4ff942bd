#pragma once
// A yaml-cpp event handler that ignores every event: the passes over a file's raw events
// (yaml_documents, yaml_open_quote) override only the one they look at.
#include <string>

#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/mark.h>

namespace dtu::sim::scenario {

class IgnoredYamlEvents : public YAML::EventHandler {
public:
    void OnDocumentStart(const YAML::Mark&) override {}
    void OnDocumentEnd() override {}
    void OnNull(const YAML::Mark&, YAML::anchor_t) override {}
    void OnAlias(const YAML::Mark&, YAML::anchor_t) override {}
    void OnScalar(const YAML::Mark&, const std::string&, YAML::anchor_t, const std::string&) override {}
    void OnSequenceStart(const YAML::Mark&, const std::string&, YAML::anchor_t,
                         YAML::EmitterStyle::value) override {}
    void OnSequenceEnd() override {}
    void OnMapStart(const YAML::Mark&, const std::string&, YAML::anchor_t,
                    YAML::EmitterStyle::value) override {}
    void OnMapEnd() override {}
};

} // namespace dtu::sim::scenario
