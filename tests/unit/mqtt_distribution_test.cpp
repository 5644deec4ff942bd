// The serial format of MQTT distribution mode (GM5 §3.1.3-§3.1.4, spec mqtt.md §5.1, GAP-23).
#include <gtest/gtest.h>

#include "dtu/mqtt/distribution.hpp"

using dtu::mqtt::FrameKind;
using dtu::mqtt::parse_distribution;

TEST(Distribution, EntryFramesCarryTheRestAsPayload) {
    auto f = parse_distribution("1,data send from module"); // GM5 §3.1.4
    EXPECT_EQ(f.kind, FrameKind::Entry);
    EXPECT_EQ(f.entry, 1u);
    EXPECT_EQ(f.payload, "data send from module");
    f = parse_distribution("12,a,b,,c\r\n");
    EXPECT_EQ(f.kind, FrameKind::Entry);
    EXPECT_EQ(f.entry, 12u);
    EXPECT_EQ(f.payload, "a,b,,c\r\n") << "payload byte for byte, commas and line ends included";
    f = parse_distribution("2,");
    EXPECT_EQ(f.kind, FrameKind::Entry);
    EXPECT_EQ(f.payload, "");
}

TEST(Distribution, TemporaryPublish) {
    auto f = parse_distribution("0,0,linshifabu1,0,0,data send from module"); // GM5 §3.1.4
    ASSERT_EQ(f.kind, FrameKind::Publish);
    EXPECT_EQ(f.topic, "linshifabu1");
    EXPECT_EQ(f.qos, 0);
    EXPECT_FALSE(f.retain);
    EXPECT_EQ(f.payload, "data send from module");
    f = parse_distribution("0,0,a/b,2,1,x,y");
    ASSERT_EQ(f.kind, FrameKind::Publish);
    EXPECT_EQ(f.qos, 2);
    EXPECT_TRUE(f.retain);
    EXPECT_EQ(f.payload, "x,y");
    f = parse_distribution("0,0,t,1,0,");
    ASSERT_EQ(f.kind, FrameKind::Publish);
    EXPECT_EQ(f.payload, "");
}

TEST(Distribution, TemporarySubscribeAndUnsubscribe) {
    auto f = parse_distribution("0,1,linshidingyue1,0"); // GM5 §3.1.4
    ASSERT_EQ(f.kind, FrameKind::Subscribe);
    EXPECT_EQ(f.topic, "linshidingyue1");
    EXPECT_EQ(f.qos, 0);
    f = parse_distribution("0,1,a/+/#,2\r\n");
    ASSERT_EQ(f.kind, FrameKind::Subscribe) << "a terminal's line end is tolerated on control frames";
    EXPECT_EQ(f.topic, "a/+/#");
    EXPECT_EQ(f.qos, 2);
    f = parse_distribution("0,2,a/+/#");
    ASSERT_EQ(f.kind, FrameKind::Unsubscribe);
    EXPECT_EQ(f.topic, "a/+/#");
    f = parse_distribution("0,2,x,1\n");
    ASSERT_EQ(f.kind, FrameKind::Unsubscribe);
    EXPECT_EQ(f.topic, "x");
}

TEST(Distribution, BadFramesSayWhy) {
    for (const char* bad : {
             "",              // empty
             "no comma",      // no number
             "x,1",           // not a number
             "-1,x",          // sign
             "01,x",          // leading zero
             "123456,x",      // too long
             "0",             // nothing after 0
             "0,",            // no flag
             "0,1",           // subscribe without topic
             "0,3,t,0",       // unknown flag
             "0,9",           // unknown flag, no comma
             "0,0,t,0,0",     // publish without the payload field
             "0,0,t,3,0,x",   // qos 3
             "0,0,t,0,2,x",   // retain 2
             "0,0,a/+,0,0,x", // wildcard in a publish topic
             "0,0,,0,0,x",    // empty topic
             "0,1,t",         // subscribe without qos
             "0,1,t,",        // empty qos
             "0,1,t,5",       // qos 5
             "0,1,a/#/b,0",   // bad filter
             "0,1,t,0,extra", // too many fields
             "0,2,",          // unsubscribe without topic
             "0,2,t,9",       // bad qos
         }) {
        const auto f = parse_distribution(bad);
        EXPECT_EQ(f.kind, FrameKind::Bad) << "'" << bad << "'";
        EXPECT_STRNE(f.error, "") << bad;
    }
}

TEST(Distribution, SerialOutputForms) {
    EXPECT_EQ(dtu::mqtt::entry_output(1, "data send fromMQTT fx"), "1,data send fromMQTT fx");
    EXPECT_EQ(dtu::mqtt::temporary_output("linshidingyue1", "p,q"), "0,linshidingyue1,p,q");
    EXPECT_EQ(dtu::mqtt::entry_output(4, ""), "4,");
}
