// The user-default set next to the saved set in one NVRAM blob (spec modes-and-timing §6.3).
#include <gtest/gtest.h>

#include "dtu/params/nvram_codec.hpp"
#include "dtu/params/user_defaults.hpp"

using namespace dtu::params;

namespace {

Store store(std::initializer_list<std::pair<const char*, const char*>> entries) {
    Store s;
    for (const auto& [k, v] : entries)
        s.set(k, {v});
    return s;
}

} // namespace

TEST(UserDefaults, ABlobWithoutThemHasNone) {
    const std::string blob = encode_nvram(store({{"STMSG", "saved"}}), "p");
    const NvramSets sets = read_sets(blob, "p");
    EXPECT_TRUE(sets.has_saved);
    EXPECT_FALSE(sets.has_user_defaults);
    EXPECT_EQ(sets.saved.text("STMSG"), "saved");
    EXPECT_EQ(user_defaults_of(blob, store({{"STMSG", "factory"}}), "p").text("STMSG"), "factory");
}

TEST(UserDefaults, SavingKeepsThemAndSettingThemKeepsTheSavedSet) {
    const Store factory = store({{"STMSG", "factory"}});
    std::string blob = with_user_defaults("", store({{"STMSG", "user"}}), factory, "p");
    EXPECT_EQ(read_sets(blob, "p").saved.text("STMSG"), "factory") << "nothing saved yet: the factory set";
    blob = with_saved(blob, store({{"STMSG", "saved"}}), "p");
    const NvramSets sets = read_sets(blob, "p");
    EXPECT_EQ(sets.saved.text("STMSG"), "saved");
    EXPECT_EQ(sets.user_defaults.text("STMSG"), "user");
    EXPECT_EQ(sets.saved.all().size(), 1u) << "the prefixed keys are not saved parameters";
    blob = with_user_defaults(blob, store({{"STMSG", "user2"}}), factory, "p");
    EXPECT_EQ(read_sets(blob, "p").saved.text("STMSG"), "saved");
    EXPECT_EQ(user_defaults_of(blob, factory, "p").text("STMSG"), "user2");
}

TEST(UserDefaults, AnUnreadableBlobGivesTheFactorySet) {
    const Store factory = store({{"STMSG", "factory"}});
    EXPECT_EQ(user_defaults_of("garbage", factory, "p").text("STMSG"), "factory");
    EXPECT_FALSE(read_sets("garbage", "p").has_saved);
    const std::string other = with_user_defaults("", store({{"STMSG", "u"}}), factory, "q");
    EXPECT_EQ(user_defaults_of(other, factory, "p").text("STMSG"), "factory") << "another profile's blob";
}
