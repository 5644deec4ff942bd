#include "json_schema_check.hpp"

#include <cmath>
#include <utility>

#include <QByteArray>
#include <QJsonArray>
#include <QJsonDocument>
#include <QStringList>

namespace dtu::itest {
namespace {

/// A value as compact JSON, for messages.
std::string text(const QJsonValue& v) {
    const QByteArray array = QJsonDocument(QJsonArray{v}).toJson(QJsonDocument::Compact); // [v]
    return array.mid(1, array.size() - 2).toStdString();
}

bool has_type(const QJsonValue& v, const QString& type) {
    if (type == "object") return v.isObject();
    if (type == "array") return v.isArray();
    if (type == "string") return v.isString();
    if (type == "boolean") return v.isBool();
    if (type == "number") return v.isDouble();
    if (type == "integer") return v.isDouble() && std::floor(v.toDouble()) == v.toDouble();
    return false;
}

class Checker {
public:
    explicit Checker(const QJsonObject& document) : document_(document) {}

    void check(const QJsonObject& schema_or_ref, const QJsonValue& value, const std::string& where) {
        const QJsonObject schema = resolve_ref(document_, schema_or_ref);
        if (value.isNull() && schema.value("nullable").toBool()) return;
        for (const QJsonValue part : schema.value("allOf").toArray())
            check(part.toObject(), value, where);
        const QString type = schema.value("type").toString();
        if (!type.isEmpty() && !has_type(value, type))
            return problem(where + ": expected " + type.toStdString() + ", found " + text(value));
        check_enum(schema, value, where);
        check_range(schema, value, where);
        if (value.isObject()) check_object(schema, value.toObject(), where);
        if (value.isArray()) check_array(schema, value.toArray(), where);
    }

    std::vector<std::string> take() { return std::move(problems_); }

private:
    void problem(std::string message) { problems_.push_back(std::move(message)); }

    void check_enum(const QJsonObject& schema, const QJsonValue& value, const std::string& where) {
        if (!schema.contains("enum") || schema.value("enum").toArray().contains(value)) return;
        problem(where + ": " + text(value) + " is not one of " + text(schema.value("enum")));
    }

    void check_range(const QJsonObject& schema, const QJsonValue& value, const std::string& where) {
        if (!value.isDouble()) return;
        const double n = value.toDouble();
        if (schema.contains("minimum") && n < schema.value("minimum").toDouble())
            problem(where + ": " + text(value) + " is below the minimum " + text(schema.value("minimum")));
        if (schema.contains("maximum") && n > schema.value("maximum").toDouble())
            problem(where + ": " + text(value) + " is above the maximum " + text(schema.value("maximum")));
    }

    void check_object(const QJsonObject& schema, const QJsonObject& value, const std::string& where) {
        const QJsonObject properties = schema.value("properties").toObject();
        for (const QJsonValue name : schema.value("required").toArray())
            if (!value.contains(name.toString()))
                problem(where + ": the required field '" + name.toString().toStdString() + "' is missing");
        const bool closed = schema.value("additionalProperties") == QJsonValue(false);
        for (auto it = value.begin(); it != value.end(); ++it) {
            const std::string at = where + "." + it.key().toStdString();
            if (properties.contains(it.key()))
                check(properties.value(it.key()).toObject(), it.value(), at);
            else if (closed)
                problem(at + ": not described (additionalProperties: false)");
            else if (schema.value("additionalProperties").isObject())
                check(schema.value("additionalProperties").toObject(), it.value(), at);
        }
    }

    void check_array(const QJsonObject& schema, const QJsonArray& value, const std::string& where) {
        const auto size = static_cast<double>(value.size());
        if (schema.contains("minItems") && size < schema.value("minItems").toDouble())
            problem(where + ": fewer items than minItems");
        if (schema.contains("maxItems") && size > schema.value("maxItems").toDouble())
            problem(where + ": more items than maxItems");
        if (!schema.contains("items")) return;
        for (qsizetype i = 0; i < value.size(); ++i)
            check(schema.value("items").toObject(), value.at(i), where + "[" + std::to_string(i) + "]");
    }

    const QJsonObject& document_;
    std::vector<std::string> problems_;
};

} // namespace

QJsonObject resolve_ref(const QJsonObject& document, QJsonObject node) {
    for (int hops = 0; node.contains("$ref") && hops < 16; ++hops) {
        const QString ref = node.value("$ref").toString();
        if (!ref.startsWith("#/")) return {};
        QJsonValue at = document;
        for (const QString& step : ref.mid(2).split('/'))
            at = at.toObject().value(step);
        node = at.toObject();
    }
    return node;
}

std::vector<std::string> schema_problems(const QJsonObject& document, const QJsonObject& schema,
                                         const QJsonValue& value, const std::string& where) {
    Checker checker(document);
    checker.check(schema, value, where);
    return checker.take();
}

} // namespace dtu::itest
