// libFuzzer target: the HTTPD response parser (firmware_core/src/http/response.cpp) on arbitrary
// server bytes. Oracle: whatever the bytes, the parser's output and verdict must not depend on how
// the network cut them into chunks (one piece vs. the cuts the input chooses), it never writes more
// than it received, and the header block it holds stays within kMaxHead (ASan would see a runaway).
//
// Input: byte 0 = flags (bit 0 body_only, bit 1 call on_close at the end), bytes 1..4 = chunk
// sizes cycled over the rest (0 counts as 1).
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "dtu/http/response.hpp"

namespace {

struct Run {
    std::string out;
    dtu::http::ResponseParser::State state{};
    std::string error;
    std::uint64_t body = 0, extra = 0;
};

Run parse(std::string_view data, bool body_only, bool close, const std::uint8_t* cuts, std::size_t ncuts) {
    Run r;
    dtu::http::ResponseParser p(body_only, [&r](std::string_view b) { r.out.append(b); });
    std::size_t i = 0, k = 0;
    while (i < data.size()) {
        std::size_t n = ncuts ? std::max<std::size_t>(1, cuts[k++ % ncuts]) : data.size();
        n = std::min(n, data.size() - i);
        p.feed(data.substr(i, n));
        i += n;
    }
    if (close) p.on_close();
    r.state = p.state();
    r.error = p.error();
    r.body = p.body_bytes();
    r.extra = p.extra_bytes();
    if (r.out.size() > p.received()) std::abort(); // wrote bytes it never received
    return r;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size < 5) return 0;
    const bool body_only = data[0] & 1;
    const bool close = data[0] & 2;
    const std::string_view bytes(reinterpret_cast<const char*>(data + 5), size - 5);
    const Run whole = parse(bytes, body_only, close, nullptr, 0);
    const Run cut = parse(bytes, body_only, close, data + 1, 4);
    if (whole.out != cut.out || whole.state != cut.state || whole.error != cut.error ||
        whole.body != cut.body || whole.extra != cut.extra)
        std::abort(); // the verdict depends on TCP segmentation
    return 0;
}
