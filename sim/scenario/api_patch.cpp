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

/// The key and value nodes of key in map.
std::optional<std::pair<YAML::Node, YAML::Node>> child(const YAML::Node& map, const std::string& key) {
    for (auto it = map.begin(); it != map.end(); ++it)
        if (it->first.IsScalar() && it->first.Scalar() == key) return std::pair{it->first, it->second};
    return std::nullopt;
}

/// Where the field that the API's message names is written: the deepest node of its dotted path
/// (with [i] indices); the key itself for an unknown field or an empty value.
SourcePos locate(const MapFields& fields, const std::string& message) {
    const bool unknown = message.rfind("unknown field", 0) == 0;
    SourcePos pos = pos_of(fields.node());
    YAML::Node node = fields.node();
    std::string path = named_path(message);
    while (!path.empty() && node.IsMap()) {
        const auto end = path.find_first_of(".[");
        const auto found = child(node, path.substr(0, end));
        if (!found) break;
        const auto& [key, value] = *found;
        node = value;
        pos = pos_of(unknown || value.IsNull() ? key : value);
        if (value.IsSequence() && end != std::string::npos && path[end] == '[') {
            const std::size_t index = std::stoul(path.substr(end + 1));
            if (index < value.size()) pos = pos_of(node = value[index]);
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
