#include "dtu/http/response.hpp"

#include <algorithm>

#include "dtu/at/text.hpp"

namespace dtu::http {
namespace {

constexpr std::string_view kBlankLine = "\r\n\r\n";

bool digit(char c) { return c >= '0' && c <= '9'; }

int hex_value(char c) {
    if (digit(c)) return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

std::string_view trim(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t'))
        s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t'))
        s.remove_suffix(1);
    return s;
}

/// A short printable excerpt of server bytes for a log line.
std::string excerpt(std::string_view s) {
    constexpr std::size_t kMax = 40;
    std::string e = at::encode_escapes(s.substr(0, kMax));
    if (s.size() > kMax) e += "...";
    return "\"" + e + "\"";
}

/// RFC 9112 §4: "HTTP/" DIGIT "." DIGIT SP 3DIGIT [SP reason]; 0 if the line is not one.
int status_of(std::string_view line) {
    if (line.size() < 12 || line.compare(0, 5, "HTTP/") != 0) return 0;
    if (!digit(line[5]) || line[6] != '.' || !digit(line[7]) || line[8] != ' ') return 0;
    if (!digit(line[9]) || !digit(line[10]) || !digit(line[11])) return 0;
    if (line.size() > 12 && line[12] != ' ') return 0;
    return (line[9] - '0') * 100 + (line[10] - '0') * 10 + (line[11] - '0');
}

} // namespace

void ResponseParser::fail(std::string why) {
    state_ = State::Malformed;
    error_ = std::move(why);
}

ResponseParser::State ResponseParser::feed(std::string_view bytes) {
    received_ += bytes.size();
    while (!bytes.empty()) {
        switch (state_) {
        case State::Head: bytes = feed_head(bytes); break;
        case State::Body: bytes = feed_body(bytes); break;
        case State::Complete: extra_bytes_ += bytes.size(); return state_;
        case State::Malformed: return state_;
        }
    }
    return state_;
}

std::string_view ResponseParser::feed_head(std::string_view bytes) {
    const std::size_t before = head_.size();
    head_.append(bytes.substr(0, kMaxHead - before));
    const std::size_t pos = head_.find(kBlankLine, before >= 3 ? before - 3 : 0);
    if (pos == std::string::npos) {
        if (head_.size() >= kMaxHead) fail("header block longer than " + std::to_string(kMaxHead) + " bytes");
        return {};
    }
    const std::size_t end = pos + kBlankLine.size();
    head_.resize(end);
    const std::string_view rest = bytes.substr(end - before);
    if (!parse_head()) return {};
    if (!body_only_) out_(head_);
    head_.clear();
    // RFC 9110 §15.2: a 1xx is interim; the final response follows on the same connection.
    if (status_ >= 100 && status_ < 200) return rest;
    state_ = framing_ == Framing::None ? State::Complete : State::Body;
    return rest;
}

bool ResponseParser::parse_head() {
    const std::size_t eol = head_.find("\r\n");
    const std::string_view status_line(head_.data(), eol);
    status_ = status_of(status_line);
    if (status_ == 0) {
        fail("bad status line " + excerpt(status_line));
        return false;
    }
    have_length_ = have_te_ = te_chunked_ = false;
    remaining_ = 0;
    std::size_t at = eol + 2;
    while (at < head_.size()) {
        const std::size_t next = head_.find("\r\n", at);
        const std::string_view line(head_.data() + at, next - at);
        at = next + 2;
        if (line.empty()) break;
        if (!parse_header(line)) return false;
    }
    return choose_framing();
}

bool ResponseParser::parse_header(std::string_view line) {
    if (line.front() == ' ' || line.front() == '\t') return true; // obsolete line folding: a continuation
    const std::size_t colon = line.find(':');
    if (colon == std::string_view::npos || colon == 0) {
        fail("header line without a name " + excerpt(line));
        return false;
    }
    const std::string_view name = trim(line.substr(0, colon));
    const std::string_view value = trim(line.substr(colon + 1));
    if (at::iequals(name, "Content-Length")) {
        const auto n = at::parse_decimal(value);
        if (!n || (have_length_ && static_cast<std::uint64_t>(*n) != remaining_)) {
            fail("bad Content-Length " + excerpt(value));
            return false;
        }
        have_length_ = true;
        remaining_ = static_cast<std::uint64_t>(*n);
    } else if (at::iequals(name, "Transfer-Encoding")) {
        // RFC 9112 §6.1: the codings apply in order; only the last one frames the message.
        const std::size_t comma = value.rfind(',');
        const std::string_view last = trim(comma == std::string_view::npos ? value : value.substr(comma + 1));
        have_te_ = true;
        te_chunked_ = at::iequals(last, "chunked");
    }
    return true;
}

bool ResponseParser::choose_framing() {
    // RFC 9112 §6.3, in its order of precedence.
    if ((status_ >= 100 && status_ < 200) || status_ == 204 || status_ == 304) {
        framing_ = Framing::None;
    } else if (have_te_) {
        framing_ = te_chunked_ ? Framing::Chunked : Framing::UntilClose;
        remaining_ = 0;
        chunk_ = Chunk::Size;
    } else if (have_length_) {
        framing_ = remaining_ == 0 ? Framing::None : Framing::Length;
    } else {
        framing_ = Framing::UntilClose;
    }
    return true;
}

void ResponseParser::emit(std::string_view bytes) {
    if (bytes.empty()) return;
    body_bytes_ += bytes.size();
    out_(bytes);
}

std::string_view ResponseParser::feed_body(std::string_view bytes) {
    if (framing_ == Framing::Chunked) {
        const std::size_t used = feed_chunked(bytes);
        return state_ == State::Malformed ? std::string_view() : bytes.substr(used);
    }
    std::size_t take = bytes.size();
    if (framing_ == Framing::Length) {
        take = static_cast<std::size_t>(std::min<std::uint64_t>(remaining_, bytes.size()));
        remaining_ -= take;
        if (remaining_ == 0) state_ = State::Complete;
    }
    emit(bytes.substr(0, take));
    return bytes.substr(take);
}

std::size_t ResponseParser::feed_chunked(std::string_view bytes) {
    std::size_t i = 0;
    std::size_t run = 0; // bytes[run, i) are checked body bytes not yet written
    const auto flush = [&] {
        emit(bytes.substr(run, i - run));
        run = i;
    };
    while (i < bytes.size() && state_ == State::Body) {
        const char c = bytes[i];
        switch (chunk_) {
        case Chunk::Size:
            // The size line is held until its LF, so a bad one is not written.
            flush();
            if (c != '\n' && chunk_line_.size() >= kMaxChunkLine) {
                fail("chunk-size line longer than " + std::to_string(kMaxChunkLine) + " bytes");
                return i;
            }
            chunk_line_.push_back(c);
            run = ++i;
            if (c == '\n') {
                if (!chunk_size_line()) return i;
                emit(chunk_line_);
                chunk_line_.clear();
                chunk_ = remaining_ > 0 ? Chunk::Data : Chunk::Trailer;
                trailer_bytes_ = trailer_line_ = 0;
            }
            break;
        case Chunk::Data: {
            const auto n = static_cast<std::size_t>(std::min<std::uint64_t>(remaining_, bytes.size() - i));
            i += n;
            remaining_ -= n;
            if (remaining_ == 0) chunk_ = Chunk::DataCr;
            break;
        }
        case Chunk::DataCr:
        case Chunk::DataLf:
            if (c != (chunk_ == Chunk::DataCr ? '\r' : '\n')) {
                flush();
                fail("chunk data not followed by CR LF");
                return i;
            }
            chunk_ = chunk_ == Chunk::DataCr ? Chunk::DataLf : Chunk::Size;
            ++i;
            break;
        case Chunk::Trailer:
            if (!trailer_byte(c)) {
                flush();
                return i;
            }
            ++i;
            break;
        }
    }
    flush();
    return i;
}

bool ResponseParser::chunk_size_line() {
    std::string_view line(chunk_line_.data(), chunk_line_.size() - 1); // without the LF
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    // RFC 9112 §7.1: 1*HEXDIG, then optional chunk extensions after ';'.
    std::uint64_t size = 0;
    std::size_t digits = 0;
    for (; digits < line.size() && hex_value(line[digits]) >= 0; ++digits) {
        if (digits == 15) break; // 60 bits: far beyond any body, and no overflow
        size = size * 16 + static_cast<std::uint64_t>(hex_value(line[digits]));
    }
    const std::string_view rest = trim(line.substr(digits));
    if (digits == 0 || (!rest.empty() && rest.front() != ';')) {
        fail("bad chunk-size line " + excerpt(line));
        return false;
    }
    remaining_ = size;
    return true;
}

bool ResponseParser::trailer_byte(char c) {
    if (++trailer_bytes_ > kMaxHead) {
        fail("chunked trailer longer than " + std::to_string(kMaxHead) + " bytes");
        return false;
    }
    if (c == '\n') {
        if (trailer_line_ == 0) state_ = State::Complete; // the blank line ends the message
        trailer_line_ = 0;
    } else if (c != '\r') {
        ++trailer_line_;
    }
    return true;
}

ResponseParser::State ResponseParser::on_close() {
    if (state_ == State::Head) {
        fail(received_ == 0 ? "closed without a response"
                            : "closed inside the header block (" + std::to_string(head_.size()) + " bytes)");
    } else if (state_ == State::Body) {
        if (framing_ == Framing::UntilClose)
            state_ = State::Complete;
        else if (framing_ == Framing::Length)
            fail("closed after " + std::to_string(body_bytes_) + " body bytes, " +
                 std::to_string(remaining_) + " short of its Content-Length");
        else
            fail("closed inside the chunked body");
    }
    return state_;
}

} // namespace dtu::http
