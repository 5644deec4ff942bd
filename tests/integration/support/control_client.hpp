#pragma once
// An HTTP client for the simulator's control API (httplib::Client), answers decoded as JSON.
#include <chrono>
#include <string>

#include <httplib.h>

#include <QByteArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace dtu::itest {

using namespace std::chrono_literals;

/// One HTTP exchange, decoded.
struct Answer {
    int status = 0; ///< 0: no answer (connection failed)
    QJsonObject json;
    std::string raw;
    std::string content_type;
    std::string allow;
};

/// A client for the simulator's control API.
class Control {
public:
    explicit Control(const std::string& url) : client_(url) {
        client_.set_connection_timeout(2s);
        client_.set_read_timeout(5s);
    }

    Answer get(const std::string& path) { return decode(client_.Get(path)); }
    Answer put(const std::string& path, const std::string& body) {
        return decode(client_.Put(path, body, "application/json"));
    }
    Answer post(const std::string& path, const std::string& body) {
        return decode(client_.Post(path, body, "application/json"));
    }
    Answer del(const std::string& path) { return decode(client_.Delete(path)); }
    /// The client itself, for keep-alive and other settings.
    httplib::Client& client() { return client_; }

private:
    static Answer decode(const httplib::Result& r) {
        Answer a;
        if (!r) return a;
        a.status = r->status;
        a.raw = r->body;
        a.content_type = r->get_header_value("Content-Type");
        a.allow = r->get_header_value("Allow");
        a.json = QJsonDocument::fromJson(QByteArray::fromStdString(r->body)).object();
        return a;
    }

    httplib::Client client_;
};

inline std::string text(const QJsonObject& json) {
    return QJsonDocument(json).toJson(QJsonDocument::Compact).toStdString();
}

inline QJsonObject parse(const std::string& json) {
    return QJsonDocument::fromJson(QByteArray::fromStdString(json)).object();
}

inline std::string error_of(const Answer& a) { return a.json.value("error").toString().toStdString(); }

} // namespace dtu::itest
