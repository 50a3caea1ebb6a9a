// Test support for the flow decoders: a byte-by-byte packet builder for NetFlow v5, v9 and
// IPFIX, and a field-by-field comparison of FlowRecords that names what differs.
#pragma once

#include <gtest/gtest.h>

#include <cstdint>
#include <cstdio>
#include <initializer_list>
#include <ostream>
#include <string>
#include <vector>

#include "collectors/netflow/decode_flows.hpp"
#include "collectors/netflow/flow_record.hpp"

namespace netfeed::netflow {

inline void PrintTo(const FlowAddress& a, std::ostream* os) {
    if (a.family == 0) {
        *os << "(none)";
        return;
    }
    char buf[8];
    for (int i = 0; i < (a.family == 4 ? 4 : 16); ++i) {
        std::snprintf(buf, sizeof buf, a.family == 4 ? "%s%u" : "%s%02x",
                      i == 0 ? "" : (a.family == 4 ? "." : (i % 2 == 0 ? ":" : "")), a.bytes[i]);
        *os << buf;
    }
}

namespace test {

inline FlowAddress ip4(std::uint8_t a, std::uint8_t b, std::uint8_t c, std::uint8_t d) {
    const std::uint8_t bytes[4] = {a, b, c, d};
    return FlowAddress::v4(bytes);
}

/// An IPv6 address from its 8 groups.
inline FlowAddress ip6(std::initializer_list<std::uint16_t> groups) {
    std::uint8_t bytes[16] = {};
    int i = 0;
    for (std::uint16_t g : groups) {
        bytes[i++] = static_cast<std::uint8_t>(g >> 8);
        bytes[i++] = static_cast<std::uint8_t>(g);
    }
    return FlowAddress::v6(bytes);
}

constexpr std::uint64_t kSecond = 1'000'000'000ull;
constexpr std::uint64_t kMs = 1'000'000ull;

/// A field specifier for a template: element, length, and enterprise number (0: IANA).
struct Field {
    std::uint16_t element;
    std::uint16_t length;
    std::uint32_t enterprise = 0;
};

/// Writes packets byte by byte, big-endian, with helpers for the headers, sets and templates
/// of each version. Lengths are patched in when a set or message ends.
class PacketBuilder {
  public:
    PacketBuilder& u8(std::uint64_t v) {
        bytes_.push_back(static_cast<std::uint8_t>(v));
        return *this;
    }
    PacketBuilder& u16(std::uint64_t v) { return uint(v, 2); }
    PacketBuilder& u32(std::uint64_t v) { return uint(v, 4); }
    PacketBuilder& u64(std::uint64_t v) { return uint(v, 8); }
    /// An unsigned integer in `n` bytes (reduced-size encoding when n is short).
    PacketBuilder& uint(std::uint64_t v, int n) {
        for (int i = n - 1; i >= 0; --i)
            u8(v >> (8 * i));
        return *this;
    }
    PacketBuilder& addr(const FlowAddress& a) {
        for (int i = 0; i < (a.family == 4 ? 4 : 16); ++i)
            u8(a.bytes[i]);
        return *this;
    }
    PacketBuilder& raw(const std::string& s) {
        for (char c : s)
            u8(static_cast<std::uint8_t>(c));
        return *this;
    }
    PacketBuilder& zeros(std::size_t n) {
        bytes_.insert(bytes_.end(), n, 0);
        return *this;
    }
    /// An IPFIX variable-length field: 1-byte length, or 255 and a 2-byte length.
    PacketBuilder& varlen(const std::string& s, bool long_form = false) {
        if (s.size() < 255 && !long_form) {
            u8(s.size());
        } else {
            u8(255).u16(s.size());
        }
        return raw(s);
    }

    /// NetFlow v5 header; records follow with v5_record().
    PacketBuilder& v5_header(std::uint16_t count, std::uint32_t uptime, std::uint32_t secs,
                             std::uint32_t nsecs, std::uint32_t sequence, std::uint8_t engine_type,
                             std::uint8_t engine_id, std::uint16_t sampling) {
        return u16(5)
            .u16(count)
            .u32(uptime)
            .u32(secs)
            .u32(nsecs)
            .u32(sequence)
            .u8(engine_type)
            .u8(engine_id)
            .u16(sampling);
    }
    /// NetFlow v9 header (its count is left 0: the decoder must not need it).
    PacketBuilder& v9_header(std::uint32_t sequence, std::uint32_t source_id, std::uint32_t uptime,
                             std::uint32_t secs, std::uint16_t count = 0) {
        return u16(9).u16(count).u32(uptime).u32(secs).u32(sequence).u32(source_id);
    }
    /// IPFIX message header; its length is patched by end_message().
    PacketBuilder& ipfix_header(std::uint32_t sequence, std::uint32_t domain,
                                std::uint32_t export_secs) {
        return u16(10).u16(0).u32(export_secs).u32(sequence).u32(domain);
    }
    std::vector<std::uint8_t> end_message() {
        patch16(2, bytes_.size());
        return bytes_;
    }

    /// Starts a set (flowset); end_set() pads it and writes its length.
    PacketBuilder& begin_set(std::uint16_t id) {
        set_start_ = bytes_.size();
        return u16(id).u16(0);
    }
    PacketBuilder& end_set(std::size_t padding = 0) {
        zeros(padding);
        patch16(set_start_ + 2, bytes_.size() - set_start_);
        return *this;
    }

    /// A v9 template record (in a set 0), or an IPFIX one (set 2, with enterprise numbers).
    PacketBuilder& template_record(std::uint16_t id, std::initializer_list<Field> fields) {
        u16(id).u16(fields.size());
        for (const Field& f : fields)
            spec(f);
        return *this;
    }
    /// A v9 options template record (set 1): scope fields then option fields, lengths in bytes.
    PacketBuilder& v9_options_template(std::uint16_t id, std::initializer_list<Field> scopes,
                                       std::initializer_list<Field> options) {
        u16(id).u16(4 * scopes.size()).u16(4 * options.size());
        for (const Field& f : scopes)
            spec(f);
        for (const Field& f : options)
            spec(f);
        return *this;
    }
    /// An IPFIX options template record (set 3): field count, scope count, then fields.
    PacketBuilder& ipfix_options_template(std::uint16_t id, std::initializer_list<Field> scopes,
                                          std::initializer_list<Field> options) {
        u16(id).u16(scopes.size() + options.size()).u16(scopes.size());
        for (const Field& f : scopes)
            spec(f);
        for (const Field& f : options)
            spec(f);
        return *this;
    }

    void patch16(std::size_t offset, std::size_t v) {
        bytes_[offset] = static_cast<std::uint8_t>(v >> 8);
        bytes_[offset + 1] = static_cast<std::uint8_t>(v);
    }
    std::size_t size() const { return bytes_.size(); }
    /// A fixed-size string field, NUL padded (NSEL usernames).
    PacketBuilder& padded(const std::string& s, std::size_t n) {
        raw(s.substr(0, n));
        return zeros(n > s.size() ? n - s.size() : 0);
    }
    const std::vector<std::uint8_t>& bytes() const { return bytes_; }

  private:
    void spec(const Field& f) {
        if (f.enterprise != 0) {
            u16(f.element | 0x8000).u16(f.length).u32(f.enterprise);
        } else {
            u16(f.element).u16(f.length);
        }
    }

    std::vector<std::uint8_t> bytes_;
    std::size_t set_start_ = 0;
};

/// Compares every field of two flows, naming each one that differs.
inline void expect_same_flow(const FlowRecord& a, const FlowRecord& e, const std::string& where) {
#define NETFEED_EXPECT_FIELD(f) EXPECT_EQ(a.f, e.f) << where << ": " #f
    NETFEED_EXPECT_FIELD(version);
    NETFEED_EXPECT_FIELD(present);
    NETFEED_EXPECT_FIELD(sampler_address);
    NETFEED_EXPECT_FIELD(observation_domain);
    NETFEED_EXPECT_FIELD(sequence_num);
    NETFEED_EXPECT_FIELD(time_received_ns);
    NETFEED_EXPECT_FIELD(time_flow_start_ns);
    NETFEED_EXPECT_FIELD(time_flow_end_ns);
    NETFEED_EXPECT_FIELD(bytes);
    NETFEED_EXPECT_FIELD(packets);
    NETFEED_EXPECT_FIELD(sampling_rate);
    NETFEED_EXPECT_FIELD(src_addr);
    NETFEED_EXPECT_FIELD(dst_addr);
    NETFEED_EXPECT_FIELD(next_hop);
    NETFEED_EXPECT_FIELD(bgp_next_hop);
    NETFEED_EXPECT_FIELD(src_port);
    NETFEED_EXPECT_FIELD(dst_port);
    NETFEED_EXPECT_FIELD(proto);
    NETFEED_EXPECT_FIELD(tcp_flags);
    NETFEED_EXPECT_FIELD(ip_tos);
    NETFEED_EXPECT_FIELD(src_net);
    NETFEED_EXPECT_FIELD(dst_net);
    NETFEED_EXPECT_FIELD(in_if);
    NETFEED_EXPECT_FIELD(out_if);
    NETFEED_EXPECT_FIELD(src_as);
    NETFEED_EXPECT_FIELD(dst_as);
    NETFEED_EXPECT_FIELD(etype);
    NETFEED_EXPECT_FIELD(vlan_id);
    NETFEED_EXPECT_FIELD(direction);
    NETFEED_EXPECT_FIELD(icmp_type);
    NETFEED_EXPECT_FIELD(icmp_code);
    NETFEED_EXPECT_FIELD(flow_end_reason);
    NETFEED_EXPECT_FIELD(sampler_id);
    NETFEED_EXPECT_FIELD(reverse_bytes);
    NETFEED_EXPECT_FIELD(reverse_packets);
    NETFEED_EXPECT_FIELD(reverse_tcp_flags);
    NETFEED_EXPECT_FIELD(reverse_ip_tos);
    NETFEED_EXPECT_FIELD(biflow_direction);
    NETFEED_EXPECT_FIELD(nat_src_addr);
    NETFEED_EXPECT_FIELD(nat_dst_addr);
    NETFEED_EXPECT_FIELD(nat_src_port);
    NETFEED_EXPECT_FIELD(nat_dst_port);
    NETFEED_EXPECT_FIELD(flow_id);
    NETFEED_EXPECT_FIELD(fw_event);
    NETFEED_EXPECT_FIELD(fw_ext_event);
    NETFEED_EXPECT_FIELD(observation_time_ns);
    NETFEED_EXPECT_FIELD(ingress_acl_id);
    NETFEED_EXPECT_FIELD(egress_acl_id);
    EXPECT_EQ(std::string(a.username.data(), a.username_length),
              std::string(e.username.data(), e.username_length))
        << where << ": username";
    NETFEED_EXPECT_FIELD(application_engine);
    NETFEED_EXPECT_FIELD(application_selector);
    EXPECT_EQ(a.application_name ? *a.application_name : "(none)",
              e.application_name ? *e.application_name : "(none)")
        << where << ": application_name";
#undef NETFEED_EXPECT_FIELD
    ASSERT_EQ(a.extra.size(), e.extra.size()) << where << ": extra";
    for (std::size_t i = 0; i < a.extra.size(); ++i) {
        EXPECT_EQ(a.extra[i].enterprise, e.extra[i].enterprise) << where << ": extra " << i;
        EXPECT_EQ(a.extra[i].element, e.extra[i].element) << where << ": extra " << i;
        EXPECT_EQ(a.extra[i].value, e.extra[i].value) << where << ": extra " << i;
    }
}

}  // namespace test
}  // namespace netfeed::netflow
