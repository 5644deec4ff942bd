#include "sim/scenario/api_patch.hpp"

#include <string>

#include "hal_sim/sim_modem.hpp"
#include "sim/identity.hpp"
#include "sim/json_codec.hpp"
#include "sim/radio_json.hpp"
#include "sim/scenario/yaml_json.hpp"
#include "sim/sms_json.hpp"

namespace dtu::sim::scenario {
namespace {

/// The API's verdict on object: "" when it accepts it.
std::string check(const QJsonObject& object, ApiBody body) {
    std::string error;
    switch (body) {
    case ApiBody::Link: return merge_link_json(hal_sim::LinkConfig{}, object).error;
    case ApiBody::Radio: return merge_radio_json(hal_sim::SimModem(default_identity()), object).error;
    case ApiBody::Sms: parse_sms_post(object, error); return error;
    }
    return error;
}

/// The path the API's message names ("upstream.gilbert.p must be ...", "unknown field 'x.y'"):
/// the quoted name if there is one, else the first word.
std::string named_path(const std::string& message) {
    const auto open = message.find('\'');
    const auto close = open == std::string::npos ? open : message.find('\'', open + 1);
    if (close != std::string::npos) return message.substr(open + 1, close - open - 1);
    return message.substr(0, message.find(' '));
}

/// The deepest node of the dotted path (with [i] indices) in fields, for the error's position.
SourcePos locate(const MapFields& fields, const std::string& message) {
    SourcePos pos = pos_of(fields.node());
    YAML::Node node = fields.node();
    std::string path = named_path(message);
    while (!path.empty() && node.IsMap()) {
        const auto end = path.find_first_of(".[");
        const std::string key = path.substr(0, end);
        const YAML::Node& parent = node;
        const YAML::Node next = parent[key]; // const: looking up must not add the key
        if (!next.IsDefined() || next.IsNull()) break;
        node = next;
        pos = pos_of(next);
        if (next.IsSequence() && end != std::string::npos && path[end] == '[') {
            const std::size_t index = std::stoul(path.substr(end + 1));
            if (index < next.size()) pos = pos_of(node = next[index]);
            path = path.substr(std::min(path.size(), path.find(']', end) + 2));
        } else {
            path = end == std::string::npos ? "" : path.substr(end + 1);
        }
    }
    return pos;
}

} // namespace

std::optional<QJsonObject> api_body(const Context& ctx, const MapFields& fields, ApiBody body, bool is_step) {
    QJsonObject object;
    bool ok = true;
    const Scalars scalars = body == ApiBody::Sms ? Scalars::Strings : Scalars::Typed;
    for (const Field& f : fields.all()) {
        if (is_step && f.name == "name") continue; // the step's label, not a field of the body
        auto v = to_json(f.in(ctx), f.value, scalars);
        ok = ok && v.has_value();
        if (v) object.insert(QString::fromStdString(f.name), *v);
    }
    if (!ok) return std::nullopt;
    const std::string error = check(object, body);
    if (error.empty()) return object;
    ctx.error(locate(fields, error), error);
    return std::nullopt;
}

} // namespace dtu::sim::scenario
