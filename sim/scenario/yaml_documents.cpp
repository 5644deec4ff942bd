#include "sim/scenario/yaml_documents.hpp"

#include <sstream>

#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/parser.h>

namespace dtu::sim::scenario {
namespace {

/// Where each document starts; the parsing itself is YAML::Load's.
class DocumentStarts final : public YAML::EventHandler {
public:
    std::vector<YAML::Mark> starts;

    void OnDocumentStart(const YAML::Mark& m) override { starts.push_back(m); }
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

} // namespace

YamlDocuments load_documents(std::string_view text) {
    YamlDocuments out;
    std::istringstream in{std::string(text)};
    YAML::Parser parser(in);
    DocumentStarts events;
    while (parser.HandleNextDocument(events)) {
        const auto& s = events.starts;
        if (s.size() >= 2 && s[s.size() - 1].pos == s[s.size() - 2].pos) {
            out.stuck = {s.back().line + 1, s.back().column + 1};
            return out;
        }
    }
    // The same parser loop ended above, so LoadAll's ends too.
    out.documents = YAML::LoadAll(std::string(text));
    return out;
}

} // namespace dtu::sim::scenario
