#include "sim/scenario/yaml_json.hpp"

#include <charconv>
#include <cmath>
#include <cstdint>

#include <QJsonArray>
#include <QJsonObject>
#include <re2/re2.h>

namespace dtu::sim::scenario {
namespace {

// Aliases share nodes, so a small file can name an exponentially large value ("billion laughs").
constexpr int kMaxValues = 100'000;
constexpr int kMaxDepth = 64;

const std::string kStrTag = "tag:yaml.org,2002:str";

class Converter {
public:
    Converter(const Context& ctx, Scalars scalars) : ctx_(ctx), scalars_(scalars) {}

    std::optional<QJsonValue> value(const YAML::Node& node, int depth) {
        if (++count_ > kMaxValues || depth > kMaxDepth) {
            if (!too_large_)
                ctx_.error(node, "too large or too deeply nested (aliases expand past the limit)");
            too_large_ = true;
            return std::nullopt;
        }
        switch (node.Type()) {
        case YAML::NodeType::Map: return map(node, depth);
        case YAML::NodeType::Sequence: return list(node, depth);
        case YAML::NodeType::Scalar: return scalar(node);
        case YAML::NodeType::Null:
        case YAML::NodeType::Undefined: break;
        }
        return QJsonValue(QJsonValue::Null);
    }

private:
    std::optional<QJsonValue> map(const YAML::Node& node, int depth) {
        MapFields fields(ctx_, node, {});
        QJsonObject object;
        bool ok = true;
        for (const Field& f : fields.all()) {
            auto v = value(f.value, depth + 1);
            ok = ok && v.has_value();
            if (v) object.insert(QString::fromStdString(f.name), *v);
        }
        if (!ok) return std::nullopt;
        return object;
    }

    std::optional<QJsonValue> list(const YAML::Node& node, int depth) {
        QJsonArray array;
        bool ok = true;
        for (const YAML::Node& element : node) {
            auto v = value(element, depth + 1);
            ok = ok && v.has_value();
            if (v) array.append(*v);
        }
        if (!ok) return std::nullopt;
        return array;
    }

    std::optional<QJsonValue> scalar(const YAML::Node& node) {
        const std::string& text = node.Scalar();
        const QString string = QString::fromStdString(text);
        if (node.Tag() == "!" || node.Tag() == kStrTag || scalars_ == Scalars::Strings)
            return QJsonValue(string);
        if (node.Tag() != "?") {
            ctx_.error(node, "unsupported tag '" + node.Tag() + "' (write the value without a tag)");
            return std::nullopt;
        }
        return plain(node, text, string);
    }

    /// YAML 1.2 core schema resolution of a plain scalar.
    std::optional<QJsonValue> plain(const YAML::Node& node, const std::string& text, const QString& string) {
        static const RE2 kNull("~|null|Null|NULL");
        static const RE2 kTrue("true|True|TRUE");
        static const RE2 kFalse("false|False|FALSE");
        static const RE2 kInt("[-+]?[0-9]+");
        static const RE2 kFloat(R"([-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?)");
        static const RE2 kSpecial(R"([-+]?\.(inf|Inf|INF)|\.(nan|NaN|NAN))");
        if (RE2::FullMatch(text, kNull)) return QJsonValue(QJsonValue::Null);
        if (RE2::FullMatch(text, kTrue)) return QJsonValue(true);
        if (RE2::FullMatch(text, kFalse)) return QJsonValue(false);
        if (RE2::FullMatch(text, kSpecial)) {
            ctx_.error(node, "'" + text + "' has no JSON form: use a finite number");
            return std::nullopt;
        }
        if (RE2::FullMatch(text, kInt)) {
            const std::string digits = text[0] == '+' ? text.substr(1) : text;
            std::int64_t i = 0;
            const auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), i);
            if (ec == std::errc() && end == digits.data() + digits.size())
                return QJsonValue(static_cast<qint64>(i));
        }
        if (RE2::FullMatch(text, kInt) || RE2::FullMatch(text, kFloat)) {
            const double d = string.toDouble();
            if (!std::isfinite(d)) {
                ctx_.error(node, "'" + text + "' is too large a number");
                return std::nullopt;
            }
            return QJsonValue(d);
        }
        return QJsonValue(string);
    }

    Context ctx_;
    Scalars scalars_;
    int count_ = 0;
    bool too_large_ = false;
};

} // namespace

std::optional<QJsonValue> to_json(const Context& ctx, const YAML::Node& node, Scalars scalars) {
    return Converter(ctx, scalars).value(node, 0);
}

} // namespace dtu::sim::scenario
