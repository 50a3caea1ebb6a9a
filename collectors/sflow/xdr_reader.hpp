// Reads sFlow's XDR encoding (big-endian 32-bit units, opaque data padded to 4 bytes) from a
// bounded span, and the tagged structures (samples, records) every part of a datagram is made
// of. Shared by the sample readers of the sFlow decoder.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>

#include "collectors/sflow/sflow_datagram.hpp"

namespace netfeed::sflow::xdr {

using Bytes = std::span<const std::uint8_t>;

/// Reads XDR (big-endian 32-bit units) from a bounded span; a read past the end sets failed()
/// and returns zeros, so a decoder checks once after a group of reads.
class XdrReader {
  public:
    explicit XdrReader(Bytes bytes) noexcept : bytes_(bytes) {}

    std::uint32_t u32() noexcept {
        if (!need(4)) return 0;
        const std::uint32_t v = (std::uint32_t{bytes_[at_]} << 24) |
                                (std::uint32_t{bytes_[at_ + 1]} << 16) |
                                (std::uint32_t{bytes_[at_ + 2]} << 8) | bytes_[at_ + 3];
        at_ += 4;
        return v;
    }
    std::uint64_t u64() noexcept {
        const std::uint64_t high = u32();
        return (high << 32) | u32();
    }
    /// `n` bytes of opaque data; XDR pads them to a multiple of 4.
    Bytes opaque(std::size_t n) noexcept {
        const std::size_t padded = (n + 3) & ~std::size_t{3};
        if (n > bytes_.size()) {
            failed_ = true;
            return {};
        }
        if (!need(padded)) return {};
        const Bytes out = bytes_.subspan(at_, n);
        at_ += padded;
        return out;
    }
    /// An sFlow address: type 1 IPv4 or 2 IPv6; false (and failed) for anything else.
    bool address(FlowAddress& out) noexcept {
        const std::uint32_t type = u32();
        if (type == 1) {
            const Bytes b = opaque(4);
            if (failed_) return false;
            out = FlowAddress::v4(b.data());
            return true;
        }
        if (type == 2) {
            const Bytes b = opaque(16);
            if (failed_) return false;
            out = FlowAddress::v6(b.data());
            return true;
        }
        bad_address_ = !failed_;
        failed_ = true;
        return false;
    }
    /// A count of 4-byte items that must fit what is left (a count can never allocate more
    /// than the datagram holds).
    bool count_fits(std::uint32_t count, std::size_t item_bytes) noexcept {
        if (count > remaining() / item_bytes) {
            failed_ = true;
            return false;
        }
        return true;
    }
    void skip(std::size_t n) noexcept {
        if (need(n)) at_ += n;
    }
    std::size_t remaining() const noexcept { return bytes_.size() - at_; }
    bool failed() const noexcept { return failed_; }
    bool bad_address() const noexcept { return bad_address_; }

  private:
    bool need(std::size_t n) noexcept {
        if (failed_ || n > bytes_.size() - at_) {
            failed_ = true;
            return false;
        }
        return true;
    }

    Bytes bytes_;
    std::size_t at_ = 0;
    bool failed_ = false;
    bool bad_address_ = false;
};

/// A sub-structure (sample or record): its format and its bytes, cut from the parent.
struct Tagged {
    std::uint32_t enterprise = 0;
    std::uint32_t format = 0;
    Bytes body;
};

/// Reads the data_format (20-bit enterprise, 12-bit format) and length of a sample or record.
inline DecodeError read_tagged(XdrReader& r, Tagged& out) noexcept {
    const std::uint32_t tag = r.u32();
    const std::uint32_t length = r.u32();
    if (r.failed()) return DecodeError::truncated;
    out.enterprise = tag >> 12;
    out.format = tag & 0xFFFu;
    if (length > r.remaining()) return DecodeError::truncated;
    out.body = r.opaque(length);
    return r.failed() ? DecodeError::truncated : DecodeError::none;
}

inline DecodeError error_of(const XdrReader& r) noexcept {
    if (r.bad_address()) return DecodeError::bad_address_type;
    return r.failed() ? DecodeError::bad_length : DecodeError::none;
}

}  // namespace netfeed::sflow::xdr
