#include "sim/scenario/yaml_documents.hpp"

#include <sstream>

#include <yaml-cpp/parser.h>

#include "sim/scenario/yaml_events.hpp"

namespace dtu::sim::scenario {
namespace {

/// Where each document starts; the parsing itself is YAML::Load's.
class DocumentStarts final : public IgnoredYamlEvents {
public:
    std::vector<YAML::Mark> starts;

    void OnDocumentStart(const YAML::Mark& m) override { starts.push_back(m); }
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
