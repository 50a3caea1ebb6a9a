// The flow record's fields; see record_schema.hpp. Meanings follow docs/flows.md's element
// tables (RFC 7011/7012 elements, Cisco NSEL, RFC 5103 biflows).
#include "collectors/netflow/record_schema.hpp"

namespace netfeed::netflow {

namespace {

using T = FieldType;
constexpr std::string_view kExported = "when exported";

constexpr SchemaField kFlow[] = {
    {"flow_version", T::integer, "NetFlow version: 5, 9 or 10 (IPFIX)", "", "NetFlow and IPFIX"},
    {"time_received_ns", T::integer,
     "when the export packet was received (for held data: when the held packet was)",
     "ns since the Unix epoch"},
    {"time_flow_start_ns", T::integer, "when the flow started (docs/flows.md, Times)",
     "ns since the Unix epoch", "when it can be known"},
    {"time_flow_end_ns", T::integer, "when the flow ended (docs/flows.md, Times)",
     "ns since the Unix epoch", "when it can be known"},
    {"sampler_address", T::string, "the exporter: the export packet's source address"},
    {"observation_domain_id", T::integer,
     "v9 source id, IPFIX observation domain id; v5: engine_type << 8 | engine_id"},
    {"sequence_num", T::integer,
     "the export header's sequence number (v5 flow sequence, v9 packet, IPFIX record)"},
    {"src_addr", T::string, "source address, IPv4 or IPv6", "", kExported},
    {"dst_addr", T::string, "destination address, IPv4 or IPv6", "", kExported},
    {"src_port", T::integer, "source transport port", "", kExported},
    {"dst_port", T::integer, "destination transport port (some exporters put ICMP type/code here)",
     "", kExported},
    {"proto", T::integer, "IP protocol number", "", kExported},
    {"bytes", T::integer, "octets as exported (sampled count)", "bytes", kExported},
    {"packets", T::integer, "packets as exported (sampled count)", "packets", kExported},
    {"sampling_rate", T::integer, "N of the 1-in-N packet sampling the exporter reported", "",
     "when known"},
    {"bytes_scaled", T::integer, "bytes times sampling_rate: the estimate of what crossed the wire",
     "bytes", "with sampling_rate and bytes"},
    {"packets_scaled", T::integer, "packets times sampling_rate", "packets",
     "with sampling_rate and packets"},
    {"tcp_flags", T::integer, "TCP control bits seen in the flow (ORed)", "", kExported},
    {"ip_tos", T::integer, "IP type of service / traffic class", "", kExported},
    {"in_if", T::integer, "ifIndex of the input interface", "", kExported},
    {"out_if", T::integer, "ifIndex of the output interface", "", kExported},
    {"src_as", T::integer, "BGP source AS number", "", kExported},
    {"dst_as", T::integer, "BGP destination AS number", "", kExported},
    {"src_net", T::integer, "prefix length of the source address's route", "bits", kExported},
    {"dst_net", T::integer, "prefix length of the destination address's route", "bits", kExported},
    {"next_hop", T::string, "IP next hop", "", kExported},
    {"bgp_next_hop", T::string, "BGP next hop", "", kExported},
    {"etype", T::integer, "Ethernet type (0x0800 IPv4, 0x86dd IPv6)", "",
     "when exported or known from an address family"},
    {"vlan_id", T::integer, "VLAN id", "", kExported},
    {"direction", T::integer, "flow direction: 0 ingress, 1 egress", "", kExported},
    {"icmp_type", T::integer, "ICMP type", "", kExported},
    {"icmp_code", T::integer, "ICMP code", "", kExported},
    {"flow_end_reason", T::integer, "why the flow ended (IPFIX flowEndReason)", "", kExported},
    {"sampler_id", T::integer, "the sampler (v9 FLOW_SAMPLER_ID, IPFIX selectorId)", "", kExported},
    {"reverse_bytes", T::integer,
     "RFC 5103 biflow (or NSEL responder) octets, destination to source", "bytes", kExported},
    {"reverse_packets", T::integer, "biflow packets, destination to source", "packets", kExported},
    {"reverse_tcp_flags", T::integer, "biflow TCP flags, destination to source", "", kExported},
    {"reverse_ip_tos", T::integer, "biflow type of service, destination to source", "", kExported},
    {"biflow_direction", T::integer, "0 arbitrary, 1 initiator, 2 reverse initiator, 3 perimeter",
     "", kExported},
    {"nat_src_addr", T::string, "source address after NAT", "", kExported},
    {"nat_dst_addr", T::string, "destination address after NAT", "", kExported},
    {"nat_src_port", T::integer, "source port after NAPT", "", kExported},
    {"nat_dst_port", T::integer, "destination port after NAPT", "", kExported},
    {"flow_id", T::integer, "firewall connection id (NSEL NF_F_CONN_ID, IPFIX flowId)", "",
     kExported},
    {"fw_event", T::integer,
     "firewall event: 0 ignore, 1 created, 2 deleted, 3 denied, 4 alert, 5 update", "", kExported},
    {"fw_ext_event", T::integer, "the ASA's extended event code", "", kExported},
    {"observation_time_ns", T::integer, "when the firewall event happened",
     "ns since the Unix epoch", kExported},
    {"ingress_acl_id", T::string,
     "ACL that allowed or denied the flow on input: \"aaaaaaaa-bbbbbbbb-cccccccc\"", "",
     "when exported and not all zero"},
    {"egress_acl_id", T::string, "the same on output", "", "when exported and not all zero"},
    {"username", T::string, "the AAA user (NSEL)", "", "when exported and not empty"},
    {"application_id", T::string, "Cisco AVC / NBAR application, \"engine:selector\" (13:453)", "",
     kExported},
    {"application_name", T::string, "the name the exporter's options data gave application_id", "",
     "when the exporter sent its application table"},
    {"extra", T::string_map,
     "fields with no name here, by number: {\"<enterprise>:<element>\": \"<hex bytes>\"}", "",
     "when the template has such fields"},
};

}  // namespace

std::span<const SchemaField> flow_fields() noexcept {
    return kFlow;
}

KindDeclaration flow_declaration() noexcept {
    return {"collectors/netflow",
            "one record per flow of a NetFlow v5, v9 or IPFIX export; the names are goflow2's",
            kFlow};
}

}  // namespace netfeed::netflow
