// Socket-ID indication marker (732 AT+SOCKIDEN, 7S4 AT+SOCKIND; spec net-transparent §10, GAP-06).
#include <gtest/gtest.h>

#include <string>

#include "dtu/proto/socket_id.hpp"

using namespace dtu::proto;

TEST(SocketId, EachSocketHasItsLetterAndAColon) {
    EXPECT_EQ(socket_id::marker(0), "A:");
    EXPECT_EQ(socket_id::marker(3), "D:");
}

TEST(SocketId, TagPutsTheMarkerBeforeTheBytesUnchanged) {
    EXPECT_EQ(socket_id::tag(1, "hi"), "B:hi");
    const std::string binary("\x00\xFF\r\n", 4);
    EXPECT_EQ(socket_id::tag(2, binary), "C:" + binary);
    EXPECT_EQ(socket_id::tag(0, ""), "A:");
}
