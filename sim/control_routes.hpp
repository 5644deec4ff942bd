#pragma once
// The control API's resources and the methods each answers. The router (control_api.cpp) answers
// nothing else (404 / 405 with this Allow list), and the OpenAPI description
// (docs/control-api.openapi.yaml) is checked against this table (tests/integration/openapi_test.cpp),
// so a route cannot be added without being described.
#include <array>
#include <cstddef>
#include <string_view>

namespace dtu::sim {

struct ControlRoute {
    std::string_view path;
    std::string_view allow; ///< the methods, as the Allow header lists them ("GET, PUT")
};

inline constexpr std::array kControlRoutes{
    ControlRoute{"/api/v1/status", "GET"},
    ControlRoute{"/api/v1/link", "GET, PUT"},
    ControlRoute{"/api/v1/link/reset", "POST"},
    ControlRoute{"/api/v1/radio", "GET, PUT"},
    ControlRoute{"/api/v1/sms", "POST"},
    ControlRoute{"/api/v1/sms/outbox", "GET"},
    ControlRoute{"/api/v1/power", "POST"},
    ControlRoute{"/api/v1/sim/pin", "GET, PUT"},
    ControlRoute{"/metrics", "GET"},
};

/// The route serving path, or nullptr.
constexpr const ControlRoute* find_control_route(std::string_view path) {
    for (const ControlRoute& r : kControlRoutes)
        if (r.path == path) return &r;
    return nullptr;
}

/// Whether route answers method; HEAD wherever GET (httplib serves HEAD with the GET handler).
constexpr bool control_route_allows(const ControlRoute& route, std::string_view method) {
    if (method == "HEAD") method = "GET";
    std::string_view rest = route.allow;
    while (!rest.empty()) {
        const std::size_t comma = rest.find(", ");
        if (rest.substr(0, comma) == method) return true;
        rest = comma == std::string_view::npos ? std::string_view{} : rest.substr(comma + 2);
    }
    return false;
}

} // namespace dtu::sim
