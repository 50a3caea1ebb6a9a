// sFlow samples as records: flows carry NetFlow's names plus the sFlow ones, with flow_source
// instead of a NetFlow version, scaled counts and keys as NetFlow's; counter samples become
// interfaces rows with the SNMP poller's column names and key.
#include "collectors/sflow/sflow_record.hpp"

#include <gtest/gtest.h>

#include "tests/unit/collectors/sflow/sflow_builder.hpp"

namespace netfeed::sflow {
namespace {

using namespace test;

const Value* field(const Record& r, std::string_view name) {
    for (const Field& f : r.fields)
        if (f.name == name) return &f.value;
    return nullptr;
}

std::uint64_t number(const Record& r, std::string_view name) {
    const Value* v = field(r, name);
    if (v == nullptr || !std::holds_alternative<std::uint64_t>(*v)) {
        ADD_FAILURE() << name << " missing or not a number";
        return 0;
    }
    return std::get<std::uint64_t>(*v);
}

std::string text(const Record& r, std::string_view name) {
    const Value* v = field(r, name);
    return v == nullptr ? "<absent>" : value_to_text(*v);
}

TEST(SflowRecord, FlowRecordsAreNetflowRecordsWithTheSflowFields) {
    Xdr gateway;
    gateway.ipv4({203, 0, 113, 9}).u32(65000).u32(64500).u32(64501);
    gateway.u32(1).u32(2).u32(2).u32(64501).u32(3356).u32(1).u32(0xFDE80001u).u32(150);
    Xdr sw;
    sw.u32(10).u32(0).u32(20).u32(3);
    const Bytes frame = ethernet(0x0800, ipv4_packet(6, tcp(51000, 443, 0x18)));
    SflowDatagram d;
    ASSERT_EQ(decode_sflow(datagram({flow_sample({raw_header_record(1, 1500, frame),
                                                  tagged(1001, sw.b), tagged(1003, gateway.b)},
                                                 512)}),
                           5, d),
              DecodeError::none);
    ASSERT_EQ(d.flows.size(), 1u);
    const Record r =
        make_sflow_flow_record(d.flows[0], "leaf1", netflow::FlowKey::five_tuple, Timestamp{});
    EXPECT_EQ(r.kind, RecordKind::flow);
    EXPECT_EQ(r.device, "leaf1");
    EXPECT_EQ(r.device_address.to_string(), "192.0.2.1");
    EXPECT_EQ(field(r, "flow_version"), nullptr);
    EXPECT_EQ(text(r, "flow_source"), "sflow5");
    EXPECT_EQ(text(r, "sampler_address"), "192.0.2.1");
    EXPECT_EQ(number(r, "bytes"), 1500u);
    EXPECT_EQ(number(r, "packets"), 1u);
    EXPECT_EQ(number(r, "sampling_rate"), 512u);
    EXPECT_EQ(number(r, "bytes_scaled"), 1500u * 512);
    EXPECT_EQ(number(r, "packets_scaled"), 512u);
    EXPECT_EQ(number(r, "in_if"), 3u);
    EXPECT_EQ(number(r, "out_if"), 5u);
    EXPECT_EQ(number(r, "ip_ttl"), 61u);
    EXPECT_EQ(text(r, "src_mac"), "66:77:88:99:aa:bb");
    EXPECT_EQ(text(r, "dst_mac"), "00:11:22:33:44:55");
    EXPECT_EQ(number(r, "src_vlan"), 10u);
    EXPECT_EQ(number(r, "dst_vlan"), 20u);
    EXPECT_EQ(number(r, "dst_priority"), 3u);
    EXPECT_EQ(text(r, "bgp_next_hop"), "203.0.113.9");
    EXPECT_EQ(number(r, "src_as"), 64500u);
    EXPECT_EQ(number(r, "dst_as"), 3356u);
    EXPECT_EQ(number(r, "next_hop_as"), 64501u);
    EXPECT_EQ(number(r, "src_peer_as"), 64501u);
    EXPECT_EQ(text(r, "as_path"), "[64501,3356]");
    EXPECT_EQ(text(r, "bgp_communities"), "[4259840001]");
    EXPECT_EQ(number(r, "local_pref"), 150u);
    EXPECT_EQ(r.key, "10.1.2.3|51000|10.4.5.6|443|6");
}

TEST(SflowRecord, CounterSamplesAreInterfacesRows) {
    Xdr c;
    c.u32(7).u32(6).u64(25000000000ull).u32(1).u32(1);  // admin up, oper down
    c.u64(0x100000005ull).u32(10).u32(11).u32(12).u32(13).u32(14).u32(0xFFFFFFFFu);
    c.u64(0xFFFFFFFFFFFFFFFFull).u32(20).u32(21).u32(22).u32(23).u32(24).u32(0);
    Xdr e;
    for (std::uint32_t v = 1; v <= 13; ++v)
        e.u32(v == 2 ? 0xFFFFFFFFu : v);
    Xdr sample;
    sample.u32(1).u32(7).u32(2).raw(tagged(1, c.b)).raw(tagged(2, e.b));
    SflowDatagram d;
    ASSERT_EQ(decode_sflow(datagram({tagged(2, sample.b)}), 5, d), DecodeError::none);
    ASSERT_EQ(d.counters.size(), 1u);
    const Record r = make_interface_record(d.counters[0], d, "leaf1", Timestamp{});
    EXPECT_EQ(r.kind, RecordKind::snmp);
    EXPECT_EQ(r.key, "leaf1|interfaces|if_index=7");
    EXPECT_EQ(text(r, "snmp_table"), "interfaces");
    EXPECT_EQ(number(r, "if_index"), 7u);
    EXPECT_EQ(number(r, "if_type"), 6u);
    EXPECT_EQ(number(r, "if_speed"), 4294967295u);  // saturated, as IF-MIB's ifSpeed
    EXPECT_EQ(number(r, "if_high_speed"), 25000u);
    EXPECT_EQ(number(r, "if_admin_status"), 1u);
    EXPECT_EQ(number(r, "if_oper_status"), 2u);
    EXPECT_EQ(number(r, "if_hc_in_octets"), 0x100000005ull);
    EXPECT_EQ(number(r, "if_in_octets"), 5u);
    EXPECT_EQ(number(r, "if_in_ucast_pkts"), 10u);
    EXPECT_EQ(number(r, "if_in_errors"), 14u);
    EXPECT_EQ(field(r, "if_in_unknown_protos"), nullptr);  // all ones: not kept
    EXPECT_EQ(field(r, "if_hc_out_octets"), nullptr);
    EXPECT_EQ(field(r, "if_out_octets"), nullptr);
    EXPECT_EQ(number(r, "if_out_errors"), 24u);
    EXPECT_EQ(number(r, "if_promiscuous_mode"), 2u);
    EXPECT_EQ(number(r, "dot3_stats_alignment_errors"), 1u);
    EXPECT_EQ(field(r, "dot3_stats_fcs_errors"), nullptr);
    EXPECT_EQ(number(r, "dot3_stats_symbol_errors"), 13u);
    EXPECT_EQ(text(r, "counter_source"), "sflow5");
}

}  // namespace
}  // namespace netfeed::sflow
