// The Modbus codec (dtu/proto/modbus.hpp) and the gateway engine on hostile bytes. The first byte
// picks a chunk size; the rest is a TCP stream for the MBAP reader and a serial stream for the RTU
// reply assembler. Oracles: one piece and chunked reads give the same ADUs and the same verdicts;
// every ADU read re-encodes to MBAP and RTU frames that parse back to itself; the gateway never
// writes a serial frame that fails its own CRC check.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "device/modbus_gateway.hpp"
#include "dtu/proto/modbus.hpp"
#include "fake_hal.hpp"

namespace mb = dtu::proto::modbus;

namespace {

void check(bool ok) {
    if (!ok) std::abort();
}

struct Read {
    std::vector<mb::Adu> adus;
    std::size_t skipped = 0;
    bool broken = false;
};

Read read_mbap(std::string_view bytes, std::size_t chunk) {
    mb::MbapReader reader;
    Read out;
    for (std::size_t at = 0; at < bytes.size(); at += chunk) {
        auto got = reader.feed(bytes.substr(at, chunk));
        for (auto& a : got.adus)
            out.adus.push_back(std::move(a));
        out.skipped += got.skipped;
        if (got.broken) {
            out.broken = true;
            break;
        }
    }
    return out;
}

struct Replies {
    std::vector<mb::RtuFrame> frames;
    std::size_t extra = 0;
};

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size == 0) return 0;
    const std::size_t chunk = 1 + data[0] % 16;
    const std::string_view bytes(reinterpret_cast<const char*>(data) + 1, size - 1);

    const Read whole = read_mbap(bytes, bytes.size() + 1);
    const Read pieces = read_mbap(bytes, chunk);
    check(whole.broken == pieces.broken && whole.skipped == pieces.skipped);
    check(whole.adus == pieces.adus);
    for (const mb::Adu& adu : whole.adus) {
        check(adu.pdu.size() >= 1 && adu.pdu.size() <= mb::kMaxPdu);
        const Read again = read_mbap(mb::encode_mbap(adu), 64);
        check(again.adus.size() == 1 && again.adus[0] == adu);
        const mb::RtuFrame rtu = mb::parse_rtu(mb::encode_rtu(adu.unit, adu.pdu));
        check(rtu.verdict == mb::RtuVerdict::Ok && rtu.unit == adu.unit && rtu.pdu == adu.pdu);
    }

    // The same bytes as serial replies: whole-piece and chunked assembly agree on the first reply.
    {
        mb::RtuReplyAssembler one, many;
        const auto a = one.feed(bytes);
        mb::RtuReplyAssembler::Result b;
        std::size_t at = 0;
        for (; at < bytes.size() && !b.complete; at += chunk)
            b = many.feed(bytes.substr(at, chunk));
        check(a.complete == b.complete);
        if (a.complete) {
            check(a.frame.verdict == b.frame.verdict && a.frame.pdu == b.frame.pdu);
            check(a.frame.verdict != mb::RtuVerdict::Ok || a.frame.pdu.size() + 3 + a.extra == bytes.size());
        }
    }

    // The gateway, with polling, fed the stream on two connections and the serial side.
    dtu::test::FakeClock clock;
    dtu::device::ModbusGateway::Settings settings;
    settings.polling = (data[0] & 0x80) != 0;
    dtu::device::ModbusGateway gw(
        clock, settings, [](std::string_view f) { check(mb::parse_rtu(f).verdict == mb::RtuVerdict::Ok); },
        [](dtu::hal::LinkId, std::string_view reply) { check(read_mbap(reply, 300).adus.size() == 1); },
        [](dtu::hal::LinkId) {});
    for (std::size_t at = 0; at < bytes.size(); at += chunk) {
        const std::string_view piece = bytes.substr(at, chunk);
        gw.from_network(static_cast<dtu::hal::LinkId>(16 + (at / chunk) % 2), piece);
        gw.from_serial(piece);
        clock.advance(50);
    }
    clock.advance(10000);
    check(!gw.outstanding());
    return 0;
}
