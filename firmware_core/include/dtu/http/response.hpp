#pragma once
// A streaming parser of the one HTTP/1.x response to an HTTPD client request (spec httpd.md §4,
// GAP-09; RFC 9112 §4-§7 for the framing). It decides two things as bytes arrive: what goes to the
// serial port, and when the response is over.
//
// - The header block (status line, header fields, blank line) is held until its CR LF CR LF, at
//   most kMaxHead bytes; a longer one is malformed. It is then written to the sink unless
//   body_only (AT+HTPPK=ON, G771 §2.3: "过滤掉收到的 HTTP 协议包头数据").
// - Body bytes go to the sink as they arrive and are never held, so a body of any size needs no
//   memory here.
// - The end: Content-Length bytes of body; for Transfer-Encoding chunked the end of the terminating
//   chunk and its trailer (the chunked coding itself is forwarded verbatim, spec §4); a response
//   without either ends when the server closes. 204 and 304 have no body; a 1xx is an interim
//   response and the real one follows.
// - Malformed: a status line that is not "HTTP/d.d ddd", a header line without ':', a bad or
//   contradictory Content-Length, a bad chunk-size line or chunk end, a header block or trailer
//   over kMaxHead, the server closing before the end. error() says which. Nothing after the point
//   where the fault is seen is written (a chunk-size line is held until its LF, at most
//   kMaxChunkLine bytes).
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

namespace dtu::http {

class ResponseParser {
public:
    /// Status line, header fields and blank line together (and, separately, a chunked trailer).
    static constexpr std::size_t kMaxHead = 8192;
    /// One chunk-size line, extensions included.
    static constexpr std::size_t kMaxChunkLine = 1024;

    enum class State : std::uint8_t { Head, Body, Complete, Malformed };
    enum class Framing : std::uint8_t { None, Length, Chunked, UntilClose };
    /// Where the bytes for the serial port go.
    using Sink = std::function<void(std::string_view)>;

    ResponseParser(bool body_only, Sink out) : body_only_(body_only), out_(std::move(out)) {}

    /// Bytes from the server, in order. Returns the state after them.
    State feed(std::string_view bytes);
    /// The server closed the connection: a close-delimited body is Complete, anything unfinished
    /// is Malformed.
    State on_close();

    State state() const { return state_; }
    Framing framing() const { return framing_; }
    /// The final status code (0 before the header block is complete).
    int status_code() const { return status_; }
    /// Why the response is malformed.
    const std::string& error() const { return error_; }
    /// Every byte fed, header block included.
    std::uint64_t received() const { return received_; }
    /// Body bytes written to the sink (chunked: with the chunk framing).
    std::uint64_t body_bytes() const { return body_bytes_; }
    /// Bytes that came after the end of the response (ignored).
    std::uint64_t extra_bytes() const { return extra_bytes_; }

private:
    enum class Chunk : std::uint8_t { Size, Data, DataCr, DataLf, Trailer };

    std::string_view feed_head(std::string_view bytes);
    bool parse_head();
    bool parse_header(std::string_view line);
    bool choose_framing();
    std::string_view feed_body(std::string_view bytes);
    void emit(std::string_view bytes);
    std::size_t feed_chunked(std::string_view bytes);
    bool chunk_size_line();
    bool trailer_byte(char c);
    void fail(std::string why);

    bool body_only_;
    Sink out_;
    State state_ = State::Head;
    Framing framing_ = Framing::None;
    int status_ = 0;
    std::string head_;       ///< the header block until its blank line
    std::string chunk_line_; ///< the chunk-size line being read
    Chunk chunk_ = Chunk::Size;
    std::size_t trailer_bytes_ = 0;
    std::size_t trailer_line_ = 0; ///< bytes in the current trailer line, CR not counted
    std::uint64_t remaining_ = 0;  ///< of the Content-Length body, or of the current chunk
    bool have_length_ = false;
    bool have_te_ = false;
    bool te_chunked_ = false; ///< the last transfer coding is chunked
    std::string error_;
    std::uint64_t received_ = 0;
    std::uint64_t body_bytes_ = 0;
    std::uint64_t extra_bytes_ = 0;
};

} // namespace dtu::http
