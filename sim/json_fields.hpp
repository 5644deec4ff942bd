#pragma once
// Reading a JSON object into plain values for the control API: names, types and ranges checked,
// the first problem kept (with the field's path, e.g. "upstream.gilbert.p") and everything after
// it skipped, so a patch is either valid as a whole or applies nothing.
#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include <QJsonArray>
#include <QJsonObject>
#include <QJsonValue>
#include <QString>

namespace dtu::sim {

inline QString q(std::string_view s) { return QString::fromUtf8(s.data(), static_cast<qsizetype>(s.size())); }

/// A JSON name for an enum value.
template <typename E> struct Name {
    const char* text;
    E value;
};

/// Reads the fields of one JSON object into plain values, checking names, types and ranges.
/// The first problem is kept in error and every later call does nothing.
class FieldReader {
public:
    FieldReader(const QJsonObject& object, std::string path, std::string& error)
        : object_(object), path_(std::move(path)), error_(error) {}

    /// Fail on the first key of the object not in keys (list_known: the message lists them).
    void only(std::initializer_list<std::string_view> keys, bool list_known = false) {
        for (const QString& key : object_.keys()) {
            const std::string k = key.toStdString();
            if (std::find(keys.begin(), keys.end(), k) != keys.end()) continue;
            std::string known;
            for (std::string_view name : keys)
                known += (known.empty() ? " (fields: " : ", ") + std::string(name);
            return fail("unknown field '" + field(k) + "'" + (list_known ? known + ")" : ""));
        }
    }

    /// A number from 0 to max, if present.
    void number(std::string_view key, double& out, double max) {
        const QJsonValue v = get(key);
        if (v.isUndefined()) return;
        const std::string range = "a number from 0 to " + QString::number(max, 'g', 12).toStdString();
        if (!v.isDouble()) return fail(field(key) + " must be " + range);
        const double d = v.toDouble();
        if (!std::isfinite(d) || d < 0.0 || d > max) return fail(field(key) + " must be " + range);
        out = d;
    }

    /// A whole number from lo to hi, if present.
    template <typename T> void integer(std::string_view key, T& out, std::int64_t lo, std::int64_t hi) {
        const QJsonValue v = get(key);
        if (v.isUndefined()) return;
        const double d = v.toDouble();
        if (!v.isDouble() || !std::isfinite(d) || std::floor(d) != d)
            return fail(field(key) + " must be a whole number");
        if (d < static_cast<double>(lo) || d > static_cast<double>(hi))
            return fail(field(key) + " must be from " + std::to_string(lo) + " to " + std::to_string(hi));
        out = static_cast<T>(d);
    }

    /// true or false, if present.
    void boolean(std::string_view key, bool& out) {
        const QJsonValue v = get(key);
        if (v.isUndefined()) return;
        if (!v.isBool()) return fail(field(key) + " must be true or false");
        out = v.toBool();
    }

    /// A string, if present.
    void string(std::string_view key, std::string& out) {
        const QJsonValue v = get(key);
        if (v.isUndefined()) return;
        if (!v.isString()) return fail(field(key) + " must be a string");
        out = v.toString().toStdString();
    }

    /// One of the names, if present.
    template <typename E, std::size_t N>
    void choice(std::string_view key, E& out, const Name<E> (&names)[N]) {
        const QJsonValue v = get(key);
        if (v.isUndefined()) return;
        std::string list;
        for (const auto& n : names) {
            if (v.isString() && v.toString() == QLatin1String(n.text)) {
                out = n.value;
                return;
            }
            list += (list.empty() ? "\"" : " or \"") + std::string(n.text) + "\"";
        }
        fail(field(key) + " must be " + list);
    }

    /// A nested object, if present: read(FieldReader&) reads its fields.
    void object(std::string_view key, const std::function<void(FieldReader&)>& read) {
        const QJsonValue v = get(key);
        if (v.isUndefined()) return;
        if (!v.isObject()) return fail(field(key) + " must be an object");
        FieldReader nested(v.toObject(), field(key), error_);
        read(nested);
    }

    /// An array of at most max objects, if present: resize(n), then read(FieldReader&, index) each.
    void objects(std::string_view key, std::size_t max, const std::function<void(std::size_t)>& resize,
                 const std::function<void(FieldReader&, std::size_t)>& read) {
        const QJsonValue v = get(key);
        if (v.isUndefined()) return;
        if (!v.isArray()) return fail(field(key) + " must be an array");
        const QJsonArray a = v.toArray();
        if (static_cast<std::size_t>(a.size()) > max)
            return fail(field(key) + " must have at most " + std::to_string(max) + " entries");
        resize(static_cast<std::size_t>(a.size()));
        for (qsizetype i = 0; i < a.size() && error_.empty(); ++i) {
            const std::string name = field(key) + "[" + std::to_string(i) + "]";
            if (!a.at(i).isObject()) return fail(name + " must be an object");
            FieldReader element(a.at(i).toObject(), name, error_);
            read(element, static_cast<std::size_t>(i));
        }
    }

    /// A field the object must have.
    void require(std::string_view key) { require(std::initializer_list<std::string_view>{key}); }
    /// Fields the object must have: the error names every one that is missing.
    void require(std::initializer_list<std::string_view> keys) {
        std::string missing;
        std::size_t n = 0;
        for (std::string_view key : keys)
            if (!object_.contains(q(key))) missing += (n++ ? ", " : "") + field(key);
        if (n == 1) fail(missing + " is required");
        if (n > 1) fail("missing fields: " + missing);
    }

    /// A read-only field: accepted only with the value it has now.
    void read_only(std::string_view key, const QJsonValue& now, const std::string& why) {
        const QJsonValue v = get(key);
        if (v.isUndefined() || v == now) return;
        fail(field(key) + " is read-only: " + why);
    }

private:
    QJsonValue get(std::string_view key) const {
        if (!error_.empty()) return QJsonValue(QJsonValue::Undefined);
        return object_.value(q(key));
    }
    std::string field(std::string_view key) const {
        return path_.empty() ? std::string(key) : path_ + "." + std::string(key);
    }
    void fail(const std::string& message) {
        if (error_.empty()) error_ = message;
    }

    const QJsonObject object_;
    const std::string path_;
    std::string& error_;
};

/// Where json holds a string (a value or a field name) that is not valid Unicode, or nothing. Qt's
/// parser takes a lone UTF-16 surrogate such as "\ud800" as it is, but no UTF-8 text can hold it:
/// it would reach the device as U+FFFD. The answer names the field ("text", "neighbours[2].lac").
inline std::optional<std::string> invalid_unicode_at(const QJsonValue& json, const std::string& path = {});

inline std::optional<std::string> invalid_unicode_in_object(const QJsonObject& object,
                                                            const std::string& path) {
    for (auto it = object.begin(); it != object.end(); ++it) {
        if (!it.key().isValidUtf16()) return "a field name" + (path.empty() ? "" : " in " + path);
        const std::string name = it.key().toStdString();
        if (auto bad = invalid_unicode_at(it.value(), path.empty() ? name : path + "." + name)) return bad;
    }
    return std::nullopt;
}

inline std::optional<std::string> invalid_unicode_at(const QJsonValue& json, const std::string& path) {
    if (json.isString() && !json.toString().isValidUtf16()) return path.empty() ? "the body" : path;
    if (json.isObject()) return invalid_unicode_in_object(json.toObject(), path);
    if (json.isArray()) {
        const QJsonArray a = json.toArray();
        for (qsizetype i = 0; i < a.size(); ++i)
            if (auto bad = invalid_unicode_at(a.at(i), path + "[" + std::to_string(i) + "]")) return bad;
    }
    return std::nullopt;
}

} // namespace dtu::sim
