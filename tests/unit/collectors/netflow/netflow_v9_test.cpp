// NetFlow v9: data before its template (held, then decoded), held-data expiry, template
// timeout and change, sampling from options data, sequence gaps (packets), every class of bad
// input, and the template and held-data limits.
#include <gtest/gtest.h>

#include <vector>

#include "collectors/netflow/decode_exporters.hpp"
#include "tests/unit/collectors/netflow/flow_test_support.hpp"

namespace netfeed::netflow {
namespace {

using namespace test;

const FlowAddress kExporter = ip4(203, 0, 113, 5);
constexpr std::uint64_t kT0 = 1'700'000'000 * kSecond;
constexpr std::uint32_t kSource = 42;

// Template 256 (or `id`): src/dst address, ports, protocol, packets, bytes: 21 bytes a record.
PacketBuilder& flow_template(PacketBuilder& p, std::uint16_t id = 256) {
    return p.begin_set(0)
        .template_record(id, {{8, 4}, {12, 4}, {7, 2}, {11, 2}, {4, 1}, {2, 4}, {1, 4}})
        .end_set();
}

PacketBuilder& flows(PacketBuilder& p, int n, std::uint16_t id = 256, int first = 1) {
    p.begin_set(id);
    for (int i = first; i < first + n; ++i) {
        const auto b = static_cast<std::uint8_t>(i);
        p.addr(ip4(10, 0, 0, b)).addr(ip4(10, 0, 1, b)).u16(1000 + i).u16(80).u8(6).u32(i);
        p.u32(100 * i);
    }
    return p.end_set();
}

std::vector<std::uint8_t> template_packet(std::uint32_t seq, std::uint32_t source = kSource) {
    PacketBuilder p;
    p.v9_header(seq, source, 10'000, 1'700'000'000);
    return flow_template(p).bytes();
}

std::vector<std::uint8_t> data_packet(std::uint32_t seq, int n, std::uint32_t source = kSource,
                                      std::uint16_t id = 256) {
    PacketBuilder p;
    p.v9_header(seq, source, 10'000, 1'700'000'000);
    return flows(p, n, id).bytes();
}

TEST(NetflowV9, DataBeforeItsTemplateIsHeldThenDecodedWhenTheTemplateComes) {
    FlowDecoder d;
    std::vector<FlowRecord> out;
    DecodeResult r = d.decode(data_packet(1, 2), kExporter, kT0, out);
    EXPECT_TRUE(r.ok);
    EXPECT_EQ(r.flows, 0u);
    EXPECT_TRUE(out.empty());
    EXPECT_EQ(d.counters().held_sets, 1u);
    EXPECT_GT(d.held_bytes(), 0u);

    r = d.decode(template_packet(2), kExporter, kT0 + kSecond, out);
    EXPECT_TRUE(r.ok);
    EXPECT_EQ(r.flows, 2u);
    ASSERT_EQ(out.size(), 2u);
    // Decoded as if at once: the held packet's sequence number and receive time.
    EXPECT_EQ(out[0].sequence_num, 1u);
    EXPECT_EQ(out[0].time_received_ns, kT0);
    EXPECT_EQ(out[0].src_addr, ip4(10, 0, 0, 1));
    EXPECT_EQ(out[1].bytes, 200u);
    EXPECT_EQ(d.counters().held_flows_decoded, 2u);
    EXPECT_EQ(d.counters().flows, 2u);
    EXPECT_EQ(d.held_bytes(), 0u);

    // Now the template is known: data decodes at once.
    r = d.decode(data_packet(3, 1), kExporter, kT0 + 2 * kSecond, out);
    EXPECT_EQ(r.flows, 1u);
    EXPECT_EQ(d.counters().held_sets, 1u);
}

TEST(NetflowV9, TemplateLaterInTheSamePacketReleasesTheDataBeforeIt) {
    FlowDecoder d;
    std::vector<FlowRecord> out;
    PacketBuilder p;
    p.v9_header(1, kSource, 10'000, 1'700'000'000);
    flows(p, 3);
    flow_template(p);
    const DecodeResult r = d.decode(p.bytes(), kExporter, kT0, out);
    EXPECT_EQ(r.flows, 3u);
    EXPECT_EQ(out.size(), 3u);
    EXPECT_EQ(d.counters().held_sets, 1u);
    EXPECT_EQ(d.counters().held_flows_decoded, 3u);
    EXPECT_EQ(d.held_bytes(), 0u);
}

TEST(NetflowV9, HeldDataExpiresIfItsTemplateNeverComes) {
    DecoderLimits limits;
    limits.held_timeout_ns = 10 * kSecond;
    FlowDecoder d(limits);
    std::vector<FlowRecord> out;
    d.decode(data_packet(1, 2), kExporter, kT0, out);
    d.expire(kT0 + 10 * kSecond);  // not older than the timeout yet
    EXPECT_GT(d.held_bytes(), 0u);
    EXPECT_EQ(d.counters().error(DecodeError::held_expired), 0u);

    d.expire(kT0 + 10 * kSecond + 1);
    EXPECT_EQ(d.held_bytes(), 0u);
    EXPECT_EQ(d.counters().error(DecodeError::held_expired), 1u);

    d.decode(template_packet(2), kExporter, kT0 + 11 * kSecond, out);
    EXPECT_TRUE(out.empty());
    EXPECT_EQ(d.counters().held_flows_decoded, 0u);
}

TEST(NetflowV9, TemplatesNotRefreshedAreForgotten) {
    DecoderLimits limits;
    limits.template_timeout_ns = 100 * kSecond;
    FlowDecoder d(limits);
    std::vector<FlowRecord> out;
    d.decode(template_packet(1), kExporter, kT0, out);
    EXPECT_EQ(d.template_count(), 1u);

    d.decode(template_packet(2), kExporter, kT0 + 60 * kSecond, out);  // resent: refreshed
    EXPECT_EQ(d.counters().templates, 2u);
    d.expire(kT0 + 120 * kSecond);  // 120 s after the first, 60 s after the refresh
    EXPECT_EQ(d.template_count(), 1u);
    EXPECT_EQ(d.decode(data_packet(3, 1), kExporter, kT0 + 120 * kSecond, out).flows, 1u);

    d.expire(kT0 + 161 * kSecond);
    EXPECT_EQ(d.template_count(), 0u);
    EXPECT_EQ(d.decode(data_packet(4, 1), kExporter, kT0 + 162 * kSecond, out).flows, 0u);
    EXPECT_EQ(d.counters().held_sets, 1u);  // it waits for the template again
}

TEST(NetflowV9, ATemplateResentWithAnotherLayoutReplacesTheOld) {
    FlowDecoder d;
    std::vector<FlowRecord> out;
    d.decode(template_packet(1), kExporter, kT0, out);
    PacketBuilder p;
    p.v9_header(2, kSource, 10'000, 1'700'000'000);
    p.begin_set(0).template_record(256, {{7, 2}, {11, 2}}).end_set();
    p.begin_set(256).u16(5353).u16(53).end_set();
    d.decode(p.bytes(), kExporter, kT0, out);
    ASSERT_EQ(out.size(), 1u);
    EXPECT_EQ(out[0].src_port, 5353);
    EXPECT_EQ(out[0].dst_port, 53);
    EXPECT_EQ(out[0].present, kSrcPort | kDstPort);
    EXPECT_EQ(d.template_count(), 1u);
}

TEST(NetflowV9, TemplatesAreKeptPerSourceId) {
    FlowDecoder d;
    std::vector<FlowRecord> out;
    d.decode(template_packet(1, 1), kExporter, kT0, out);
    EXPECT_EQ(d.decode(data_packet(1, 1, 2), kExporter, kT0, out).flows, 0u);  // source 2
    EXPECT_EQ(d.decode(data_packet(2, 1, 1), kExporter, kT0, out).flows, 1u);
    EXPECT_EQ(d.decode(data_packet(1, 1, 1), ip4(203, 0, 113, 6), kT0, out).flows, 0u);
}

// Options template 300: scope System, then FLOW_SAMPLER_ID (48) and the given interval field.
std::vector<std::uint8_t> sampler_options(std::uint32_t seq, std::uint16_t interval_field,
                                          std::initializer_list<std::pair<int, int>> samplers,
                                          std::uint32_t source = kSource) {
    PacketBuilder p;
    p.v9_header(seq, source, 10'000, 1'700'000'000);
    p.begin_set(1).v9_options_template(300, {{1, 4}}, {{48, 2}, {interval_field, 4}}).end_set(2);
    p.begin_set(300);
    for (const auto& [id, rate] : samplers)
        p.u32(0).u16(id).u32(rate);
    return p.end_set().bytes();
}

// Data template 257 carrying FLOW_SAMPLER_ID.
std::vector<std::uint8_t> sampled_flows(std::uint32_t seq, std::initializer_list<int> samplers) {
    PacketBuilder p;
    p.v9_header(seq, kSource, 10'000, 1'700'000'000);
    p.begin_set(0).template_record(257, {{8, 4}, {48, 1}, {1, 4}}).end_set();
    p.begin_set(257);
    for (int id : samplers)
        p.addr(ip4(10, 0, 0, 1)).u8(id).u32(100);
    return p.end_set().bytes();
}

TEST(NetflowV9, SamplingFromOptionsDataMatchesTheFlowsSamplerId) {
    FlowDecoder d;
    std::vector<FlowRecord> out;
    d.decode(sampler_options(1, 50, {{1, 100}, {2, 1000}}), kExporter, kT0, out);
    EXPECT_TRUE(out.empty());  // options records are not flows
    EXPECT_EQ(d.counters().options_records, 2u);
    d.decode(sampled_flows(2, {1, 2, 3}), kExporter, kT0, out);
    ASSERT_EQ(out.size(), 3u);
    EXPECT_EQ(out[0].sampling_rate, 100u);
    EXPECT_EQ(out[1].sampling_rate, 1000u);
    // Sampler 3 is unknown: the domain's rate, here the one learnt last.
    EXPECT_EQ(out[2].sampling_rate, 1000u);
    EXPECT_EQ(out[2].sampler_id, 3u);

    // Flows without a sampler id get the domain's rate; another source id has none.
    out.clear();
    d.decode(template_packet(3), kExporter, kT0, out);
    d.decode(data_packet(4, 1), kExporter, kT0, out);
    d.decode(template_packet(1, 7), kExporter, kT0, out);
    d.decode(data_packet(2, 1, 7), kExporter, kT0, out);
    ASSERT_EQ(out.size(), 2u);
    EXPECT_EQ(out[0].sampling_rate, 1000u);
    EXPECT_EQ(out[1].sampling_rate, 0u);
}

TEST(NetflowV9, SamplingIntervalWithoutSamplerIdIsTheDomainRate) {
    FlowDecoder d;
    std::vector<FlowRecord> out;
    PacketBuilder p;
    p.v9_header(1, kSource, 10'000, 1'700'000'000);
    // SAMPLING_INTERVAL (34) and SAMPLING_ALGORITHM (35) scoped to the system, as IOS sends.
    p.begin_set(1).v9_options_template(301, {{1, 4}}, {{34, 4}, {35, 1}}).end_set(3);
    p.begin_set(301).u32(0).u32(512).u8(2).end_set(3);
    flow_template(p);
    flows(p, 1);
    d.decode(p.bytes(), kExporter, kT0, out);
    ASSERT_EQ(out.size(), 1u);
    EXPECT_EQ(out[0].sampling_rate, 512u);
    // A later sampler-specific record does not override the explicit domain rate.
    d.decode(sampler_options(2, 50, {{4, 64}}), kExporter, kT0, out);
    d.decode(data_packet(3, 1), kExporter, kT0, out);
    EXPECT_EQ(out.back().sampling_rate, 512u);
}

TEST(NetflowV9, OptionsDataBeforeItsTemplateIsHeldAndLearntLater) {
    FlowDecoder d;
    std::vector<FlowRecord> out;
    PacketBuilder p;
    p.v9_header(1, kSource, 10'000, 1'700'000'000);
    p.begin_set(300).u32(0).u16(1).u32(250).end_set();
    d.decode(p.bytes(), kExporter, kT0, out);
    EXPECT_EQ(d.counters().held_sets, 1u);
    d.decode(sampler_options(2, 50, {}), kExporter, kT0, out);
    EXPECT_EQ(d.counters().options_records, 1u);
    d.decode(sampled_flows(3, {1}), kExporter, kT0, out);
    ASSERT_EQ(out.size(), 1u);
    EXPECT_EQ(out[0].sampling_rate, 250u);
}

TEST(NetflowV9, SequenceCountsPackets) {
    FlowDecoder d;
    std::vector<FlowRecord> out;
    d.decode(template_packet(100), kExporter, kT0, out);
    d.decode(data_packet(101, 5), kExporter, kT0, out);  // 5 flows, still one packet
    EXPECT_EQ(d.counters().sequence_lost, 0u);
    d.decode(data_packet(104, 1), kExporter, kT0, out);
    EXPECT_EQ(d.counters().sequence_lost, 2u);
    d.decode(data_packet(103, 1), kExporter, kT0, out);  // late: not loss
    d.decode(data_packet(105, 1), kExporter, kT0, out);
    EXPECT_EQ(d.counters().sequence_lost, 2u);
}

TEST(NetflowV9, SequenceWrapIsNotLoss) {
    FlowDecoder d;
    std::vector<FlowRecord> out;
    d.decode(template_packet(0xffffffffu), kExporter, kT0, out);
    d.decode(data_packet(0, 1), kExporter, kT0, out);
    d.decode(data_packet(1, 1), kExporter, kT0, out);
    EXPECT_EQ(d.counters().sequence_lost, 0u);
    d.decode(data_packet(0xfffffff0u, 1), ip4(1, 2, 3, 4), kT0, out);
    d.decode(data_packet(0x00000002u, 1), ip4(1, 2, 3, 4), kT0, out);
    EXPECT_EQ(d.counters().sequence_lost, 17u);  // 0xfffffff1 .. 0x00000001
}

TEST(NetflowV9, TheHeaderCountIsNotTrusted) {
    FlowDecoder d;
    std::vector<FlowRecord> out;
    PacketBuilder p;
    p.v9_header(1, kSource, 10'000, 1'700'000'000, /*count=*/1);  // softflowd: data only
    flow_template(p);
    flows(p, 4);
    EXPECT_EQ(d.decode(p.bytes(), kExporter, kT0, out).flows, 4u);
}

// ---- Bad input: each class is counted, and only what is bad is dropped. ----

TEST(NetflowV9, ShortHeaderIsTruncated) {
    FlowDecoder d;
    std::vector<FlowRecord> out;
    std::vector<std::uint8_t> packet = template_packet(1);
    packet.resize(19);
    const DecodeResult r = d.decode(packet, kExporter, kT0, out);
    EXPECT_FALSE(r.ok);
    EXPECT_EQ(r.error, DecodeError::truncated);
}

TEST(NetflowV9, ASetLengthBelowFourStopsTheWalkButKeepsWhatCameBefore) {
    FlowDecoder d;
    std::vector<FlowRecord> out;
    PacketBuilder p;
    p.v9_header(1, kSource, 10'000, 1'700'000'000);
    flow_template(p);
    flows(p, 2);
    p.u16(256).u16(3);  // a set of length 3 could never end
    flows(p, 1);
    const DecodeResult r = d.decode(p.bytes(), kExporter, kT0, out);
    EXPECT_TRUE(r.ok);
    EXPECT_EQ(r.flows, 2u);
    EXPECT_EQ(d.counters().error(DecodeError::bad_length), 1u);
}

TEST(NetflowV9, ASetLongerThanThePacketIsABadLength) {
    FlowDecoder d;
    std::vector<FlowRecord> out;
    PacketBuilder p;
    p.v9_header(1, kSource, 10'000, 1'700'000'000);
    flow_template(p);
    flows(p, 1);
    p.begin_set(256).zeros(10).end_set();
    std::vector<std::uint8_t> packet = p.bytes();
    packet[packet.size() - 12] = 0xff;  // the last set's length high byte: far past the end
    EXPECT_EQ(d.decode(packet, kExporter, kT0, out).flows, 1u);
    EXPECT_EQ(d.counters().error(DecodeError::bad_length), 1u);
    EXPECT_EQ(d.counters().held_sets, 0u);
}

TEST(NetflowV9, BadTemplatesAreRefusedAndTheRecordsAfterThemStillRead) {
    FlowDecoder d;
    std::vector<FlowRecord> out;
    PacketBuilder p;
    p.v9_header(1, kSource, 10'000, 1'700'000'000);
    p.begin_set(0);
    p.template_record(260, {});                        // no fields
    p.template_record(100, {{8, 4}});                  // a template id below 256
    p.template_record(261, {{8, 0}, {12, 0}});         // only zero-length fields
    p.template_record(262, {{1, 40000}, {2, 40000}});  // a record longer than any set
    p.u16(263).u16(513);                               // more fields than any template has
    for (int i = 0; i < 513; ++i)
        p.u16(1).u16(4);
    p.template_record(256, {{8, 4}, {12, 4}, {7, 2}, {11, 2}, {4, 1}, {2, 4}, {1, 4}});
    p.end_set();
    flows(p, 1);
    EXPECT_EQ(d.decode(p.bytes(), kExporter, kT0, out).flows, 1u);
    EXPECT_EQ(d.counters().error(DecodeError::bad_template), 5u);
    EXPECT_EQ(d.template_count(), 1u);
}

TEST(NetflowV9, ATemplateRecordRunningPastItsSetIsTruncated) {
    FlowDecoder d;
    std::vector<FlowRecord> out;
    PacketBuilder p;
    p.v9_header(1, kSource, 10'000, 1'700'000'000);
    p.begin_set(0).u16(256).u16(10).u16(8).u16(4).end_set();  // says 10 fields, has 1
    flows(p, 1);
    d.decode(p.bytes(), kExporter, kT0, out);
    EXPECT_EQ(d.counters().error(DecodeError::truncated), 1u);
    EXPECT_EQ(d.template_count(), 0u);
    EXPECT_EQ(d.counters().held_sets, 1u);  // the data set after it was still read
}

TEST(NetflowV9, OptionsTemplateLengthsMustBeWholeFieldSpecifiers) {
    FlowDecoder d;
    std::vector<FlowRecord> out;
    PacketBuilder p;
    p.v9_header(1, kSource, 10'000, 1'700'000'000);
    p.begin_set(1).u16(300).u16(6).u16(4).u16(1).u16(4).u16(0).u16(34).u16(4).end_set();
    p.begin_set(1).u16(301).u16(0).u16(0).end_set(2);  // no fields at all
    d.decode(p.bytes(), kExporter, kT0, out);
    EXPECT_EQ(d.counters().error(DecodeError::bad_template), 2u);
    EXPECT_EQ(d.template_count(), 0u);
}

TEST(NetflowV9, ReservedSetIdsAreCountedAndSkipped) {
    FlowDecoder d;
    std::vector<FlowRecord> out;
    PacketBuilder p;
    p.v9_header(1, kSource, 10'000, 1'700'000'000);
    p.begin_set(5).zeros(8).end_set();
    flow_template(p);
    flows(p, 1);
    EXPECT_EQ(d.decode(p.bytes(), kExporter, kT0, out).flows, 1u);
    EXPECT_EQ(d.counters().error(DecodeError::unknown_set), 1u);
}

TEST(NetflowV9, ATemplateFloodStopsAtTheLimitPerExporter) {
    DecoderLimits limits;
    limits.max_templates_per_exporter = 4;
    FlowDecoder d(limits);
    std::vector<FlowRecord> out;
    PacketBuilder p;
    p.v9_header(1, kSource, 10'000, 1'700'000'000);
    p.begin_set(0);
    for (int id = 256; id < 262; ++id)
        p.template_record(id, {{8, 4}});
    p.end_set();
    d.decode(p.bytes(), kExporter, kT0, out);
    EXPECT_EQ(d.template_count(), 4u);
    EXPECT_EQ(d.counters().error(DecodeError::template_limit), 2u);

    // At the limit a known template can still change, and another exporter has its own room;
    // another source id of the same exporter does not.
    PacketBuilder q;
    q.v9_header(2, kSource, 10'000, 1'700'000'000);
    q.begin_set(0).template_record(256, {{12, 4}}).end_set();
    q.begin_set(256).addr(ip4(9, 9, 9, 9)).end_set();
    EXPECT_EQ(d.decode(q.bytes(), kExporter, kT0, out).flows, 1u);
    EXPECT_EQ(out.back().dst_addr, ip4(9, 9, 9, 9));
    d.decode(template_packet(1, 99), kExporter, kT0, out);
    EXPECT_EQ(d.counters().error(DecodeError::template_limit), 3u);
    d.decode(template_packet(1), ip4(203, 0, 113, 77), kT0, out);
    EXPECT_EQ(d.template_count(), 5u);
}

TEST(NetflowV9, HeldDataStopsAtTheLimitPerExporter) {
    DecoderLimits limits;
    const std::size_t body = 10 * 21;  // 10 records of template 256
    limits.max_held_bytes_per_exporter = 2 * (body + sizeof(HeldSet));
    FlowDecoder d(limits);
    std::vector<FlowRecord> out;
    for (std::uint32_t seq = 1; seq <= 3; ++seq) {
        d.decode(data_packet(seq, 10), kExporter, kT0, out);
    }
    EXPECT_EQ(d.counters().held_sets, 2u);
    EXPECT_EQ(d.counters().error(DecodeError::held_limit), 1u);
    EXPECT_EQ(d.held_bytes(), limits.max_held_bytes_per_exporter);
    // Another exporter has its own room.
    d.decode(data_packet(1, 10), ip4(203, 0, 113, 9), kT0, out);
    EXPECT_EQ(d.counters().held_sets, 3u);

    d.decode(template_packet(4), kExporter, kT0, out);
    EXPECT_EQ(out.size(), 20u);
    EXPECT_EQ(d.held_bytes(), body + sizeof(HeldSet));
}

}  // namespace
}  // namespace netfeed::netflow
