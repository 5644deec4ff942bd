// docs/control-api.openapi.yaml against a running dtu-sim (--control 127.0.0.1:0, --ready-file):
// every path and method it describes is requested (with the documented example body where one is
// required); the status must be one it lists, and the JSON answer must conform to that status's
// schema (required fields, types, enums, ranges). Conversely the description must list exactly the
// routes of the server's route table (sim/control_routes.hpp), which is the router's gate: the
// server answers 405 with the table's Allow list for any other method, 404 for any other path.
#include <memory>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include <gtest/gtest.h>
#include <yaml-cpp/yaml.h>

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include "control_client.hpp"
#include "json_schema_check.hpp"
#include "net_client.hpp"
#include "sim/control_routes.hpp"
#include "sim/scenario/yaml_fields.hpp"
#include "sim/scenario/yaml_json.hpp"
#include "sim_process.hpp"
#include "wait.hpp"

namespace dtu::itest {
namespace {

const std::string kOpenApiFile = DTU_SOURCE_DIR "/docs/control-api.openapi.yaml";

/// The methods an OpenAPI path item may describe, as its keys spell them.
const QStringList kMethods{"get", "put", "post", "delete", "patch", "options", "head"};

/// The OpenAPI file as JSON (the scenario reader's YAML-to-JSON conversion: quoted scalars are
/// strings, plain ones typed by YAML 1.2's core schema).
QJsonObject load_openapi() {
    sim::scenario::ErrorList errors(kOpenApiFile);
    const auto json = sim::scenario::to_json(sim::scenario::Context(errors), YAML::LoadFile(kOpenApiFile));
    for (const auto& e : errors.errors())
        ADD_FAILURE() << e.to_string();
    return json ? json->toObject() : QJsonObject{};
}

struct Operation {
    std::string path;
    QString method; ///< lower case, as in the file
    QJsonObject spec;
    std::string name() const { return method.toUpper().toStdString() + " " + path; }
};

std::vector<Operation> operations(const QJsonObject& api) {
    std::vector<Operation> ops;
    const QJsonObject paths = api.value("paths").toObject();
    for (auto p = paths.begin(); p != paths.end(); ++p)
        for (const QString& method : kMethods)
            if (p.value().toObject().contains(method))
                ops.push_back({p.key().toStdString(), method, p.value().toObject().value(method).toObject()});
    return ops;
}

/// The request body's application/json part, or {} when the operation takes none.
QJsonObject json_body_spec(const QJsonObject& api, const Operation& op) {
    const QJsonObject body = resolve_ref(api, op.spec.value("requestBody").toObject());
    return body.value("content").toObject().value("application/json").toObject();
}

/// The documented example body ("" when the operation takes none).
std::string example_body(const QJsonObject& api, const Operation& op) {
    const QJsonValue example = json_body_spec(api, op).value("example");
    if (example.isObject())
        return QJsonDocument(example.toObject()).toJson(QJsonDocument::Compact).toStdString();
    const bool required =
        resolve_ref(api, op.spec.value("requestBody").toObject()).value("required").toBool();
    EXPECT_FALSE(required) << op.name() << ": the body is required but the file gives no example";
    return {};
}

Answer send(Control& api, const QString& method, const std::string& path, const std::string& body) {
    if (method == "get") return api.get(path);
    if (method == "put") return api.put(path, body);
    if (method == "post") return api.post(path, body);
    if (method == "delete") return api.del(path);
    ADD_FAILURE() << "the test cannot send " << method.toStdString();
    return {};
}

/// Whether the answer's status is documented for op and its JSON conforms to that status's schema.
void expect_documented(const QJsonObject& api, const Operation& op, const Answer& a) {
    const QJsonObject responses = op.spec.value("responses").toObject();
    ASSERT_TRUE(responses.contains(QString::number(a.status)))
        << op.name() << " answered " << a.status << ", which the file does not list: " << a.raw;
    const QJsonObject response = resolve_ref(api, responses.value(QString::number(a.status)).toObject());
    const QJsonObject content = response.value("content").toObject();
    if (content.contains("text/plain")) { // GET /metrics: its format is checked by metrics_test.cpp
        EXPECT_EQ(a.content_type.rfind("text/plain", 0), 0u) << op.name() << ": " << a.content_type;
        EXPECT_FALSE(a.raw.empty()) << op.name();
        return;
    }
    EXPECT_EQ(a.content_type.rfind("application/json", 0), 0u) << op.name() << ": " << a.content_type;
    const QJsonObject schema =
        response.value("content").toObject().value("application/json").toObject().value("schema").toObject();
    ASSERT_FALSE(schema.isEmpty()) << op.name() << " " << a.status << ": no JSON schema in the file";
    const QJsonDocument doc = QJsonDocument::fromJson(QByteArray::fromStdString(a.raw));
    ASSERT_TRUE(doc.isObject()) << op.name() << ": not a JSON object: " << a.raw;
    for (const std::string& problem : schema_problems(api, schema, doc.object(), op.name() + " $"))
        ADD_FAILURE() << problem;
}

/// "GET, PUT" -> {"get", "put"}.
std::set<std::string> methods_of(std::string_view allow) {
    std::set<std::string> methods;
    for (const QString& m : QString::fromUtf8(allow.data(), allow.size()).split(", "))
        methods.insert(m.toLower().toStdString());
    return methods;
}

class OpenApi : public ::testing::Test {
protected:
    void SetUp() override {
        api_ = load_openapi();
        ASSERT_FALSE(operations(api_).empty()) << kOpenApiFile << " describes no operation";
        sim_ = std::make_unique<SimProcess>(std::vector<std::string>{"--control", "127.0.0.1:0"});
        ASSERT_TRUE(sim_->start());
        ASSERT_FALSE(sim_->control().empty()) << "no \"control\" in the ready file";
        client_ = std::make_unique<Control>(sim_->control());
    }

    QJsonObject api_;
    std::unique_ptr<SimProcess> sim_;
    std::unique_ptr<Control> client_;
};

TEST_F(OpenApi, EveryOperationAnswersADocumentedStatusWithTheDocumentedFields) {
    for (const Operation& op : operations(api_)) {
        SCOPED_TRACE(op.name());
        const Answer a = send(*client_, op.method, op.path, example_body(api_, op));
        EXPECT_GE(a.status, 200) << a.raw;
        EXPECT_LT(a.status, 300) << "the documented example must succeed: " << a.raw;
        expect_documented(api_, op, a);
    }
}

TEST_F(OpenApi, BodiesOutsideTheSchemaGetTheDocumentedErrorNamingTheField) {
    for (const Operation& op : operations(api_)) {
        if (json_body_spec(api_, op).isEmpty()) continue;
        SCOPED_TRACE(op.name());
        for (const std::string body : {R"({"no_such_field": 1})", R"([])", R"({"truncated": )"}) {
            const Answer a = send(*client_, op.method, op.path, body);
            EXPECT_EQ(a.status, 400) << body << " -> " << a.raw;
            expect_documented(api_, op, a);
        }
        const Answer a = send(*client_, op.method, op.path, R"({"no_such_field": 1})");
        EXPECT_NE(error_of(a).find("no_such_field"), std::string::npos) << a.raw;
    }
}

TEST_F(OpenApi, TheFileDescribesExactlyTheRoutesOfTheServer) {
    std::set<std::string> described;
    for (const Operation& op : operations(api_))
        described.insert(op.path);
    for (const sim::ControlRoute& route : sim::kControlRoutes) {
        const std::string path(route.path);
        SCOPED_TRACE(path);
        EXPECT_EQ(described.erase(path), 1u)
            << "the server serves " << path << ", the file does not describe it";
        std::set<std::string> methods;
        for (const Operation& op : operations(api_))
            if (op.path == path) methods.insert(op.method.toStdString());
        EXPECT_EQ(methods, methods_of(route.allow)) << "methods of " << path;
        // The table is what the server enforces: any other method is 405 with the table's list.
        const Answer a = client_->del(path);
        EXPECT_EQ(a.status, 405) << a.raw;
        EXPECT_EQ(a.allow, route.allow);
    }
    for (const std::string& path : described)
        ADD_FAILURE() << "the file describes " << path << ", which the server does not serve";
    const Answer unknown = client_->get("/api/v1/no-such-resource");
    EXPECT_EQ(unknown.status, 404) << unknown.raw;
    EXPECT_FALSE(error_of(unknown).empty()) << unknown.raw;
}

/// The K7's status: its discovery and network AT objects conform to the file's schema and count
/// what reached the services (spec k7-ethernet §10, §11).
TEST(OpenApiK7, StatusCountsDiscoveryAndNetworkAt) {
    using namespace std::chrono_literals;
    const QJsonObject api = load_openapi();
    SimProcess sim({"--profile", "k7", "--control", "127.0.0.1:0"});
    ASSERT_TRUE(sim.start());
    Control control(sim.control());
    const QJsonObject before = control.get("/api/v1/status").json;
    EXPECT_EQ(before.value("discovery").toObject().value("searches").toInt(-1), 0);
    EXPECT_TRUE(before.value("discovery").toObject().value("listening").toBool());
    EXPECT_EQ(before.value("network_at").toObject().value("port").toInt(), 48899);
    EXPECT_TRUE(before.value("network_at").toObject().value("peer").isNull());

    UdpClient setup(sim.port("udp/1901"));
    std::string reply;
    setup.send(std::string("\xff\x01\x01\x02", 4)); // K7 §5.1.2: the search
    ASSERT_TRUE(setup.receive(reply, 2s));
    setup.send(std::string("\xff\x13\x03", 3)); // cut short: 'E'
    ASSERT_TRUE(setup.receive(reply, 2s));
    UdpClient pc(sim.port("udp/48899"));
    pc.send("www.usr.cn");
    ASSERT_TRUE(pc.receive(reply, 2s));
    pc.send("AT+VER");
    ASSERT_TRUE(pc.receive(reply, 2s));

    QJsonObject now;
    EXPECT_TRUE(wait_until(
        [&] {
            now = control.get("/api/v1/status").json;
            return now.value("network_at").toObject().value("commands").toInt() == 1;
        },
        2s));
    const QJsonObject d = now.value("discovery").toObject();
    EXPECT_EQ(d.value("frames").toInt(), 2);
    EXPECT_EQ(d.value("searches").toInt(), 1);
    EXPECT_EQ(d.value("bad_frames").toInt(), 1);
    EXPECT_EQ(d.value("refused").toInt(), 0);
    const QJsonObject n = now.value("network_at").toObject();
    EXPECT_TRUE(n.value("in_session").toBool());
    EXPECT_EQ(n.value("peer").toString().toStdString(), "127.0.0.1:" + std::to_string(pc.local_port()));
    EXPECT_EQ(n.value("sessions").toInt(), 1);
    EXPECT_EQ(n.value("datagrams").toInt(), 2);
    const QJsonObject schema = resolve_ref(api, QJsonObject{{"$ref", "#/components/schemas/Status"}});
    ASSERT_FALSE(schema.value("required").toArray().isEmpty());
    for (const std::string& problem : schema_problems(api, schema, now, "K7 status $"))
        ADD_FAILURE() << problem;
}

/// The K7's status: its web object conforms to the file's schema and counts the requests, the
/// refused logins and the refused forms (K7 §5.2, spec k7-ethernet §12).
TEST(OpenApiK7, StatusCountsTheWebPage) {
    const QJsonObject api = load_openapi();
    SimProcess sim({"--profile", "k7", "--control", "127.0.0.1:0"});
    ASSERT_TRUE(sim.start());
    Control control(sim.control());
    const QJsonObject before = control.get("/api/v1/status").json.value("web").toObject();
    EXPECT_TRUE(before.value("serving").toBool());
    EXPECT_EQ(before.value("port").toInt(), 80);
    EXPECT_EQ(before.value("requests").toInt(-1), 0);

    Control web("http://127.0.0.1:" + std::to_string(sim.port("tcp/80")));
    EXPECT_EQ(web.get("/").status, 401);
    web.client().set_basic_auth("admin", "admin");
    EXPECT_EQ(web.get("/").status, 200);
    auto bad = web.client().Post("/ip", "WANN.mode=AUTO", "application/x-www-form-urlencoded");
    ASSERT_TRUE(bad);
    EXPECT_EQ(bad->status, 400);

    const QJsonObject now = control.get("/api/v1/status").json;
    const QJsonObject w = now.value("web").toObject();
    EXPECT_EQ(w.value("requests").toInt(), 3);
    EXPECT_EQ(w.value("login_failures").toInt(), 1);
    EXPECT_EQ(w.value("form_rejects").toInt(), 1);
    EXPECT_EQ(w.value("forms_saved").toInt(), 0);
    EXPECT_EQ(now.value("ports").toObject().value("tcp/80").toString().toStdString(),
              "127.0.0.1:" + std::to_string(sim.port("tcp/80")));
    const QJsonObject schema = resolve_ref(api, QJsonObject{{"$ref", "#/components/schemas/Status"}});
    for (const std::string& problem : schema_problems(api, schema, now, "K7 status $"))
        ADD_FAILURE() << problem;
}

} // namespace
} // namespace dtu::itest
