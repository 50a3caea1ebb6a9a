// IPFIX: template withdrawal (one and all), sampling and system init time from options data,
// the time encodings, sequence numbers counting data records, and bad input.
#include <gtest/gtest.h>

#include <vector>

#include "tests/unit/collectors/netflow/flow_test_support.hpp"

namespace netfeed::netflow {
namespace {

using namespace test;

const FlowAddress kExporter = ip4(192, 0, 2, 200);
constexpr std::uint64_t kT0 = 1'700'000'000 * kSecond;
constexpr std::uint32_t kExport = 1'700'000'000;  // the header's export time, seconds
constexpr std::uint32_t kDomain = 9;

// Data template `id`: source address and octetDeltaCount; 12 bytes a record.
PacketBuilder& small_template(PacketBuilder& p, std::uint16_t id) {
    return p.begin_set(2).template_record(id, {{8, 4}, {1, 8}}).end_set();
}

PacketBuilder& small_flows(PacketBuilder& p, std::uint16_t id, int n) {
    p.begin_set(id);
    for (int i = 1; i <= n; ++i)
        p.addr(ip4(10, 0, 0, static_cast<std::uint8_t>(i))).u64(i);
    return p.end_set();
}

std::vector<std::uint8_t> message(std::uint32_t seq, auto&& body) {
    PacketBuilder p;
    p.ipfix_header(seq, kDomain, kExport);
    body(p);
    return p.end_message();
}

TEST(Ipfix, WithdrawingOneTemplateForgetsIt) {
    FlowDecoder d;
    std::vector<FlowRecord> out;
    d.decode(message(0,
                     [](PacketBuilder& p) {
                         small_template(p, 400);
                         small_template(p, 401);
                     }),
             kExporter, kT0, out);
    EXPECT_EQ(d.template_count(), 2u);
    d.decode(message(0, [](PacketBuilder& p) { p.begin_set(2).u16(400).u16(0).end_set(); }),
             kExporter, kT0, out);
    EXPECT_EQ(d.template_count(), 1u);
    EXPECT_EQ(d.counters().templates_withdrawn, 1u);
    d.decode(message(0,
                     [](PacketBuilder& p) {
                         small_flows(p, 400, 1);
                         small_flows(p, 401, 1);
                     }),
             kExporter, kT0, out);
    EXPECT_EQ(out.size(), 1u);  // 401 decodes; 400 waits for a template again
    EXPECT_EQ(d.counters().held_sets, 1u);
}

TEST(Ipfix, WithdrawingAllTemplatesOfAKindKeepsTheOtherKind) {
    FlowDecoder d;
    std::vector<FlowRecord> out;
    d.decode(
        message(0,
                [](PacketBuilder& p) {
                    small_template(p, 400);
                    small_template(p, 401);
                    p.begin_set(3).ipfix_options_template(500, {{149, 4}}, {{34, 4}}).end_set();
                }),
        kExporter, kT0, out);
    ASSERT_EQ(d.template_count(), 3u);
    // An options template is not withdrawn through a template set.
    d.decode(message(0, [](PacketBuilder& p) { p.begin_set(2).u16(500).u16(0).end_set(); }),
             kExporter, kT0, out);
    EXPECT_EQ(d.template_count(), 3u);
    // Template id 2 with no fields in a template set: all data templates of the domain.
    d.decode(message(0, [](PacketBuilder& p) { p.begin_set(2).u16(2).u16(0).end_set(); }),
             kExporter, kT0, out);
    EXPECT_EQ(d.template_count(), 1u);
    EXPECT_EQ(d.counters().templates_withdrawn, 2u);
    // Template id 3 in an options template set: all options templates.
    d.decode(message(0, [](PacketBuilder& p) { p.begin_set(3).u16(3).u16(0).end_set(); }),
             kExporter, kT0, out);
    EXPECT_EQ(d.template_count(), 0u);
    EXPECT_EQ(d.counters().templates_withdrawn, 3u);
}

TEST(Ipfix, WithdrawalTouchesOnlyItsDomain) {
    FlowDecoder d;
    std::vector<FlowRecord> out;
    PacketBuilder other;
    other.ipfix_header(0, kDomain + 1, kExport);
    small_template(other, 400);
    d.decode(other.end_message(), kExporter, kT0, out);
    d.decode(message(0, [](PacketBuilder& p) { small_template(p, 400); }), kExporter, kT0, out);
    d.decode(message(0, [](PacketBuilder& p) { p.begin_set(2).u16(2).u16(0).end_set(); }),
             kExporter, kT0, out);
    EXPECT_EQ(d.template_count(), 1u);
}

TEST(Ipfix, PacketIntervalAndSpaceGiveTheSamplingRate) {
    FlowDecoder d;
    std::vector<FlowRecord> out;
    d.decode(message(0,
                     [](PacketBuilder& p) {
                         // 1 packet taken, 99 skipped: 1 in 100 (RFC 5477).
                         p.begin_set(3)
                             .ipfix_options_template(500, {{149, 4}}, {{305, 4}, {306, 4}})
                             .end_set();
                         p.begin_set(500).u32(kDomain).u32(1).u32(99).end_set();
                         small_template(p, 400);
                         small_flows(p, 400, 2);
                     }),
             kExporter, kT0, out);
    ASSERT_EQ(out.size(), 2u);
    EXPECT_EQ(out[0].sampling_rate, 100u);
    EXPECT_EQ(out[1].sampling_rate, 100u);
    EXPECT_EQ(d.counters().options_records, 1u);
}

TEST(Ipfix, SelectorIdScopesTheSamplingRate) {
    FlowDecoder d;
    std::vector<FlowRecord> out;
    d.decode(
        message(0,
                [](PacketBuilder& p) {
                    p.begin_set(3).ipfix_options_template(501, {{302, 8}}, {{50, 4}}).end_set();
                    p.begin_set(501).u64(7).u32(64).u64(8).u32(4096).end_set();
                    p.begin_set(2).template_record(402, {{8, 4}, {302, 8}}).end_set();
                    p.begin_set(402).addr(ip4(1, 1, 1, 1)).u64(8);
                    p.addr(ip4(1, 1, 1, 2)).u64(7).end_set();
                }),
        kExporter, kT0, out);
    ASSERT_EQ(out.size(), 2u);
    EXPECT_EQ(out[0].sampler_id, 8u);
    EXPECT_TRUE(out[0].has(kSamplerId));
    EXPECT_EQ(out[0].sampling_rate, 4096u);
    EXPECT_EQ(out[1].sampling_rate, 64u);
}

TEST(Ipfix, SamplingIntervalInTheFlowRecordItselfWins) {
    FlowDecoder d;
    std::vector<FlowRecord> out;
    d.decode(message(0,
                     [](PacketBuilder& p) {
                         p.begin_set(2).template_record(403, {{8, 4}, {34, 4}}).end_set();
                         p.begin_set(403).addr(ip4(1, 1, 1, 1)).u32(2000).end_set();
                     }),
             kExporter, kT0, out);
    ASSERT_EQ(out.size(), 1u);
    EXPECT_EQ(out[0].sampling_rate, 2000u);
    EXPECT_TRUE(out[0].extra.empty());
}

// Data template 404: source address, flowStartSysUpTime, flowEndSysUpTime.
void uptime_flow(PacketBuilder& p, std::uint32_t start, std::uint32_t end) {
    p.begin_set(2).template_record(404, {{8, 4}, {22, 4}, {21, 4}}).end_set();
    p.begin_set(404).addr(ip4(10, 1, 1, 1)).u32(start).u32(end).end_set();
}

TEST(Ipfix, SysUpTimesAreRelativeToTheSystemInitTimeFromOptions) {
    FlowDecoder d;
    std::vector<FlowRecord> out;
    const std::uint64_t init_ms = 1'699'990'000'000;
    d.decode(
        message(0,
                [&](PacketBuilder& p) {
                    p.begin_set(3).ipfix_options_template(502, {{144, 4}}, {{160, 8}}).end_set();
                    p.begin_set(502).u32(1).u64(init_ms).end_set();
                    // softflowd stamps flows seen before its start with negative uptimes.
                    uptime_flow(p, 0xffffff00u, 5000);
                }),
        kExporter, kT0, out);
    ASSERT_EQ(out.size(), 1u);
    EXPECT_TRUE(out[0].has(kTimeStart));
    EXPECT_TRUE(out[0].has(kTimeEnd));
    EXPECT_EQ(out[0].time_flow_start_ns, (init_ms - 256) * kMs);
    EXPECT_EQ(out[0].time_flow_end_ns, (init_ms + 5000) * kMs);
    EXPECT_TRUE(out[0].extra.empty());
}

TEST(Ipfix, SysUpTimesWithoutAnInitTimeLeaveTheTimesAbsent) {
    FlowDecoder d;
    std::vector<FlowRecord> out;
    d.decode(message(0, [](PacketBuilder& p) { uptime_flow(p, 1000, 2000); }), kExporter, kT0, out);
    ASSERT_EQ(out.size(), 1u);
    EXPECT_FALSE(out[0].has(kTimeStart));
    EXPECT_FALSE(out[0].has(kTimeEnd));
    EXPECT_EQ(out[0].time_flow_start_ns, 0u);
}

TEST(Ipfix, SystemInitTimeInTheFlowRecordItself) {
    FlowDecoder d;
    std::vector<FlowRecord> out;
    d.decode(
        message(0,
                [](PacketBuilder& p) {
                    p.begin_set(2).template_record(405, {{160, 8}, {22, 4}, {21, 4}}).end_set();
                    p.begin_set(405).u64(1'000'000'000'000).u32(10).u32(20).end_set();
                }),
        kExporter, kT0, out);
    ASSERT_EQ(out.size(), 1u);
    EXPECT_EQ(out[0].time_flow_start_ns, (1'000'000'000'000ull + 10) * kMs);
    EXPECT_EQ(out[0].time_flow_end_ns, (1'000'000'000'000ull + 20) * kMs);
}

TEST(Ipfix, MicroNanoAndDeltaTimes) {
    constexpr std::uint64_t ntp_unix = 2'208'988'800ull;
    FlowDecoder d;
    std::vector<FlowRecord> out;
    d.decode(message(0,
                     [&](PacketBuilder& p) {
                         p.begin_set(2)
                             .template_record(406, {{154, 8}, {155, 8}})
                             .template_record(407, {{156, 8}, {157, 8}})
                             .template_record(408, {{158, 4}, {159, 4}})
                             .end_set();
                         // NTP format: seconds since 1900, then a binary fraction.
                         p.begin_set(406).u32(kExport - 10 + ntp_unix).u32(0x40000000);
                         p.u32(kExport + ntp_unix).u32(0x80000000).end_set();
                         p.begin_set(407).u32(kExport - 1 + ntp_unix).u32(0x00000100);
                         p.u32(kExport + ntp_unix).u32(0xffffffff).end_set();
                         p.begin_set(408).u32(1'500'000).u32(0).end_set();
                     }),
             kExporter, kT0, out);
    ASSERT_EQ(out.size(), 3u);
    const std::uint64_t export_ns = std::uint64_t{kExport} * kSecond;
    EXPECT_EQ(out[0].time_flow_start_ns, export_ns - 10 * kSecond + 250'000'000);
    EXPECT_EQ(out[0].time_flow_end_ns, export_ns + 500'000'000);
    EXPECT_EQ(out[1].time_flow_start_ns, export_ns - kSecond + 59);  // 256 / 2^32 s
    EXPECT_EQ(out[1].time_flow_end_ns, export_ns + 999'999'999);
    EXPECT_EQ(out[2].time_flow_start_ns, export_ns - 1'500'000'000);
    EXPECT_EQ(out[2].time_flow_end_ns, export_ns);
    for (const FlowRecord& f : out) {
        EXPECT_EQ(f.present, kTimeStart | kTimeEnd);
        EXPECT_TRUE(f.extra.empty());
    }
}

TEST(Ipfix, SequenceCountsDataRecordsIncludingOptionsRecords) {
    FlowDecoder d;
    std::vector<FlowRecord> out;
    d.decode(
        message(0,
                [](PacketBuilder& p) {
                    small_template(p, 400);
                    p.begin_set(3).ipfix_options_template(500, {{149, 4}}, {{34, 4}}).end_set();
                    small_flows(p, 400, 3);
                    p.begin_set(500).u32(kDomain).u32(10).end_set();
                }),
        kExporter, kT0, out);
    d.decode(message(4, [](PacketBuilder& p) { small_flows(p, 400, 2); }), kExporter, kT0, out);
    EXPECT_EQ(d.counters().sequence_lost, 0u);
    d.decode(message(11, [](PacketBuilder& p) { small_flows(p, 400, 1); }), kExporter, kT0, out);
    EXPECT_EQ(d.counters().sequence_lost, 5u);  // 6 was expected
    d.decode(message(7, [](PacketBuilder& p) { small_flows(p, 400, 1); }), kExporter, kT0, out);
    EXPECT_EQ(d.counters().sequence_lost, 5u);  // late, not lost
    d.decode(message(12, [](PacketBuilder& p) { small_flows(p, 400, 1); }), kExporter, kT0, out);
    // Wrap: 0xfffffffe + 2 records = 0.
    d.decode(message(0xfffffffeu, [](PacketBuilder& p) { small_flows(p, 400, 2); }), kExporter, kT0,
             out);
    d.decode(message(0, [](PacketBuilder& p) { small_flows(p, 400, 1); }), kExporter, kT0, out);
    EXPECT_EQ(d.counters().sequence_lost, 5u);
}

TEST(Ipfix, APacketWithHeldDataDoesNotJudgeTheNextSequence) {
    FlowDecoder d;
    std::vector<FlowRecord> out;
    d.decode(message(0, [](PacketBuilder& p) { small_flows(p, 400, 3); }), kExporter, kT0, out);
    // 3 records were held, uncounted; the next packet resynchronises rather than count loss.
    d.decode(message(3,
                     [](PacketBuilder& p) {
                         small_template(p, 400);
                         small_flows(p, 400, 1);
                     }),
             kExporter, kT0, out);
    EXPECT_EQ(out.size(), 4u);
    EXPECT_EQ(d.counters().sequence_lost, 0u);
    d.decode(message(6, [](PacketBuilder& p) { small_flows(p, 400, 1); }), kExporter, kT0, out);
    EXPECT_EQ(d.counters().sequence_lost, 2u);
}

// ---- Bad input ----

TEST(Ipfix, TheMessageLengthMustFitThePacket) {
    FlowDecoder d;
    std::vector<FlowRecord> out;
    std::vector<std::uint8_t> packet = message(0, [](PacketBuilder& p) {
        small_template(p, 400);
        small_flows(p, 400, 1);
    });
    std::vector<std::uint8_t> longer = packet;
    longer.insert(longer.end(), {0x01, 0x00, 0x00, 0x08, 0, 0, 0, 0});  // not part of it
    EXPECT_EQ(d.decode(longer, kExporter, kT0, out).flows, 1u);
    EXPECT_EQ(d.counters().error(DecodeError::unknown_set), 0u);

    std::vector<std::uint8_t> cut(packet.begin(), packet.end() - 1);
    DecodeResult r = d.decode(cut, kExporter, kT0, out);
    EXPECT_FALSE(r.ok);
    EXPECT_EQ(r.error, DecodeError::truncated);

    std::vector<std::uint8_t> tiny = packet;
    tiny[2] = 0;
    tiny[3] = 15;
    r = d.decode(tiny, kExporter, kT0, out);
    EXPECT_FALSE(r.ok);
    EXPECT_EQ(r.error, DecodeError::bad_length);
    EXPECT_EQ(out.size(), 1u);
}

TEST(Ipfix, AVariableLengthFieldPastTheSetDropsOnlyTheRestOfTheSet) {
    FlowDecoder d;
    std::vector<FlowRecord> out;
    d.decode(message(0,
                     [](PacketBuilder& p) {
                         p.begin_set(2).template_record(409, {{8, 4}, {82, 65535}}).end_set();
                         p.begin_set(409).addr(ip4(1, 1, 1, 1)).varlen("ok");
                         p.addr(ip4(1, 1, 1, 2)).u8(200).raw("short").end_set();
                         small_template(p, 400);
                         small_flows(p, 400, 1);
                     }),
             kExporter, kT0, out);
    ASSERT_EQ(out.size(), 2u);
    EXPECT_EQ(out[0].src_addr, ip4(1, 1, 1, 1));
    EXPECT_EQ(out[1].src_addr, ip4(10, 0, 0, 1));
    EXPECT_EQ(d.counters().error(DecodeError::truncated), 1u);
}

TEST(Ipfix, BadTemplateRecords) {
    FlowDecoder d;
    std::vector<FlowRecord> out;
    d.decode(
        message(
            0,
            [](PacketBuilder& p) {
                p.begin_set(2).u16(100).u16(0).end_set();  // withdraws a reserved id
                p.begin_set(3).u16(510).u16(2).u16(0).u16(8).u16(4).u16(34).u16(4);
                p.end_set();  // options with no scope
                p.begin_set(3).u16(511).u16(1).u16(2).u16(8).u16(4).end_set();
                p.begin_set(2).template_record(412, {{1, 0}, {2, 0}}).end_set();  // all length 0
                // An enterprise bit whose enterprise number the set does not hold.
                p.begin_set(2).u16(413).u16(1).u16(0x8001).u16(4).u16(0).end_set();
                p.begin_set(1).zeros(4).end_set();  // a v9 set id in IPFIX
                small_template(p, 400);
            }),
        kExporter, kT0, out);
    EXPECT_EQ(d.counters().error(DecodeError::bad_template), 4u);
    EXPECT_EQ(d.counters().error(DecodeError::truncated), 1u);
    EXPECT_EQ(d.counters().error(DecodeError::unknown_set), 1u);
    EXPECT_EQ(d.template_count(), 1u);
}

TEST(Ipfix, TemplatesAndFlowsOfEnterpriseFieldsAreByNumber) {
    FlowDecoder d;
    std::vector<FlowRecord> out;
    // An enterprise element whose number is also an IANA one is not mistaken for it.
    d.decode(message(0,
                     [](PacketBuilder& p) {
                         p.begin_set(2).template_record(414, {{8, 4, 2636}, {12, 4}}).end_set();
                         p.begin_set(414).addr(ip4(1, 2, 3, 4)).addr(ip4(5, 6, 7, 8)).end_set();
                     }),
             kExporter, kT0, out);
    ASSERT_EQ(out.size(), 1u);
    EXPECT_FALSE(out[0].has(kSrcAddr));
    EXPECT_EQ(out[0].dst_addr, ip4(5, 6, 7, 8));
    ASSERT_EQ(out[0].extra.size(), 1u);
    EXPECT_EQ(out[0].extra[0].enterprise, 2636u);
    EXPECT_EQ(out[0].extra[0].element, 8);
    EXPECT_EQ(out[0].extra[0].value, "\x01\x02\x03\x04");
}

}  // namespace
}  // namespace netfeed::netflow
