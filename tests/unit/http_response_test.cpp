// The streaming HTTP response parser of HTTPD client mode (spec httpd.md §4, GAP-09; RFC 9112).
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "dtu/http/response.hpp"

using dtu::http::ResponseParser;
using State = ResponseParser::State;

namespace {

/// A parser whose output is collected; feeds in pieces of at most `piece` bytes (Zephyr's habit:
/// small chunks find the bugs of partial reads).
struct Parse {
    explicit Parse(bool body_only = true) : p(body_only, [this](std::string_view b) { out += b; }) {}
    State feed(std::string_view bytes, std::size_t piece = SIZE_MAX) {
        State s = p.state();
        for (std::size_t i = 0; i < bytes.size(); i += piece)
            s = p.feed(bytes.substr(i, piece));
        return s;
    }
    std::string out;
    ResponseParser p;
};

const std::string kManualHead = "HTTP/1.1 200 OK\r\n"
                                "Date: Wed, 24 Jun 2015 04:08:35 GMT\r\n"
                                "Cache-Control: max-age=600\r\n"
                                "Content-Length: 10\r\n"
                                "Keep-Alive: timeout=15, max=99\r\n"
                                "Connection: Keep-Alive\r\n"
                                "Content-Type: text/html\r\n"
                                "\r\n";

} // namespace

TEST(HttpResponse, ContentLengthBodyOnlyInEveryPieceSize) {
    for (std::size_t piece : {std::size_t{1}, std::size_t{2}, std::size_t{3}, std::size_t{7}, SIZE_MAX}) {
        Parse r;
        EXPECT_EQ(r.feed(kManualHead + "www.usr.cn", piece), State::Complete) << piece;
        EXPECT_EQ(r.out, "www.usr.cn") << piece;
        EXPECT_EQ(r.p.status_code(), 200);
        EXPECT_EQ(r.p.body_bytes(), 10u);
    }
}

TEST(HttpResponse, FilterOffWritesTheWholeResponseVerbatim) {
    Parse r(false);
    EXPECT_EQ(r.feed(kManualHead + "www.usr.cn", 5), State::Complete);
    EXPECT_EQ(r.out, kManualHead + "www.usr.cn");
}

TEST(HttpResponse, BodyBytesAreWrittenAsTheyArriveNeverHeld) {
    Parse r;
    r.feed("HTTP/1.1 200 OK\r\nContent-Length: 10485760\r\n\r\n");
    EXPECT_EQ(r.out, "");
    const std::string chunk(4096, 'b');
    for (int i = 0; i < 2560; ++i) {
        ASSERT_EQ(r.feed(chunk), i == 2559 ? State::Complete : State::Body);
        ASSERT_EQ(r.out, chunk) << "chunk " << i << " goes out at once";
        r.out.clear();
    }
    EXPECT_EQ(r.p.body_bytes(), 10485760u);
}

TEST(HttpResponse, HeaderBlockIsHeldUntilItsBlankLine) {
    Parse r(false);
    r.feed("HTTP/1.1 200 OK\r\nContent-Le");
    EXPECT_EQ(r.out, "") << "a half header block is not written";
    r.feed("ngth: 2\r\n\r");
    EXPECT_EQ(r.out, "");
    r.feed("\nok");
    EXPECT_EQ(r.out, "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");
}

TEST(HttpResponse, ChunkedIsForwardedVerbatimAndEndsAtTheLastChunk) {
    const std::string body = "5\r\nhello\r\n1A;name=value\r\nabcdefghijklmnopqrstuvwxyz\r\n0\r\n\r\n";
    for (std::size_t piece : {std::size_t{1}, std::size_t{4}, SIZE_MAX}) {
        Parse r;
        EXPECT_EQ(r.feed("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n" + body, piece),
                  State::Complete)
            << piece;
        EXPECT_EQ(r.out, body) << piece;
    }
}

TEST(HttpResponse, ChunkedTrailerIsPartOfTheBody) {
    Parse r;
    const std::string body = "3\r\nabc\r\n0\r\nX-Sum: 1\r\nX-More: 2\r\n\r\n";
    EXPECT_EQ(r.feed("HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip, chunked\r\n\r\n" + body, 3),
              State::Complete);
    EXPECT_EQ(r.out, body);
}

TEST(HttpResponse, ChunkedWinsOverContentLength) {
    Parse r;
    EXPECT_EQ(r.feed("HTTP/1.1 200 OK\r\nContent-Length: 100\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n"),
              State::Complete);
    EXPECT_EQ(r.out, "0\r\n\r\n");
}

TEST(HttpResponse, WithoutLengthTheBodyEndsWhenTheServerCloses) {
    Parse r;
    EXPECT_EQ(r.feed("HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\n\r\nfirst "), State::Body);
    EXPECT_EQ(r.feed("second"), State::Body);
    EXPECT_EQ(r.out, "first second");
    EXPECT_EQ(r.p.on_close(), State::Complete);
}

TEST(HttpResponse, NonChunkedTransferCodingIsCloseDelimited) {
    Parse r;
    EXPECT_EQ(r.feed("HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip\r\nContent-Length: 2\r\n\r\nabc"),
              State::Body);
    EXPECT_EQ(r.p.on_close(), State::Complete);
    EXPECT_EQ(r.out, "abc");
}

TEST(HttpResponse, NonSuccessStatusIsHandledLikeSuccess) {
    Parse r;
    EXPECT_EQ(r.feed("HTTP/1.1 404 Not Found\r\nContent-Length: 9\r\n\r\nnot found"), State::Complete);
    EXPECT_EQ(r.out, "not found");
    EXPECT_EQ(r.p.status_code(), 404);
}

TEST(HttpResponse, NoBodyStatusesAndZeroLengthCompleteAtTheBlankLine) {
    for (const std::string head :
         {"HTTP/1.1 204 No Content\r\n\r\n", "HTTP/1.1 304 Not Modified\r\nContent-Length: 50\r\n\r\n",
          "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n"}) {
        Parse r(false);
        EXPECT_EQ(r.feed(head), State::Complete) << head;
        EXPECT_EQ(r.out, head);
    }
}

TEST(HttpResponse, InterimResponseIsFollowedByTheRealOne) {
    Parse on;
    EXPECT_EQ(on.feed("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok", 6),
              State::Complete);
    EXPECT_EQ(on.out, "ok");
    EXPECT_EQ(on.p.status_code(), 200);
    Parse off(false);
    const std::string all = "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok";
    EXPECT_EQ(off.feed(all), State::Complete);
    EXPECT_EQ(off.out, all);
}

TEST(HttpResponse, StatusLineWithoutReasonAndHeaderNamesInAnyCase) {
    Parse r;
    EXPECT_EQ(r.feed("HTTP/1.1 200\r\ncontent-length:  3 \r\n\r\nabc"), State::Complete);
    EXPECT_EQ(r.out, "abc");
}

TEST(HttpResponse, BadStatusLinesAreMalformedAndWriteNothing) {
    for (const std::string bad : {"HTTP/1.1 2000 OK\r\n\r\n", "HTTP/1.1 OK\r\n\r\n", "ICY 200 OK\r\n\r\n",
                                  "hello world\r\n\r\nbody", "HTTP/1.1200 OK\r\n\r\n", "\r\n\r\n"}) {
        Parse r(false);
        EXPECT_EQ(r.feed(bad), State::Malformed) << bad;
        EXPECT_EQ(r.out, "") << bad;
        EXPECT_NE(r.p.error().find("bad status line"), std::string::npos) << r.p.error();
    }
}

TEST(HttpResponse, BadHeaderLinesAndContentLengthsAreMalformed) {
    for (const std::string bad :
         {"HTTP/1.1 200 OK\r\nno colon here\r\n\r\n", "HTTP/1.1 200 OK\r\n: empty name\r\n\r\n",
          "HTTP/1.1 200 OK\r\nContent-Length: ten\r\n\r\n", "HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\n",
          "HTTP/1.1 200 OK\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\n",
          "HTTP/1.1 200 OK\r\nContent-Length: 99999999999999999999999\r\n\r\n"}) {
        Parse r;
        EXPECT_EQ(r.feed(bad), State::Malformed) << bad;
        EXPECT_FALSE(r.p.error().empty());
    }
}

TEST(HttpResponse, RepeatedEqualContentLengthIsAccepted) {
    Parse r;
    EXPECT_EQ(r.feed("HTTP/1.1 200 OK\r\nContent-Length: 2\r\nContent-Length: 2\r\n\r\nok"), State::Complete);
}

TEST(HttpResponse, EndlessHeadersAreCutAtTheCap) {
    Parse r(false);
    State s = r.feed("HTTP/1.1 200 OK\r\n");
    std::size_t fed = 17;
    const std::string line = "X-Padding: " + std::string(50, 'a') + "\r\n";
    while (s == State::Head && fed < 100000) {
        s = r.feed(line);
        fed += line.size();
    }
    EXPECT_EQ(s, State::Malformed);
    EXPECT_LE(fed, ResponseParser::kMaxHead + line.size()) << "given up as soon as the cap is passed";
    EXPECT_NE(r.p.error().find("header block longer than 8192 bytes"), std::string::npos) << r.p.error();
    EXPECT_EQ(r.out, "");
}

TEST(HttpResponse, HeaderBlockOfExactlyTheCapIsAccepted) {
    std::string head = "HTTP/1.1 200 OK\r\nContent-Length: 1\r\nX-Pad: ";
    head += std::string(ResponseParser::kMaxHead - head.size() - 4, 'p') + "\r\n\r\n";
    ASSERT_EQ(head.size(), ResponseParser::kMaxHead);
    Parse r;
    EXPECT_EQ(r.feed(head + "z", 1000), State::Complete);
    EXPECT_EQ(r.out, "z");
}

TEST(HttpResponse, ShorterBodyThanItsLengthIsMalformedOnClose) {
    Parse r;
    EXPECT_EQ(r.feed("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nonly this"), State::Body);
    EXPECT_EQ(r.out, "only this") << "what arrived was written";
    EXPECT_EQ(r.p.on_close(), State::Malformed);
    EXPECT_NE(r.p.error().find("91 short"), std::string::npos) << r.p.error();
}

TEST(HttpResponse, LongerBodyThanItsLengthStopsAtTheLength) {
    Parse r;
    EXPECT_EQ(r.feed("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhelloEXTRA"), State::Complete);
    EXPECT_EQ(r.feed("MORE"), State::Complete);
    EXPECT_EQ(r.out, "hello");
    EXPECT_EQ(r.p.extra_bytes(), 9u);
}

TEST(HttpResponse, BadChunkingIsMalformed) {
    for (const std::string bad :
         std::vector<std::string>{"zz\r\nab\r\n0\r\n\r\n", "3\r\nabcX\r\n0\r\n\r\n", "3 x\r\nabc\r\n",
                                  std::string(2000, '1') + "\r\n"}) {
        Parse r;
        EXPECT_EQ(r.feed("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n" + bad), State::Malformed)
            << bad;
        EXPECT_FALSE(r.p.error().empty());
    }
}

TEST(HttpResponse, ClosingEarlyIsMalformed) {
    Parse nothing;
    EXPECT_EQ(nothing.p.on_close(), State::Malformed);
    EXPECT_EQ(nothing.p.error(), "closed without a response");
    Parse head;
    head.feed("HTTP/1.1 200 OK\r\nContent-");
    EXPECT_EQ(head.p.on_close(), State::Malformed);
    Parse chunked;
    chunked.feed("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhel");
    EXPECT_EQ(chunked.p.on_close(), State::Malformed);
    EXPECT_EQ(chunked.out, "5\r\nhel");
}
