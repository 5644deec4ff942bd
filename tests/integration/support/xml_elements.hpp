#pragma once
// An XML file (a JUnit report) read back with QXmlStreamReader as a flat list of elements, so tests
// compare what a CI system would read, attribute by attribute.
#include <map>
#include <string>
#include <vector>

#include <QFile>
#include <QString>
#include <QXmlStreamReader>
#include <gtest/gtest.h>

namespace dtu::itest {

/// One element as read back: its name, attributes and text.
struct Element {
    std::string name;
    std::map<std::string, std::string> attributes;
    std::string text;
};

/// Every element of the file in document order; a read error fails the test.
inline std::vector<Element> read_back(const std::string& path) {
    QFile file(QString::fromStdString(path));
    EXPECT_TRUE(file.open(QIODevice::ReadOnly)) << path;
    QXmlStreamReader xml(&file);
    std::vector<Element> out;
    while (!xml.atEnd()) {
        if (xml.readNext() == QXmlStreamReader::StartElement) {
            Element e{xml.name().toString().toStdString(), {}, {}};
            for (const QXmlStreamAttribute& a : xml.attributes())
                e.attributes[a.name().toString().toStdString()] = a.value().toString().toStdString();
            out.push_back(std::move(e));
        } else if (xml.isCharacters() && !xml.isWhitespace() && !out.empty()) {
            out.back().text += xml.text().toString().toStdString();
        }
    }
    EXPECT_FALSE(xml.hasError()) << xml.errorString().toStdString();
    return out;
}

/// The elements called name.
inline std::vector<Element> only(const std::vector<Element>& all, const std::string& name) {
    std::vector<Element> out;
    for (const Element& e : all)
        if (e.name == name) out.push_back(e);
    return out;
}

} // namespace dtu::itest
