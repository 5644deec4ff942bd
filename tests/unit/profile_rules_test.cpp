// Every profile's data agrees with itself: the rules the device reads from a profile name rows
// that exist and fit, so a new profile is checked by adding its line to the registry.
#include <string>

#include <gtest/gtest.h>

#include "dtu/at/text.hpp"
#include "dtu/hal/net.hpp"
#include "dtu/params/store.hpp"
#include "dtu/profile/profile.hpp"

namespace {

using dtu::profile::ModeKind;
using dtu::profile::Profile;

const Profile& profile_named(std::string_view name) { return *dtu::profile::find(name); }

const dtu::at::CommandSpec* row(const Profile& p, std::string_view name) {
    for (const auto& spec : p.commands)
        if (spec.name == name) return &spec;
    return nullptr;
}

class EveryProfile : public ::testing::TestWithParam<std::string_view> {};

TEST_P(EveryProfile, EachWkmodChoiceHasAModeRowAndEachRowAChoice) {
    const Profile& p = profile_named(GetParam());
    // The row that names the mode (G771: WKMOD; K7: SOCKA's protocol field).
    const auto* wkmod = dtu::params::row_for_key(p, p.mode_selector.key);
    ASSERT_NE(wkmod, nullptr);
    ASSERT_FALSE(p.modes.empty());
    ASSERT_LT(p.mode_selector.field, wkmod->params.size());
    const std::string_view all = wkmod->params[p.mode_selector.field].choices;
    const std::string choices = "|" + std::string(all) + "|";
    for (const auto& mode : p.modes)
        EXPECT_NE(choices.find("|" + std::string(mode.wkmod) + "|"), std::string::npos) << mode.wkmod;
    std::string_view rest = all;
    while (!rest.empty()) {
        const std::string_view choice = rest.substr(0, rest.find('|'));
        bool found = false;
        for (const auto& mode : p.modes)
            found = found || dtu::at::iequals(mode.wkmod, choice);
        EXPECT_TRUE(found) << "WKMOD choice " << choice << " has no mode row";
        rest.remove_prefix(std::min(rest.size(), choice.size() + 1));
    }
}

TEST_P(EveryProfile, ModesOnlyUseHalPartsTheProfileHas) {
    const Profile& p = profile_named(GetParam());
    for (const auto& mode : p.modes) {
        if (mode.kind == ModeKind::Mqtt) EXPECT_TRUE(p.hal.mqtt) << mode.wkmod;
        if (mode.kind == ModeKind::Sms) EXPECT_TRUE(p.hal.sms) << mode.wkmod;
    }
}

TEST_P(EveryProfile, TheFactoryModeIsARowOfTheTable) {
    const Profile& p = profile_named(GetParam());
    const auto store = dtu::params::factory_store(p);
    const std::string_view factory = store.text(p.mode_selector.key, p.mode_selector.field);
    EXPECT_TRUE(dtu::at::iequals(p.mode(factory).wkmod, factory));
}

TEST_P(EveryProfile, SocketsLeaveTheNtpAndHttpdLinkIdsFree) {
    // Link ids: sockets 0.., NTP 4, HTTPD 5 (device/ntp_client.hpp, device/httpd_mode.hpp).
    const Profile& p = profile_named(GetParam());
    EXPECT_GE(p.net.sockets, 1u);
    EXPECT_LE(p.net.sockets, 4u);
    EXPECT_GT(p.net.cache_bytes, 0u);
}

TEST_P(EveryProfile, UartFieldsPointAtTheirKindOfField) {
    const Profile& p = profile_named(GetParam());
    const auto* uart = row(p, "UART");
    ASSERT_NE(uart, nullptr);
    const auto& f = p.serial.uart_fields;
    ASSERT_LT(std::max({f.baud, f.parity, f.data, f.stop, f.flow}), uart->params.size());
    const auto store = dtu::params::factory_store(p);
    EXPECT_GE(store.number("UART", f.baud, 0), 300);
    const auto data = store.number("UART", f.data, 0);
    EXPECT_TRUE(data == 7 || data == 8) << data;
    const auto stop = store.number("UART", f.stop, 0);
    EXPECT_TRUE(stop == 1 || stop == 2) << stop;
    const std::string parity(store.text("UART", f.parity));
    EXPECT_TRUE(dtu::at::iequals(parity, "NONE") || dtu::at::iequals(parity, "ODD") ||
                dtu::at::iequals(parity, "EVEN"))
        << parity;
}

TEST_P(EveryProfile, EveryFactoryValuePassesItsOwnRow) {
    for (const auto& slot : dtu::params::slots(profile_named(GetParam())))
        EXPECT_EQ(slot.factory.size(), slot.spec->params.size()) << slot.key;
}

TEST_P(EveryProfile, ErrorsHaveACodeForEveryCause) {
    const Profile& p = profile_named(GetParam());
    EXPECT_FALSE(p.errors.prefix.empty());
    for (std::string_view code : {p.errors.not_at, p.errors.unknown, p.errors.bad_op, p.errors.parameter})
        EXPECT_FALSE(code.empty());
    EXPECT_EQ(p.errors.login.empty(), p.serial.login_timeout_ms == 0);
}

INSTANTIATE_TEST_SUITE_P(Profiles, EveryProfile, ::testing::ValuesIn(dtu::profile::names()),
                         [](const auto& info) { return std::string(info.param); });

} // namespace
