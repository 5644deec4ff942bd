#pragma once
// Scenario parts that are control API bodies — `link` (PUT /api/v1/link), `radio`
// (PUT /api/v1/radio), `sms_in` (POST /api/v1/sms) — checked by the same code as the API, so a
// scenario accepts exactly what the API accepts, with the API's message placed on the field's line.
#include <optional>

#include <QJsonObject>

#include "sim/scenario/yaml_fields.hpp"

namespace dtu::sim::scenario {

enum class ApiBody : std::uint8_t { Link, Radio, Sms };

/// The fields (without `name` when is_step: it labels the step) as a JSON object that the API accepts (merged
/// into the defaults: an ideal link, the default radio model of a device with the default identity).
std::optional<QJsonObject> api_body(const Context& ctx, const MapFields& fields, ApiBody body, bool is_step);

} // namespace dtu::sim::scenario
