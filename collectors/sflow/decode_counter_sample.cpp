// Counter samples (2) and expanded counter samples (4) of sFlow v5: generic interface (1) and
// Ethernet interface (2) counter records; records of other formats are skipped.
#include "collectors/sflow/decode_samples.hpp"

namespace netfeed::sflow::detail {

namespace {

using namespace xdr;

constexpr std::uint32_t kGenericInterface = 1;
constexpr std::uint32_t kEthernetInterface = 2;

DecodeError read_interface_counters(Bytes body, InterfaceCounters& c) noexcept {
    XdrReader r(body);
    c.if_index = r.u32();
    c.if_type = r.u32();
    c.if_speed = r.u64();
    c.if_direction = r.u32();
    c.if_status = r.u32();
    c.in_octets = r.u64();
    c.in_ucast_pkts = r.u32();
    c.in_multicast_pkts = r.u32();
    c.in_broadcast_pkts = r.u32();
    c.in_discards = r.u32();
    c.in_errors = r.u32();
    c.in_unknown_protos = r.u32();
    c.out_octets = r.u64();
    c.out_ucast_pkts = r.u32();
    c.out_multicast_pkts = r.u32();
    c.out_broadcast_pkts = r.u32();
    c.out_discards = r.u32();
    c.out_errors = r.u32();
    c.promiscuous_mode = r.u32();
    return r.failed() ? DecodeError::bad_length : DecodeError::none;
}

DecodeError read_ethernet_counters(Bytes body, EthernetCounters& c) noexcept {
    XdrReader r(body);
    c.alignment_errors = r.u32();
    c.fcs_errors = r.u32();
    c.single_collision_frames = r.u32();
    c.multiple_collision_frames = r.u32();
    c.sqe_test_errors = r.u32();
    c.deferred_transmissions = r.u32();
    c.late_collisions = r.u32();
    c.excessive_collisions = r.u32();
    c.internal_mac_transmit_errors = r.u32();
    c.carrier_sense_errors = r.u32();
    c.frame_too_longs = r.u32();
    c.internal_mac_receive_errors = r.u32();
    c.symbol_errors = r.u32();
    return r.failed() ? DecodeError::bad_length : DecodeError::none;
}

}  // namespace

DecodeError read_counter_sample(Bytes body, bool expanded, SflowDatagram& out) noexcept {
    XdrReader r(body);
    SflowCounters c;
    c.sample_sequence = r.u32();
    if (expanded) {
        c.source_id_type = static_cast<std::uint8_t>(r.u32());
        c.source_id_index = r.u32();
    } else {
        const std::uint32_t source = r.u32();
        c.source_id_type = static_cast<std::uint8_t>(source >> 24);
        c.source_id_index = source & 0xFFFFFFu;
    }
    const std::uint32_t records = r.u32();
    if (r.failed()) return DecodeError::truncated;
    if (!r.count_fits(records, 8)) return DecodeError::truncated;
    for (std::uint32_t i = 0; i < records; ++i) {
        Tagged t;
        if (const DecodeError e = read_tagged(r, t); e != DecodeError::none) return e;
        DecodeError e = DecodeError::none;
        if (t.enterprise == 0 && t.format == kGenericInterface) {
            e = read_interface_counters(t.body, c.interface);
            c.has_interface = true;
        } else if (t.enterprise == 0 && t.format == kEthernetInterface) {
            e = read_ethernet_counters(t.body, c.ethernet);
            c.has_ethernet = true;
        } else {
            ++out.skipped_records;  // processor, host, VLAN, 802.11... counters
        }
        if (e != DecodeError::none) return e;
    }
    if (c.has_interface || c.has_ethernet) {
        out.counters.push_back(c);
    } else {
        ++out.skipped_samples;
    }
    return DecodeError::none;
}

}  // namespace netfeed::sflow::detail
