// Fuzzes the RFC 6587 stream framer: any byte stream, split into chunks at fuzzer-chosen
// points, must frame without crashing, with bounded buffering and messages no longer than the
// limit.
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "collectors/syslog/parse_rfc6587.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size < 2) return 0;
    // The first byte picks the message limit, the second the chunk size of the stream.
    const std::size_t max = 16 + data[0] * 4;
    const std::size_t chunk = 1 + data[1] % 64;
    std::string_view stream(reinterpret_cast<const char*>(data) + 2, size - 2);
    netfeed::syslog::Rfc6587Framer framer(max);
    const auto check = [&](std::string_view message, bool) {
        if (message.empty() || message.size() > max) std::abort();
    };
    while (!stream.empty()) {
        const std::size_t n = stream.size() < chunk ? stream.size() : chunk;
        framer.feed(stream.substr(0, n), check);
        if (framer.buffered() > max + 16) std::abort();
        stream.remove_prefix(n);
    }
    framer.finish(check);
    return 0;
}
