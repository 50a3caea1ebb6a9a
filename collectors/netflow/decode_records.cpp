// The per-record decoding loops (see decode_records.hpp). This is the hot path: no allocation
// unless a field goes to `extra`, one bounds check per record for fixed-length templates.
#include "collectors/netflow/decode_records.hpp"

#include <array>
#include <cstring>
#include <limits>
#include <string_view>

#include "collectors/netflow/decode_bytes.hpp"

namespace netfeed::netflow {

namespace {

constexpr int slot(FieldTarget t) {
    return static_cast<int>(t) - kFirstTimeTarget;
}
constexpr std::uint32_t bit(FieldTarget t) {
    return 1u << slot(t);
}

constexpr std::int64_t kMaxMs = std::numeric_limits<std::int64_t>::max() / 1'000'000;
constexpr std::uint64_t kMaxSeconds = std::numeric_limits<std::int64_t>::max() / 1'000'000'000;

// Seconds from the NTP era 0 epoch (1900) to the Unix epoch.
constexpr std::uint64_t kNtpToUnix = 2'208'988'800ull;

bool ms_to_ns(std::int64_t ms, std::uint64_t& ns) {
    if (ms < 0 || ms > kMaxMs) return false;
    ns = static_cast<std::uint64_t>(ms) * 1'000'000ull;
    return true;
}

// RFC 7011 6.1.9: dateTimeMicroseconds/Nanoseconds are NTP timestamps (32-bit seconds since
// 1900, 32-bit fraction). Seconds below the Unix epoch can only be NTP era 1 (after 2036).
bool ntp_to_ns(std::uint64_t v, std::uint64_t& ns) {
    if (v == 0) return false;  // an unset field, not the year 2036
    std::uint64_t seconds = v >> 32;
    const std::uint64_t fraction = v & 0xffffffffull;
    seconds = seconds >= kNtpToUnix ? seconds - kNtpToUnix : seconds + (1ull << 32) - kNtpToUnix;
    ns = seconds * 1'000'000'000ull + ((fraction * 1'000'000'000ull) >> 32);
    return true;
}

// One end of a flow (start or end): the candidate time fields in order of preference.
struct TimeSlots {
    FieldTarget nanos, micros, millis, seconds, delta_micros, uptime;
};
constexpr TimeSlots kStart{FieldTarget::start_nanos,        FieldTarget::start_micros,
                           FieldTarget::start_millis,       FieldTarget::start_seconds,
                           FieldTarget::start_delta_micros, FieldTarget::start_uptime};
constexpr TimeSlots kEnd{FieldTarget::end_nanos,        FieldTarget::end_micros,
                         FieldTarget::end_millis,       FieldTarget::end_seconds,
                         FieldTarget::end_delta_micros, FieldTarget::end_uptime};

bool resolve_one(const TimeSlots& s, const std::uint64_t* raw, std::uint32_t mask,
                 const ExportContext& c, const DomainState& d, std::uint64_t& ns) {
    if ((mask & bit(s.nanos)) != 0) return ntp_to_ns(raw[slot(s.nanos)], ns);
    if ((mask & bit(s.micros)) != 0) {
        if (!ntp_to_ns(raw[slot(s.micros)], ns)) return false;
        ns -= ns % 1000;  // the fraction's low bits are not significant for microseconds
        return true;
    }
    if ((mask & bit(s.millis)) != 0) {
        const std::uint64_t ms = raw[slot(s.millis)];
        if (ms == 0 || ms > static_cast<std::uint64_t>(kMaxMs)) return false;
        return ms_to_ns(static_cast<std::int64_t>(ms), ns);
    }
    if ((mask & bit(s.seconds)) != 0) {
        const std::uint64_t seconds = raw[slot(s.seconds)];
        if (seconds == 0 || seconds > kMaxSeconds) return false;
        ns = seconds * 1'000'000'000ull;
        return true;
    }
    if ((mask & bit(s.delta_micros)) != 0) {
        // flowStart/EndDeltaMicroseconds: how long before the export time (RFC 5102).
        std::uint64_t export_ns;
        if (!ms_to_ns(c.export_ms, export_ns)) return false;
        const std::uint64_t delta_ns = raw[slot(s.delta_micros)] * 1000ull;  // < 2^42
        if (delta_ns > export_ns) return false;
        ns = export_ns - delta_ns;
        return true;
    }
    if ((mask & bit(s.uptime)) != 0) {
        // Signed 32-bit differences: sysUptime wraps every 49.7 days, and exporters stamp flows
        // a little after the header's uptime, or (softflowd) before their own start.
        const auto value = static_cast<std::uint32_t>(raw[slot(s.uptime)]);
        if (c.version == 9) {
            const auto before_export = static_cast<std::int32_t>(c.uptime_ms - value);
            return ms_to_ns(c.export_ms - before_export, ns);
        }
        std::uint64_t init_ms;
        if ((mask & bit(FieldTarget::system_init_millis)) != 0) {
            init_ms = raw[slot(FieldTarget::system_init_millis)];
        } else if (d.has_system_init) {
            init_ms = d.system_init_ms;
        } else {
            return false;  // IPFIX headers carry no uptime: without the init time, no time
        }
        if (init_ms > static_cast<std::uint64_t>(kMaxMs)) return false;
        return ms_to_ns(static_cast<std::int64_t>(init_ms) + static_cast<std::int32_t>(value), ns);
    }
    return false;
}

bool all_zero(const std::uint8_t* f, std::size_t n) {
    for (std::size_t i = 0; i < n; ++i) {
        if (f[i] != 0) return false;
    }
    return true;
}

void set_address(FlowAddress& a, const std::uint8_t* f, std::uint8_t family) {
    const std::size_t n = family == 4 ? 4 : 16;
    // Probes that export one template for both families (8 and 27 side by side) fill the
    // family of the packet and send the other as zeros: a zero address never replaces one
    // already read, so the address that is set wins whatever the field order.
    if (a.family != 0 && all_zero(f, n)) return;
    a.family = family;
    std::memcpy(a.bytes.data(), f, n);
}

// The ASA sends an all-zero id when no ACL of that direction applied: no id then.
void set_acl_id(FlowRecord& r, AclId& id, const std::uint8_t* f, FlowField bit) {
    if (all_zero(f, 12)) return;
    id = {load_be32(f), load_be32(f + 4), load_be32(f + 8)};
    r.present |= bit;
}

// NSEL usernames are fixed-size fields padded with NULs; IPFIX userName (371) is a string.
void set_username(FlowRecord& r, const std::uint8_t* f, std::size_t len) {
    std::size_t n = 0;
    while (n < len && n < kMaxUsername && f[n] != 0)
        ++n;
    std::memcpy(r.username.data(), f, n);
    r.username_length = static_cast<std::uint8_t>(n);
    r.present = n != 0 ? r.present | kUsername : r.present & ~std::uint64_t{kUsername};
}

// Seconds since 1970 (observationTimeSeconds) to ns; 0 is unset.
bool seconds_to_ns(std::uint64_t seconds, std::uint64_t& ns) {
    if (seconds == 0 || seconds > kMaxSeconds) return false;
    ns = seconds * 1'000'000'000ull;
    return true;
}

// Reads a variable-length field's length (RFC 7011 7) and checks that it, and every field
// after it, fit before `end`. On success `p` points at the field's content.
bool read_variable_length(const std::uint8_t*& p, const std::uint8_t* end, std::size_t rest_min,
                          std::size_t& len) {
    if (p >= end) return false;
    len = *p++;
    if (len == 255) {
        if (end - p < 2) return false;
        len = load_be16(p);
        p += 2;
    }
    return static_cast<std::size_t>(end - p) >= len + rest_min;
}

}  // namespace

void resolve_flow_times(FlowRecord& r, const std::uint64_t* raw, std::uint32_t mask,
                        const ExportContext& context, const DomainState& domain) {
    if (resolve_one(kStart, raw, mask, context, domain, r.time_flow_start_ns)) {
        r.present |= kTimeStart;
    }
    if (resolve_one(kEnd, raw, mask, context, domain, r.time_flow_end_ns)) {
        r.present |= kTimeEnd;
    }
}

SetOutcome decode_flow_records(const CompiledTemplate& t, std::span<const std::uint8_t> body,
                               const FlowAddress& exporter, const ExportContext& context,
                               const DomainState& domain, std::vector<FlowRecord>& out) {
    SetOutcome outcome;
    const std::uint8_t* p = body.data();
    const std::uint8_t* const end = p + body.size();
    const std::uint64_t domain_rate = domain.sampling.domain_rate();

    while (static_cast<std::size_t>(end - p) >= t.min_length) {
        FlowRecord& r = out.emplace_back();
        r.version = context.version;
        r.present = t.present;
        r.sampler_address = exporter;
        r.observation_domain = context.domain;
        r.sequence_num = context.sequence;
        r.time_received_ns = context.received_ns;
        r.sampling_rate = domain_rate;
        std::array<std::uint64_t, kTimeTargets> times{};
        std::uint8_t ip_version = 0;
        std::uint64_t record_rate = 0;
        bool whole = true;

        for (const FieldOp& op : t.ops) {
            std::size_t len = op.length;
            if (len == kVariableLength && !read_variable_length(p, end, op.rest_min, len)) {
                whole = false;
                break;
            }
            const std::uint8_t* f = p;
            p += len;
            switch (op.target) {
                case FieldTarget::skip:
                    break;
                case FieldTarget::extra:
                    r.extra.push_back({op.enterprise, op.element,
                                       std::string(reinterpret_cast<const char*>(f), len)});
                    break;
                case FieldTarget::bytes:
                    r.bytes = load_be_uint(f, len);
                    break;
                case FieldTarget::packets:
                    r.packets = load_be_uint(f, len);
                    break;
                case FieldTarget::proto:
                    r.proto = f[0];
                    break;
                case FieldTarget::ip_tos:
                    r.ip_tos = f[0];
                    break;
                case FieldTarget::tcp_flags:
                    r.tcp_flags = static_cast<std::uint16_t>(load_be_uint(f, len));
                    break;
                case FieldTarget::src_port:
                    r.src_port = static_cast<std::uint16_t>(load_be_uint(f, len));
                    break;
                case FieldTarget::dst_port:
                    r.dst_port = static_cast<std::uint16_t>(load_be_uint(f, len));
                    break;
                case FieldTarget::src_addr4:
                    set_address(r.src_addr, f, 4);
                    break;
                case FieldTarget::dst_addr4:
                    set_address(r.dst_addr, f, 4);
                    break;
                case FieldTarget::next_hop4:
                    set_address(r.next_hop, f, 4);
                    break;
                case FieldTarget::bgp_next_hop4:
                    set_address(r.bgp_next_hop, f, 4);
                    break;
                case FieldTarget::src_addr6:
                    set_address(r.src_addr, f, 6);
                    break;
                case FieldTarget::dst_addr6:
                    set_address(r.dst_addr, f, 6);
                    break;
                case FieldTarget::next_hop6:
                    set_address(r.next_hop, f, 6);
                    break;
                case FieldTarget::bgp_next_hop6:
                    set_address(r.bgp_next_hop, f, 6);
                    break;
                case FieldTarget::src_net:
                    r.src_net = f[0];
                    break;
                case FieldTarget::dst_net:
                    r.dst_net = f[0];
                    break;
                case FieldTarget::in_if:
                    r.in_if = static_cast<std::uint32_t>(load_be_uint(f, len));
                    break;
                case FieldTarget::out_if:
                    r.out_if = static_cast<std::uint32_t>(load_be_uint(f, len));
                    break;
                case FieldTarget::src_as:
                    r.src_as = static_cast<std::uint32_t>(load_be_uint(f, len));
                    break;
                case FieldTarget::dst_as:
                    r.dst_as = static_cast<std::uint32_t>(load_be_uint(f, len));
                    break;
                case FieldTarget::vlan_id:
                    r.vlan_id = static_cast<std::uint16_t>(load_be_uint(f, len));
                    break;
                case FieldTarget::direction:
                    r.direction = f[0];
                    break;
                case FieldTarget::icmp_type_code: {
                    const auto v = static_cast<std::uint16_t>(load_be_uint(f, len));
                    r.icmp_type = static_cast<std::uint8_t>(v >> 8);
                    r.icmp_code = static_cast<std::uint8_t>(v);
                    break;
                }
                case FieldTarget::icmp_type:
                    r.icmp_type = f[0];
                    break;
                case FieldTarget::icmp_code:
                    r.icmp_code = f[0];
                    break;
                case FieldTarget::flow_end_reason:
                    r.flow_end_reason = f[0];
                    break;
                case FieldTarget::sampler_id:
                    r.sampler_id = load_be_uint(f, len);
                    break;
                case FieldTarget::etype:
                    r.etype = static_cast<std::uint16_t>(load_be_uint(f, len));
                    break;
                case FieldTarget::ip_version:
                    ip_version = f[0];
                    break;
                case FieldTarget::sampling_rate:
                    record_rate = load_be_uint(f, len);
                    break;
                case FieldTarget::reverse_bytes:
                    r.reverse_bytes = load_be_uint(f, len);
                    break;
                case FieldTarget::reverse_packets:
                    r.reverse_packets = load_be_uint(f, len);
                    break;
                case FieldTarget::reverse_tcp_flags:
                    r.reverse_tcp_flags = static_cast<std::uint16_t>(load_be_uint(f, len));
                    break;
                case FieldTarget::reverse_ip_tos:
                    r.reverse_ip_tos = f[0];
                    break;
                case FieldTarget::tcp_flags_or:
                    r.tcp_flags |= static_cast<std::uint16_t>(load_be_uint(f, len));
                    break;
                case FieldTarget::reverse_tcp_flags_or:
                    r.reverse_tcp_flags |= static_cast<std::uint16_t>(load_be_uint(f, len));
                    break;
                case FieldTarget::biflow_direction:
                    r.biflow_direction = f[0];
                    break;
                case FieldTarget::nat_src_addr4:
                    set_address(r.nat_src_addr, f, 4);
                    break;
                case FieldTarget::nat_dst_addr4:
                    set_address(r.nat_dst_addr, f, 4);
                    break;
                case FieldTarget::nat_src_addr6:
                    set_address(r.nat_src_addr, f, 6);
                    break;
                case FieldTarget::nat_dst_addr6:
                    set_address(r.nat_dst_addr, f, 6);
                    break;
                case FieldTarget::nat_src_port:
                    r.nat_src_port = static_cast<std::uint16_t>(load_be_uint(f, len));
                    break;
                case FieldTarget::nat_dst_port:
                    r.nat_dst_port = static_cast<std::uint16_t>(load_be_uint(f, len));
                    break;
                case FieldTarget::flow_id:
                    r.flow_id = load_be_uint(f, len);
                    break;
                case FieldTarget::fw_event:
                    r.fw_event = f[0];
                    break;
                case FieldTarget::fw_ext_event:
                    r.fw_ext_event = static_cast<std::uint16_t>(load_be_uint(f, len));
                    break;
                case FieldTarget::ingress_acl_id:
                    set_acl_id(r, r.ingress_acl_id, f, kIngressAclId);
                    break;
                case FieldTarget::egress_acl_id:
                    set_acl_id(r, r.egress_acl_id, f, kEgressAclId);
                    break;
                case FieldTarget::username:
                    set_username(r, f, len);
                    break;
                case FieldTarget::application_id:
                    // A variable-length id of a size that fits no slot is kept as sent.
                    if (len < 2 || len > 8) {
                        r.extra.push_back({op.enterprise, op.element,
                                           std::string(reinterpret_cast<const char*>(f), len)});
                        break;
                    }
                    r.application_engine = f[0];
                    r.application_selector = load_be_uint(f + 1, len - 1);
                    r.present |= kApplicationId;
                    r.application_name = domain.applications.find(
                        application_key(r.application_engine, r.application_selector));
                    break;
                case FieldTarget::observation_seconds:
                    if (seconds_to_ns(load_be_uint(f, len), r.observation_time_ns)) {
                        r.present |= kObservationTime;
                    }
                    break;
                case FieldTarget::observation_millis: {
                    const std::uint64_t ms = load_be_uint(f, len);
                    if (ms != 0 && ms <= static_cast<std::uint64_t>(kMaxMs)) {
                        r.observation_time_ns = ms * 1'000'000ull;
                        r.present |= kObservationTime;
                    }
                    break;
                }
                case FieldTarget::observation_micros:
                    if (ntp_to_ns(load_be64(f), r.observation_time_ns)) {
                        r.observation_time_ns -= r.observation_time_ns % 1000;
                        r.present |= kObservationTime;
                    }
                    break;
                case FieldTarget::observation_nanos:
                    if (ntp_to_ns(load_be64(f), r.observation_time_ns)) {
                        r.present |= kObservationTime;
                    }
                    break;
                case FieldTarget::start_uptime:
                case FieldTarget::end_uptime:
                case FieldTarget::start_seconds:
                case FieldTarget::end_seconds:
                case FieldTarget::start_millis:
                case FieldTarget::end_millis:
                case FieldTarget::start_micros:
                case FieldTarget::end_micros:
                case FieldTarget::start_nanos:
                case FieldTarget::end_nanos:
                case FieldTarget::start_delta_micros:
                case FieldTarget::end_delta_micros:
                case FieldTarget::system_init_millis:
                    times[static_cast<std::size_t>(slot(op.target))] = load_be_uint(f, len);
                    break;
                default:
                    break;  // options targets never appear in data templates
            }
        }
        if (!whole) {
            out.pop_back();
            outcome.overrun = true;
            break;
        }

        if (t.time_mask != 0) resolve_flow_times(r, times.data(), t.time_mask, context, domain);
        if (t.has_sampler_id) r.sampling_rate = domain.sampling.rate_for(r.sampler_id);
        if (record_rate != 0) r.sampling_rate = record_rate;
        if ((r.present & kEtype) == 0) {
            // Without ethernetType (256), the IP version says it: ipVersion (60) if sent, else
            // the family of the addresses.
            std::uint16_t etype = 0;
            if (ip_version == 4 ||
                (ip_version == 0 && (r.src_addr.family == 4 || r.dst_addr.family == 4))) {
                etype = 0x0800;
            }
            if (ip_version == 6 ||
                (ip_version == 0 && (r.src_addr.family == 6 || r.dst_addr.family == 6))) {
                etype = 0x86dd;
            }
            if (etype != 0) {
                r.etype = etype;
                r.present |= kEtype;
            }
        }
        ++outcome.records;
    }
    return outcome;
}

SetOutcome decode_options_records(const CompiledTemplate& t, std::span<const std::uint8_t> body,
                                  DomainState& domain) {
    SetOutcome outcome;
    const std::uint8_t* p = body.data();
    const std::uint8_t* const end = p + body.size();

    while (static_cast<std::size_t>(end - p) >= t.min_length) {
        std::uint64_t interval = 0;
        std::uint64_t random_interval = 0;
        std::uint64_t packet_interval = 0;
        std::uint64_t packet_space = 0;
        std::uint64_t sampler_id = 0;
        bool has_sampler_id = false;
        bool has_init = false;
        std::uint64_t init_ms = 0;
        bool has_application = false;
        std::uint64_t application = 0;
        std::string_view application_name;
        bool whole = true;

        for (const FieldOp& op : t.ops) {
            std::size_t len = op.length;
            if (len == kVariableLength && !read_variable_length(p, end, op.rest_min, len)) {
                whole = false;
                break;
            }
            const std::uint8_t* f = p;
            p += len;
            switch (op.target) {
                case FieldTarget::opt_sampling_interval:
                    interval = load_be_uint(f, len);
                    break;
                case FieldTarget::opt_random_interval:
                    random_interval = load_be_uint(f, len);
                    break;
                case FieldTarget::opt_packet_interval:
                    packet_interval = load_be_uint(f, len);
                    break;
                case FieldTarget::opt_packet_space:
                    packet_space = load_be_uint(f, len);
                    break;
                case FieldTarget::opt_sampler_id:
                    sampler_id = load_be_uint(f, len);
                    has_sampler_id = true;
                    break;
                case FieldTarget::opt_system_init_millis:
                    init_ms = load_be_uint(f, len);
                    has_init = true;
                    break;
                case FieldTarget::opt_application_id:
                    has_application = len >= 2 && len <= 8;  // as for flows: else no id
                    if (has_application) {
                        application = application_key(f[0], load_be_uint(f + 1, len - 1));
                    }
                    break;
                case FieldTarget::opt_application_name:
                    application_name = std::string_view(reinterpret_cast<const char*>(f), len);
                    break;
                default:
                    break;
            }
        }
        if (!whole) {
            outcome.overrun = true;
            break;
        }

        std::uint64_t rate = random_interval != 0 ? random_interval : interval;
        if (rate == 0 && packet_interval != 0) {
            // Systematic count-based sampling (RFC 5477): `interval` packets taken, then `space`
            // skipped, so 1 in (interval + space) / interval; written so it cannot overflow.
            rate = 1 + packet_space / packet_interval;
        }
        if (rate != 0) domain.sampling.learn(has_sampler_id, sampler_id, rate);
        if (has_init) {
            domain.has_system_init = true;
            domain.system_init_ms = init_ms;
        }
        if (has_application) domain.applications.learn(application, application_name);
        ++outcome.records;
    }
    return outcome;
}

}  // namespace netfeed::netflow
