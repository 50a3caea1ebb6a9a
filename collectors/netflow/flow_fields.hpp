// The NetFlow v9 / IPFIX element id -> FlowRecord field mapping, as data. Templates are compiled
// against these tables when they are learnt; docs/flows.md lists the same rows.
#pragma once

#include <cstdint>
#include <span>

namespace netfeed::netflow {

/// Where the bytes of one template field go. The decoding loop switches on this.
enum class FieldTarget : std::uint8_t {
    skip,   // consumed and dropped: padding (210), v9 option scopes, unused option fields
    extra,  // kept by number in FlowRecord::extra
    // Flow fields (data templates).
    bytes,
    packets,
    proto,
    ip_tos,
    tcp_flags,
    src_port,
    dst_port,
    src_addr4,
    dst_addr4,
    next_hop4,
    bgp_next_hop4,
    src_addr6,
    dst_addr6,
    next_hop6,
    bgp_next_hop6,
    src_net,
    dst_net,
    in_if,
    out_if,
    src_as,
    dst_as,
    vlan_id,
    direction,
    icmp_type_code,  // type << 8 | code in one field (32, 139)
    icmp_type,
    icmp_code,
    flow_end_reason,
    sampler_id,
    etype,
    ip_version,     // not a field of its own: tells the etype when 256 is absent
    sampling_rate,  // a sampling interval carried in every flow record (34, 50)
    // RFC 5103 reverse elements and initiator/responder counters.
    reverse_bytes,
    reverse_packets,
    reverse_tcp_flags,
    reverse_ip_tos,
    tcp_flags_or,          // YAF's initialTCPFlags and unionTCPFlags: together, tcp_flags
    reverse_tcp_flags_or,  // and their reverses
    biflow_direction,
    // Firewall and NAT elements (Cisco ASA NSEL, IANA 225-228, 281, 282).
    nat_src_addr4,
    nat_dst_addr4,
    nat_src_addr6,
    nat_dst_addr6,
    nat_src_port,
    nat_dst_port,
    flow_id,
    fw_event,
    fw_ext_event,
    ingress_acl_id,
    egress_acl_id,
    username,        // any length, variable too: the name up to the first NUL, cut at 65 bytes
    application_id,  // 95: 1 byte classification engine, then the selector (variable too)
    // observationTime* (322-325): converted in the record, no header needed.
    observation_seconds,
    observation_millis,
    observation_micros,
    observation_nanos,
    // Times, resolved once the whole record is read (they need the export header).
    start_uptime,
    end_uptime,
    start_seconds,
    end_seconds,
    start_millis,
    end_millis,
    start_micros,
    end_micros,
    start_nanos,
    end_nanos,
    start_delta_micros,
    end_delta_micros,
    system_init_millis,
    // Options data fields (options templates): what the decoder learns per exporter domain.
    opt_sampling_interval,
    opt_random_interval,
    opt_packet_interval,
    opt_packet_space,
    opt_sampler_id,
    opt_system_init_millis,
    opt_application_id,    // 95, as in data records
    opt_application_name,  // 96 applicationName: any length, variable too
};

/// The first time target and how many there are: each has a slot in the per-record scratch.
inline constexpr int kFirstTimeTarget = static_cast<int>(FieldTarget::start_uptime);
inline constexpr int kTimeTargets =
    static_cast<int>(FieldTarget::system_init_millis) - kFirstTimeTarget + 1;

inline constexpr bool is_time_target(FieldTarget t) noexcept {
    const int i = static_cast<int>(t) - kFirstTimeTarget;
    return i >= 0 && i < kTimeTargets;
}

/// One row: element `element` of enterprise `enterprise` of a length in [min_length,
/// max_length] goes to `target`; any other length does not fit the slot and the field goes to
/// `extra`. A `variable` row also takes variable-length fields: its decoding checks the length.
struct FieldMapping {
    std::uint16_t element;
    FieldTarget target;
    std::uint8_t min_length;
    std::uint8_t max_length;
    std::uint64_t present;  // the FlowField bits every record of this field carries
    const char* name;       // the IANA name (the v9 name where it differs is in docs/flows.md)
    std::uint32_t enterprise = 0;
    bool variable = false;
};

/// RFC 5103: the reverse of element N is N under this private enterprise number.
inline constexpr std::uint32_t kReversePen = 29305;
/// CERT (YAF's elements); the reverse of an enterprise element sets bit 14 of its id (RFC 5103
/// 6.2).
inline constexpr std::uint32_t kCertPen = 6871;

/// Rows for the fields of data templates, v9 and IPFIX alike (v9 numbers are IPFIX's).
std::span<const FieldMapping> data_field_table() noexcept;
/// Rows for the fields of options templates that the decoder learns from.
std::span<const FieldMapping> options_field_table() noexcept;

/// The row for (enterprise, element) in `table`, or nullptr.
const FieldMapping* find_field(std::span<const FieldMapping> table, std::uint32_t enterprise,
                               std::uint16_t element) noexcept;

/// IPFIX paddingOctets: skipped wherever it appears, never kept in `extra`.
inline constexpr std::uint16_t kPaddingOctets = 210;

}  // namespace netfeed::netflow
