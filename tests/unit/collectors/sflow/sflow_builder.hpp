// Builds sFlow v5 datagrams and sampled packets for the decoder's tests, field by field from
// sflow_version_5.txt (XDR: big-endian 32-bit units, opaque data padded to 4 bytes).
#pragma once

#include <cstdint>
#include <initializer_list>
#include <vector>

namespace netfeed::sflow::test {

using Bytes = std::vector<std::uint8_t>;

struct Xdr {
    Bytes b;

    Xdr& u32(std::uint32_t v) {
        for (int shift = 24; shift >= 0; shift -= 8)
            b.push_back(static_cast<std::uint8_t>(v >> shift));
        return *this;
    }
    Xdr& u64(std::uint64_t v) {
        u32(static_cast<std::uint32_t>(v >> 32));
        return u32(static_cast<std::uint32_t>(v));
    }
    /// Opaque bytes, padded with zeros to a multiple of 4.
    Xdr& opaque(const Bytes& bytes) {
        b.insert(b.end(), bytes.begin(), bytes.end());
        while (b.size() % 4 != 0)
            b.push_back(0);
        return *this;
    }
    Xdr& raw(const Bytes& bytes) {
        b.insert(b.end(), bytes.begin(), bytes.end());
        return *this;
    }
    Xdr& ipv4(std::initializer_list<std::uint8_t> a) { return u32(1).raw(Bytes(a)); }
    Xdr& ipv6(const Bytes& a) { return u32(2).raw(a); }
};

/// A sample or record: data_format (enterprise << 12 | format), length, body.
inline Bytes tagged(std::uint32_t format, const Bytes& body, std::uint32_t enterprise = 0) {
    Xdr x;
    x.u32(enterprise << 12 | format).u32(static_cast<std::uint32_t>(body.size())).raw(body);
    return x.b;
}

/// The datagram header with an IPv4 agent, then the samples.
inline Bytes datagram(const std::vector<Bytes>& samples, std::uint32_t sequence = 7,
                      std::uint32_t sub_agent = 1) {
    Xdr x;
    x.u32(5).ipv4({192, 0, 2, 1}).u32(sub_agent).u32(sequence).u32(123456);
    x.u32(static_cast<std::uint32_t>(samples.size()));
    for (const Bytes& s : samples)
        x.raw(s);
    return x.b;
}

/// A compact flow sample (format 1): source ifIndex 3, 1-in-sampling_rate.
inline Bytes flow_sample(const std::vector<Bytes>& records, std::uint32_t sampling_rate = 1000,
                         std::uint32_t input = 3, std::uint32_t output = 5) {
    Xdr x;
    x.u32(42).u32(3).u32(sampling_rate).u32(500000).u32(0).u32(input).u32(output);
    x.u32(static_cast<std::uint32_t>(records.size()));
    for (const Bytes& r : records)
        x.raw(r);
    return tagged(1, x.b);
}

inline Bytes raw_header_record(std::uint32_t protocol, std::uint32_t frame_length,
                               const Bytes& header) {
    Xdr x;
    x.u32(protocol).u32(frame_length).u32(4).u32(static_cast<std::uint32_t>(header.size()));
    x.opaque(header);
    return tagged(1, x.b);
}

inline void put16(Bytes& b, std::uint16_t v) {
    b.push_back(static_cast<std::uint8_t>(v >> 8));
    b.push_back(static_cast<std::uint8_t>(v));
}

inline Bytes ethernet(std::uint16_t type, const Bytes& payload,
                      std::initializer_list<std::uint16_t> vlans = {}) {
    Bytes b = {0x00, 0x11, 0x22, 0x33, 0x44, 0x55,   // destination
               0x66, 0x77, 0x88, 0x99, 0xaa, 0xbb};  // source
    for (std::uint16_t tci : vlans) {
        put16(b, 0x8100);
        put16(b, tci);
    }
    put16(b, type);
    b.insert(b.end(), payload.begin(), payload.end());
    return b;
}

inline Bytes ipv4_packet(std::uint8_t proto, const Bytes& l4, std::uint8_t tos = 0x28,
                         std::uint8_t ttl = 61, std::uint16_t fragment = 0) {
    Bytes b = {0x45, tos};
    put16(b, static_cast<std::uint16_t>(20 + l4.size()));
    put16(b, 0x1234);
    put16(b, fragment);
    b.push_back(ttl);
    b.push_back(proto);
    put16(b, 0);
    for (std::uint8_t v : {10, 1, 2, 3, 10, 4, 5, 6})
        b.push_back(v);
    b.insert(b.end(), l4.begin(), l4.end());
    return b;
}

inline Bytes ipv6_src() {
    return {0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1};
}
inline Bytes ipv6_dst() {
    return {0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2};
}

inline Bytes ipv6_packet(std::uint8_t next, const Bytes& rest, std::uint8_t traffic_class = 0xb8,
                         std::uint8_t hop_limit = 63) {
    Bytes b = {static_cast<std::uint8_t>(0x60 | (traffic_class >> 4)),
               static_cast<std::uint8_t>(traffic_class << 4), 0, 0};
    put16(b, static_cast<std::uint16_t>(rest.size()));
    b.push_back(next);
    b.push_back(hop_limit);
    const Bytes s = ipv6_src(), d = ipv6_dst();
    b.insert(b.end(), s.begin(), s.end());
    b.insert(b.end(), d.begin(), d.end());
    b.insert(b.end(), rest.begin(), rest.end());
    return b;
}

inline Bytes tcp(std::uint16_t sport, std::uint16_t dport, std::uint16_t flags) {
    Bytes b;
    put16(b, sport);
    put16(b, dport);
    for (int i = 0; i < 8; ++i)
        b.push_back(0);                                           // sequence, acknowledgement
    b.push_back(static_cast<std::uint8_t>(0x50 | (flags >> 8)));  // data offset 5, NS
    b.push_back(static_cast<std::uint8_t>(flags));
    for (int i = 0; i < 6; ++i)
        b.push_back(0);  // window, checksum, urgent
    return b;
}

inline Bytes udp(std::uint16_t sport, std::uint16_t dport) {
    Bytes b;
    put16(b, sport);
    put16(b, dport);
    put16(b, 8);
    put16(b, 0);
    return b;
}

}  // namespace netfeed::sflow::test
