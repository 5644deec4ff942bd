#pragma once
// Checking a JSON value against an OpenAPI 3.0 schema object, for the test that holds
// docs/control-api.openapi.yaml to the running control API. Only what that file uses: $ref (to
// "#/..." in the same document), allOf, type, nullable, enum, required, properties,
// additionalProperties: false, items, minimum / maximum, minItems / maxItems.
#include <string>
#include <vector>

#include <QJsonObject>
#include <QJsonValue>

namespace dtu::itest {

/// The object a "$ref": "#/a/b" points to in document (followed until it is not a $ref); {} when
/// it points nowhere.
QJsonObject resolve_ref(const QJsonObject& document, QJsonObject node);

/// Why value does not conform to schema, one message per problem, each starting with where (e.g.
/// "status.sockets[0].state"); empty when it conforms.
std::vector<std::string> schema_problems(const QJsonObject& document, const QJsonObject& schema,
                                         const QJsonValue& value, const std::string& where);

} // namespace dtu::itest
