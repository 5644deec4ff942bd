#pragma once
// The scenarios' test certificates (scenarios/certs, made by make-certs.sh) for the virtual-time
// TLS tests: DTU_SCENARIO_CERTS is that directory (tests/virtual/CMakeLists.txt).
#include <fstream>
#include <sstream>
#include <string>

#include <gtest/gtest.h>

namespace dtu::test {

/// The PEM text of scenarios/certs/<name> (a test failure if it is missing or empty).
inline std::string scenario_cert(const std::string& name) {
    std::ifstream in(std::string(DTU_SCENARIO_CERTS) + "/" + name, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    if (s.str().empty()) ADD_FAILURE() << "no " << name << " in " << DTU_SCENARIO_CERTS;
    return s.str();
}

} // namespace dtu::test
