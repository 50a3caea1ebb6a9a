// What one sFlow v5 datagram decodes to, and the decoder: a pure function of the datagram's
// bytes (sflow.org sflow_version_5.txt, XDR encoded). Flow samples come out as the same
// FlowRecord the NetFlow decoders fill, plus what only sFlow carries; counter samples as
// interface counters. No sockets, no clock, no state: sequence gaps are sequence_tracker's.
#pragma once

#include <array>
#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

#include "collectors/netflow/flow_record.hpp"

namespace netfeed::sflow {

using netflow::FlowAddress;
using netflow::FlowRecord;

/// Why a datagram was refused. Any of these drops the whole datagram: its structure cannot
/// be trusted past the fault, and a half-read sample would be a wrong one.
enum class DecodeError : std::uint8_t {
    none,
    truncated,         // shorter than its header, a sample or a record says
    bad_version,       // not version 5
    bad_address_type,  // an agent or next-hop address type other than 1 (IPv4) or 2 (IPv6)
    bad_length,        // a record shorter than its format needs, or a list longer than its record
    kCount,
};

std::string_view to_string(DecodeError error) noexcept;

/// Which of SflowFlowExtra's optional parts a flow sample carried.
enum SflowExtraField : std::uint32_t {
    kExtraMacs = 1u << 0,     // src_mac, dst_mac (sampled header or Ethernet frame data)
    kExtraTtl = 1u << 1,      // ttl (sampled header)
    kExtraSwitch = 1u << 2,   // extended switch (1001)
    kExtraRouter = 1u << 3,   // extended router (1002)
    kExtraGateway = 1u << 4,  // extended gateway (1003)
    kExtraDiscard = 1u << 5,  // output interface format 1: the packet was discarded
};

/// What a flow sample carries beyond the NetFlow fields.
struct SflowExtra {
    std::uint32_t present = 0;  // SflowExtraField bits
    std::uint32_t sample_sequence = 0;
    std::uint8_t source_id_type = 0;  // 0 ifIndex, 1 VLAN, 2 physical entity
    std::uint32_t source_id_index = 0;
    std::uint32_t sample_pool = 0;  // packets that could have been sampled
    std::uint32_t drops = 0;        // samples the agent dropped for lack of resources
    std::array<std::uint8_t, 6> src_mac{};
    std::array<std::uint8_t, 6> dst_mac{};
    std::uint8_t ttl = 0;
    std::uint32_t src_vlan = 0;
    std::uint32_t src_priority = 0;
    std::uint32_t dst_vlan = 0;
    std::uint32_t dst_priority = 0;
    std::uint32_t router_as = 0;  // the agent's own AS (extended gateway "as")
    std::uint32_t src_peer_as = 0;
    std::uint32_t local_pref = 0;
    std::vector<std::uint32_t> as_path;  // every segment's ASNs in order, sets flattened
    std::vector<std::uint32_t> communities;
    std::uint32_t discard_reason = 0;  // with kExtraDiscard

    bool has(SflowExtraField f) const noexcept { return (present & f) != 0; }
};

struct SflowFlow {
    FlowRecord flow;
    SflowExtra sflow;
};

/// Generic interface counters (counter record 1): the IF-MIB values the agent read.
struct InterfaceCounters {
    std::uint32_t if_index = 0;
    std::uint32_t if_type = 0;
    std::uint64_t if_speed = 0;      // bits per second (64-bit, unlike IF-MIB's ifSpeed)
    std::uint32_t if_direction = 0;  // 0 unknown, 1 full duplex, 2 half, 3 in, 4 out
    std::uint32_t if_status = 0;     // bit 0 admin up, bit 1 oper up
    std::uint64_t in_octets = 0;
    std::uint32_t in_ucast_pkts = 0;
    std::uint32_t in_multicast_pkts = 0;
    std::uint32_t in_broadcast_pkts = 0;
    std::uint32_t in_discards = 0;
    std::uint32_t in_errors = 0;
    std::uint32_t in_unknown_protos = 0;
    std::uint64_t out_octets = 0;
    std::uint32_t out_ucast_pkts = 0;
    std::uint32_t out_multicast_pkts = 0;
    std::uint32_t out_broadcast_pkts = 0;
    std::uint32_t out_discards = 0;
    std::uint32_t out_errors = 0;
    std::uint32_t promiscuous_mode = 0;  // 0 false, 1 true
};

/// Ethernet interface counters (counter record 2): EtherLike-MIB dot3StatsTable.
struct EthernetCounters {
    std::uint32_t alignment_errors = 0;
    std::uint32_t fcs_errors = 0;
    std::uint32_t single_collision_frames = 0;
    std::uint32_t multiple_collision_frames = 0;
    std::uint32_t sqe_test_errors = 0;
    std::uint32_t deferred_transmissions = 0;
    std::uint32_t late_collisions = 0;
    std::uint32_t excessive_collisions = 0;
    std::uint32_t internal_mac_transmit_errors = 0;
    std::uint32_t carrier_sense_errors = 0;
    std::uint32_t frame_too_longs = 0;
    std::uint32_t internal_mac_receive_errors = 0;
    std::uint32_t symbol_errors = 0;
};

/// One counter sample that held interface counters (samples with neither record are skipped).
struct SflowCounters {
    std::uint32_t sample_sequence = 0;
    std::uint8_t source_id_type = 0;
    std::uint32_t source_id_index = 0;
    bool has_interface = false;
    bool has_ethernet = false;
    InterfaceCounters interface;
    EthernetCounters ethernet;
};

struct SflowDatagram {
    FlowAddress agent;
    std::uint32_t sub_agent_id = 0;
    std::uint32_t sequence = 0;
    std::uint32_t uptime_ms = 0;
    std::uint32_t sample_count = 0;  // as the header says
    std::vector<SflowFlow> flows;
    std::vector<SflowCounters> counters;
    // Read but not used: samples of other formats or enterprises (skipped by their length),
    // records of other formats inside known samples, and counter samples with no interface
    // counters in them.
    std::uint32_t skipped_samples = 0;
    std::uint32_t skipped_records = 0;
};

/// Decodes one datagram into `out` (cleared first). Flows get `time_received_ns`. On an error
/// `out` holds the header fields read so far and no samples.
DecodeError decode_sflow(std::span<const std::uint8_t> datagram, std::uint64_t time_received_ns,
                         SflowDatagram& out) noexcept;

}  // namespace netfeed::sflow
