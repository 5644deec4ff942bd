// MQTT topic names, filters and matching (MQTT 3.1.1 §4.7), used to route broker messages to the
// fixed and temporary subscriptions of MQTT mode.
#include <gtest/gtest.h>

#include "dtu/mqtt/topic_filter.hpp"

using dtu::mqtt::topic_matches;
using dtu::mqtt::valid_topic_filter;
using dtu::mqtt::valid_topic_name;

TEST(TopicFilter, ExactTopicsMatchOnlyThemselves) {
    EXPECT_TRUE(topic_matches("/SubTopic1", "/SubTopic1"));
    EXPECT_FALSE(topic_matches("/SubTopic1", "/SubTopic2"));
    EXPECT_FALSE(topic_matches("/SubTopic1", "/SubTopic1/x"));
    EXPECT_FALSE(topic_matches("a/b", "a"));
    EXPECT_FALSE(topic_matches("ACCOUNTS", "Accounts")) << "case-sensitive (§4.7.3)";
    EXPECT_FALSE(topic_matches("a", "a/")) << "a trailing '/' is one more (empty) level";
}

TEST(TopicFilter, PlusMatchesExactlyOneLevel) {
    EXPECT_TRUE(topic_matches("sport/tennis/+", "sport/tennis/player1"));
    EXPECT_FALSE(topic_matches("sport/tennis/+", "sport/tennis/player1/ranking"));
    EXPECT_FALSE(topic_matches("sport/+", "sport")) << "§4.7.1.3";
    EXPECT_TRUE(topic_matches("sport/+", "sport/")) << "the empty level after the slash";
    EXPECT_TRUE(topic_matches("+", "sport"));
    EXPECT_FALSE(topic_matches("+", "/finance"));
    EXPECT_TRUE(topic_matches("+/+", "/finance"));
    EXPECT_TRUE(topic_matches("/+", "/finance"));
    EXPECT_TRUE(topic_matches("+/tennis/#", "sport/tennis/player1"));
    EXPECT_TRUE(topic_matches("a/+/c", "a//c"));
}

TEST(TopicFilter, HashMatchesTheParentAndEverythingBelow) {
    EXPECT_TRUE(topic_matches("sport/tennis/player1/#", "sport/tennis/player1"));
    EXPECT_TRUE(topic_matches("sport/tennis/player1/#", "sport/tennis/player1/ranking"));
    EXPECT_TRUE(topic_matches("sport/tennis/player1/#", "sport/tennis/player1/score/wimbledon"));
    EXPECT_TRUE(topic_matches("sport/#", "sport"));
    EXPECT_FALSE(topic_matches("sport/tennis/#", "sport/football"));
    EXPECT_TRUE(topic_matches("#", "anything/at/all"));
    EXPECT_TRUE(topic_matches("#", "/"));
}

TEST(TopicFilter, DollarTopicsAreNotMatchedByLeadingWildcards) {
    EXPECT_FALSE(topic_matches("#", "$SYS/broker/uptime"));
    EXPECT_FALSE(topic_matches("+/monitor/Clients", "$SYS/monitor/Clients"));
    EXPECT_TRUE(topic_matches("$SYS/#", "$SYS/monitor/Clients"));
    EXPECT_TRUE(topic_matches("$SYS/monitor/+", "$SYS/monitor/Clients"));
}

TEST(TopicFilter, InvalidFiltersAndTopicsMatchNothing) {
    EXPECT_FALSE(topic_matches("sport/tennis#", "sport/tennis#"));
    EXPECT_FALSE(topic_matches("sport/#/ranking", "sport/x/ranking"));
    EXPECT_FALSE(topic_matches("sport+", "sport+"));
    EXPECT_FALSE(topic_matches("a/b", "a/+")) << "a topic name with a wildcard is not a topic";
    EXPECT_FALSE(topic_matches("", ""));
    EXPECT_FALSE(topic_matches("#", ""));
}

TEST(TopicFilter, FilterValidity) {
    for (const char* ok : {"#", "+", "/", "a/#", "+/+", "/+", "a/+/b", "$SYS/#", "a//b", "/PubTopic1"})
        EXPECT_TRUE(valid_topic_filter(ok)) << ok;
    for (const char* bad : {"", "a#", "#/a", "a/#/b", "a+", "+a/b", "a/b+", "##"})
        EXPECT_FALSE(valid_topic_filter(bad)) << bad;
    EXPECT_FALSE(valid_topic_filter(std::string_view("a\0b", 3))) << "NUL (§4.7.3)";
    EXPECT_FALSE(valid_topic_filter(std::string(65536, 'a'))) << "longer than a UTF-8 string can be";
    EXPECT_TRUE(valid_topic_filter(std::string(65535, 'a')));
}

TEST(TopicFilter, TopicNameValidity) {
    for (const char* ok : {"a", "/", "a/b", "$SYS/x", " "})
        EXPECT_TRUE(valid_topic_name(ok)) << ok;
    for (const char* bad : {"", "a/+", "#", "a/#", "a+b"})
        EXPECT_FALSE(valid_topic_name(bad)) << bad;
    EXPECT_FALSE(valid_topic_name(std::string_view("a\0", 2)));
}
