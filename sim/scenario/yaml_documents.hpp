#pragma once
// The documents of a YAML text, read without yaml-cpp's endless loop. yaml-cpp 0.7's LoadAll (and
// any loop over Parser::HandleNextDocument) never ends on a token that cannot start a document,
// such as a ',' outside [ ] or { } where a node starts (`, a`, `- a` then `, b`): each call
// returns an empty document at the same place without consuming the token, so memory grows until
// the process dies. Found by scenario_fuzz (tests/fuzz/scenario_corpus/stray_flow_entry.yaml).
#include <string>
#include <string_view>
#include <vector>

#include <yaml-cpp/yaml.h>

#include "sim/scenario/scenario.hpp"

namespace dtu::sim::scenario {

struct YamlDocuments {
    std::vector<YAML::Node> documents;
    /// Where a document would start over without progress (1-based); line 0 when none did.
    SourcePos stuck;
};

/// The text's documents as YAML::LoadAll gives them; none, and stuck set, where LoadAll would
/// never end. Throws YAML::Exception on a syntax error, as LoadAll does.
YamlDocuments load_documents(std::string_view text);

} // namespace dtu::sim::scenario
