#include "sim/scenario/junit.hpp"

#include <algorithm>
#include <cstdio>
#include <filesystem>

#include <QSaveFile>
#include <QString>
#include <QStringList>
#include <QXmlStreamWriter>

namespace dtu::sim::scenario {
namespace {

using Outcome = CaseResult::Outcome;

QString q(const std::string& text) { return QString::fromStdString(xml_safe(text)); }
QString seconds(double s) { return QString::number(s, 'f', 3); }

int count(const std::vector<CaseResult>& cases, std::initializer_list<Outcome> outcomes) {
    int n = 0;
    for (const CaseResult& c : cases)
        for (Outcome o : outcomes)
            n += c.outcome == o ? 1 : 0;
    return n;
}

void write_property(QXmlStreamWriter& xml, const char* name, const QString& value) {
    xml.writeStartElement("property");
    xml.writeAttribute("name", name);
    xml.writeAttribute("value", value);
    xml.writeEndElement();
}

/// Text with each CR as a character reference: a reader turns a raw CR LF into LF (XML 1.0 §2.11),
/// and a device's "\r\n" is part of what the report must show.
void write_text(QXmlStreamWriter& xml, const QString& text) {
    const QStringList lines = text.split(QLatin1Char('\r'));
    for (qsizetype i = 0; i < lines.size(); ++i) {
        if (i > 0) xml.writeEntityReference(QStringLiteral("#13"));
        xml.writeCharacters(lines[i]);
    }
}

/// <failure>/<error> with its message and type, the details as text.
void write_problem(QXmlStreamWriter& xml, const char* element, const char* type, const CaseResult& c) {
    xml.writeStartElement(element);
    xml.writeAttribute("message", q(c.message));
    xml.writeAttribute("type", type);
    write_text(xml, q(c.details));
    xml.writeEndElement();
}

void write_case(QXmlStreamWriter& xml, const CaseResult& c) {
    xml.writeStartElement("testcase");
    xml.writeAttribute("name", q(c.name));
    xml.writeAttribute("classname", q(c.classname));
    xml.writeAttribute("time", seconds(c.wall_seconds));
    xml.writeStartElement("properties");
    if (!c.source.empty()) write_property(xml, "source", q(c.source));
    write_property(xml, "device_seconds", seconds(c.device_seconds));
    xml.writeEndElement();
    switch (c.outcome) {
    case Outcome::Passed: break;
    case Outcome::Failed: write_problem(xml, "failure", "mismatch", c); break;
    case Outcome::TimedOut: write_problem(xml, "failure", "timeout", c); break;
    case Outcome::Error: write_problem(xml, "error", "error", c); break;
    case Outcome::Skipped:
        xml.writeStartElement("skipped");
        if (!c.message.empty()) xml.writeAttribute("message", q(c.message));
        xml.writeEndElement();
        break;
    }
    xml.writeEndElement();
}

} // namespace

std::string junit_classname(const std::string& file) {
    std::string name = std::filesystem::path(file).lexically_normal().replace_extension().generic_string();
    std::replace(name.begin(), name.end(), '.', '_');
    return name;
}

std::string xml_safe(const std::string& text) {
    std::string out;
    out.reserve(text.size());
    for (unsigned char c : text) {
        if (c < 0x20 && c != '\t' && c != '\n' && c != '\r') {
            char hex[5];
            std::snprintf(hex, sizeof hex, "\\x%02x", c);
            out += hex;
        } else {
            out += static_cast<char>(c);
        }
    }
    return out;
}

bool write_junit(const std::string& path, const std::string& suite_name, const std::vector<CaseResult>& cases,
                 std::string& error) {
    QSaveFile file(QString::fromStdString(path));
    if (!file.open(QIODevice::WriteOnly)) {
        error = path + ": " + file.errorString().toStdString();
        return false;
    }
    double total = 0;
    for (const CaseResult& c : cases)
        total += c.wall_seconds;
    QXmlStreamWriter xml(&file);
    xml.setAutoFormatting(true);
    xml.writeStartDocument();
    xml.writeStartElement("testsuites");
    xml.writeStartElement("testsuite");
    xml.writeAttribute("name", q(suite_name));
    xml.writeAttribute("tests", QString::number(cases.size()));
    xml.writeAttribute("failures", QString::number(count(cases, {Outcome::Failed, Outcome::TimedOut})));
    xml.writeAttribute("errors", QString::number(count(cases, {Outcome::Error})));
    xml.writeAttribute("skipped", QString::number(count(cases, {Outcome::Skipped})));
    xml.writeAttribute("time", seconds(total));
    for (const CaseResult& c : cases)
        write_case(xml, c);
    xml.writeEndElement();
    xml.writeEndElement();
    xml.writeEndDocument();
    if (xml.hasError() || !file.commit()) {
        error = path + ": " + file.errorString().toStdString();
        return false;
    }
    return true;
}

} // namespace dtu::sim::scenario
