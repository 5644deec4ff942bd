// Bad input against every registered profile: malformed lines and out-of-range values get the
// profile's own error line for their cause, and every stored parameter stays as it was.
#include <random>
#include <string>

#include "dtu/at/command_spec.hpp"
#include "dtu/params/store.hpp"
#include "dtu/profile/profile.hpp"
#include "dut.hpp"

using namespace dtu::test;

namespace {

using dtu::profile::Profile;

class ProfileBadInput : public ::testing::TestWithParam<std::string_view> {
protected:
    ProfileBadInput() : profile_(*dtu::profile::find(GetParam())), dut_(GetParam()) {}

    /// "+++" after a quiet guard time, then 'a': the profile's own handshake (spec
    /// modes-and-timing §2), with echo left on.
    void enter_command() {
        const std::uint64_t pack = profile_.serial.factory_packing_ms();
        dut_.out();
        dut_.advance(2 * std::max<std::uint64_t>(pack, profile_.serial.plus_guard_ms));
        dut_.rx("+++");
        dut_.advance(pack + 10);
        ASSERT_EQ(dut_.out(), profile_.answers.plus_a);
        dut_.rx("a");
        ASSERT_EQ(dut_.out(), profile_.answers.plus_ok);
    }

    std::string error(std::string_view code) const {
        return std::string(profile_.errors.prefix).append(code).append(profile_.errors.suffix);
    }

    /// Every stored parameter, read through the device's own queries.
    std::string snapshot() {
        std::string all;
        for (const auto& slot : dtu::params::slots(profile_)) {
            if (slot.spec->behavior == dtu::at::Behavior::Stored ||
                slot.spec->behavior == dtu::at::Behavior::Echo)
                all += slot.key + "=" + dut_.cmd("AT+" + slot.key);
        }
        return all;
    }

    const Profile& profile_;
    Dut dut_;
};

TEST_P(ProfileBadInput, MalformedLinesGetTheirCausesErrorAndChangeNothing) {
    enter_command();
    const std::string before = snapshot();
    for (const char* line : {"hello", "A", "ATI", "++", "a"})
        EXPECT_EQ(dut_.cmd(line), error(profile_.errors.not_at)) << line;
    for (const char* line : {"AT+NOSUCH=1", "AT+NOSUCH", "AT+ VER"})
        EXPECT_EQ(dut_.cmd(line), error(profile_.errors.unknown)) << line;
    for (const char* line : {"AT+VER=1", "AT+VER??", "AT+E?x"})
        EXPECT_EQ(dut_.cmd(line), error(profile_.errors.bad_op)) << line;
    EXPECT_EQ(snapshot(), before);
}

/// A value just outside each Int parameter's range, and a word no Enum has, for every stored row.
TEST_P(ProfileBadInput, OutOfRangeValuesGetTheParameterErrorAndChangeNothing) {
    enter_command();
    const std::string before = snapshot();
    int tried = 0;
    for (const auto& slot : dtu::params::slots(profile_)) {
        if (slot.spec->behavior != dtu::at::Behavior::Stored) continue;
        for (std::size_t i = 0; i < slot.spec->params.size(); ++i) {
            const auto& p = slot.spec->params[i];
            std::string bad;
            if (p.kind == dtu::at::Kind::Int)
                bad = std::to_string(static_cast<std::int64_t>(p.max) + 1);
            else if (p.kind == dtu::at::Kind::Enum)
                bad = "NOSUCHWORD";
            else
                continue;
            dtu::params::Values values = slot.factory;
            values[i] = bad;
            std::string line = "AT+" + slot.key + "=";
            for (std::size_t j = 0; j < values.size(); ++j)
                line += (j ? "," : "") + values[j];
            EXPECT_EQ(dut_.cmd(line), error(profile_.errors.parameter)) << line;
            ++tried;
        }
    }
    EXPECT_GT(tried, 10);
    EXPECT_EQ(snapshot(), before);
}

TEST_P(ProfileBadInput, RandomBytesAreSurvivedAndTheDeviceStillAnswers) {
    enter_command();
    std::string garbage;
    std::mt19937 rng(4321);
    for (int i = 0; i < 20000; ++i)
        garbage.push_back(static_cast<char>(rng() & 0xFF));
    dut_.rx(garbage);
    dut_.rx("\r");
    dut_.out();
    if (dut_.bench.service_reset()) enter_command(); // a random restart command could appear
    dut_.out();
    const std::string_view at_answer =
        profile_.answers.test_reply.empty() ? profile_.answers.ok : profile_.answers.test_reply;
    EXPECT_EQ(dut_.cmd("AT"), std::string(at_answer));
}

INSTANTIATE_TEST_SUITE_P(Profiles, ProfileBadInput, ::testing::ValuesIn(dtu::profile::names()),
                         [](const auto& info) { return std::string(info.param); });

} // namespace
