// The on-disk form of one spooled record: length | CRC-32C | seq | payload. Pure code, so that
// unit tests and the recovery scan share exactly the same encoder and checks.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace netfeed::kafka {

/// One record as the Kafka sink produces it: everything needed to produce it again exactly as
/// the first time (the key is already encoded, the value already serialized).
struct SpoolRecord {
    std::uint64_t seq = 0;
    std::int64_t appended_ms = 0;  // Unix time in ms, for the oldest-record age
    std::string_view topic;
    std::string_view kind;
    std::string_view device;
    std::string_view key;
    std::string_view value;
    bool has_key = false;
    bool tombstone = false;  // null value
    std::uint8_t partitioner = 0;
};

/// Bytes before the payload: u32 length of (seq + payload), u32 CRC-32C of the same bytes.
inline constexpr std::size_t kFrameHeader = 8;
/// Smallest valid length field: seq, time, flags, partitioner and the five length prefixes.
inline constexpr std::uint32_t kMinFrameLength = 8 + 8 + 1 + 1 + 2 + 2 + 2 + 4 + 4;

/// CRC-32C (Castagnoli), with the CPU's instruction where there is one.
std::uint32_t crc32c(const void* data, std::size_t size, std::uint32_t crc = 0) noexcept;
/// The same by table lookup, for CPUs without it (and for the test that both agree).
std::uint32_t crc32c_portable(const void* data, std::size_t size, std::uint32_t crc = 0) noexcept;

/// Appends the framed record (with record.seq) to `out`.
void encode_frame(const SpoolRecord& record, std::string& out);

enum class FrameCheck {
    ok,
    need_more,  // the length field points past `available`: read more (or a truncated tail)
    bad,        // length out of range, CRC mismatch or malformed payload
};

/// Whether decode_frame recomputes the CRC: `skip` only for frames this process just encoded.
enum class CrcCheck { verify, skip };

/// Checks the frame at the start of `bytes` and fills `record` with views into it.
/// `max_length` bounds the length field (larger is damage, not a record).
FrameCheck decode_frame(std::string_view bytes, std::uint32_t max_length, SpoolRecord& record,
                        std::size_t& frame_size, CrcCheck check = CrcCheck::verify) noexcept;

}  // namespace netfeed::kafka
