// The little BER (X.690) the simulator needs: reading an SNMP request and writing a response,
// by hand, so a reply costs a few hundred nanoseconds and nothing is allocated per request.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace netfeed::lab {

using Bytes = std::span<const std::uint8_t>;

/// Reads TLVs from a buffer; every read checks the bounds, a failed read leaves ok() false.
class BerReader {
  public:
    explicit BerReader(Bytes data) : data_(data) {}
    bool ok() const { return ok_; }
    bool at_end() const { return pos_ >= data_.size(); }
    /// The next TLV: its tag and its content. False (and ok() false) if it does not fit.
    bool next(std::uint8_t& tag, Bytes& content);
    /// The next TLV, which must have `tag`.
    bool expect(std::uint8_t tag, Bytes& content);

  private:
    Bytes data_;
    std::size_t pos_ = 0;
    bool ok_ = true;
};

/// A signed INTEGER's content (at most 8 bytes).
bool ber_integer(Bytes content, std::int64_t& value);
/// An OBJECT IDENTIFIER's content as sub-identifiers (at most `max` of them).
bool ber_oid(Bytes content, std::vector<std::uint32_t>& out, std::size_t max = 128);

// Writers append to a byte string.
void put_length(std::string& out, std::size_t length);
void put_tlv(std::string& out, std::uint8_t tag, std::string_view content);
void put_int(std::string& out, std::uint8_t tag, std::int64_t value);
void put_unsigned(std::string& out, std::uint8_t tag, std::uint64_t value);
void put_oid(std::string& out, std::span<const std::uint32_t> oid);
/// The number of bytes put_length writes.
std::size_t length_size(std::size_t length);

// Tags of SNMP (RFC 3416, RFC 2578).
namespace tag {
constexpr std::uint8_t integer = 0x02, octets = 0x04, null = 0x05, oid = 0x06, sequence = 0x30;
constexpr std::uint8_t ip_address = 0x40, counter32 = 0x41, gauge32 = 0x42, timeticks = 0x43,
                       counter64 = 0x46;
constexpr std::uint8_t no_such_object = 0x80, no_such_instance = 0x81, end_of_mib_view = 0x82;
constexpr std::uint8_t get = 0xa0, get_next = 0xa1, response = 0xa2, set = 0xa3, get_bulk = 0xa5;
}  // namespace tag

}  // namespace netfeed::lab
