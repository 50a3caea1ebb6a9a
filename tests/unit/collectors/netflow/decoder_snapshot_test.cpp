// The decoder's restart-safe state: export after learning templates and sampling rates, import
// into a fresh decoder, and the first data packet decodes exactly as it would have before.
#include <gtest/gtest.h>

#include <vector>

#include "collectors/netflow/decode_snapshot.hpp"
#include "collectors/netflow/snapshot_json.hpp"
#include "tests/unit/collectors/netflow/flow_test_support.hpp"

namespace netfeed::netflow {
namespace {

using namespace test;

const FlowAddress kExporter = ip4(203, 0, 113, 5);
const FlowAddress kExporter6 = ip6({0x2001, 0xdb8, 0, 0, 0, 0, 0, 7});
constexpr std::uint64_t kT0 = 1'700'000'000 * kSecond;
constexpr std::uint64_t kDay = 86'400 * kSecond;

// v9 source 42: options template 300 (sampler 1 samples 1 in 100) and data template 256 with a
// sampler id; nothing else.
std::vector<std::uint8_t> v9_templates() {
    PacketBuilder p;
    p.v9_header(1, 42, 10'000, 1'700'000'000);
    p.begin_set(1).v9_options_template(300, {{1, 4}}, {{48, 2}, {50, 4}}).end_set(2);
    p.begin_set(300).u32(0).u16(1).u32(100).end_set();
    p.begin_set(0).template_record(256, {{8, 4}, {12, 4}, {7, 2}, {48, 1}, {1, 4}}).end_set();
    return p.bytes();
}

std::vector<std::uint8_t> v9_data(std::uint32_t seq) {
    PacketBuilder p;
    p.v9_header(seq, 42, 20'000, 1'700'000'010);
    p.begin_set(256);
    for (int i = 1; i <= 3; ++i) {
        const auto b = static_cast<std::uint8_t>(i);
        p.addr(ip4(10, 0, 0, b)).addr(ip4(10, 0, 1, b)).u16(1000 + i).u8(1).u32(100 * i);
    }
    return p.end_set().bytes();
}

// IPFIX domain 7 from an IPv6 exporter: data template 400 with an enterprise field.
std::vector<std::uint8_t> ipfix_template() {
    PacketBuilder p;
    p.ipfix_header(1, 7, 1'700'000'000);
    p.begin_set(2).template_record(400, {{8, 4}, {2, 8}, {11, 2, 9}}).end_set();
    return p.end_message();
}

std::vector<std::uint8_t> ipfix_data(std::uint32_t seq) {
    PacketBuilder p;
    p.ipfix_header(seq, 7, 1'700'000'010);
    p.begin_set(400).addr(ip4(192, 0, 2, 1)).u64(77).u16(0xbeef).end_set();
    return p.end_message();
}

DecoderSnapshot learnt_state(FlowDecoder& d) {
    std::vector<FlowRecord> out;
    d.decode(v9_templates(), kExporter, kT0, out);
    d.decode(ipfix_template(), kExporter6, kT0, out);
    return d.export_state();
}

TEST(DecoderSnapshot, ExportsTemplatesAndSamplingSorted) {
    FlowDecoder d;
    const DecoderSnapshot s = learnt_state(d);
    ASSERT_EQ(s.templates.size(), 3u);
    EXPECT_EQ(s.templates[0].exporter.address, kExporter);  // IPv4 sorts first
    EXPECT_EQ(s.templates[0].template_id, 256);
    EXPECT_EQ(s.templates[1].template_id, 300);
    EXPECT_EQ(s.templates[1].kind, TemplateKind::options);
    EXPECT_EQ(s.templates[1].scope_count, 1);
    EXPECT_EQ(s.templates[2].exporter.address, kExporter6);
    EXPECT_EQ(s.templates[2].exporter.version, 10);
    EXPECT_EQ(s.templates[2].exporter.domain, 7u);
    EXPECT_EQ(s.templates[2].fields[2], (FieldSpec{11, 2, 9}));
    EXPECT_EQ(s.templates[0].sent_ns, kT0);
    ASSERT_EQ(s.sampling.size(), 1u);
    EXPECT_EQ(s.sampling[0].table.samplers[0], (SamplingTable::Sampler{1, 100}));
}

TEST(DecoderSnapshot, AFreshDecoderDecodesTheFirstDataPacketAsTheOldOneWould) {
    FlowDecoder before;
    const DecoderSnapshot s = learnt_state(before);
    std::vector<FlowRecord> expected;
    before.decode(v9_data(2), kExporter, kT0 + kSecond, expected);
    before.decode(ipfix_data(2), kExporter6, kT0 + kSecond, expected);
    ASSERT_EQ(expected.size(), 4u);

    FlowDecoder after;
    const SnapshotImport r = after.import_state(s, kT0 + kSecond, 7 * kDay);
    EXPECT_EQ(r.templates, 3u);
    EXPECT_EQ(r.exporters, 2u);
    EXPECT_EQ(r.too_old, 0u);
    EXPECT_EQ(r.refused, 0u);
    std::vector<FlowRecord> got;
    after.decode(v9_data(2), kExporter, kT0 + kSecond, got);
    after.decode(ipfix_data(2), kExporter6, kT0 + kSecond, got);
    ASSERT_EQ(got.size(), expected.size());
    for (std::size_t i = 0; i < got.size(); ++i) {
        expect_same_flow(got[i], expected[i], "flow " + std::to_string(i));
    }
    EXPECT_EQ(got[0].sampling_rate, 100u);  // the sampling rate came back too
    EXPECT_EQ(after.counters().held_sets, 0u);
    // Import is not a change: nothing new to save until the exporter changes something.
    EXPECT_EQ(after.export_state(), s);
}

TEST(DecoderSnapshot, ATemplateSentAgainWithAnotherLayoutReplacesTheLoadedOne) {
    FlowDecoder before;
    FlowDecoder after;
    after.import_state(learnt_state(before), kT0, 0);
    const std::uint64_t changes = after.state_changes();
    std::vector<FlowRecord> out;
    PacketBuilder p;
    p.v9_header(5, 42, 10'000, 1'700'000'000);
    p.begin_set(0).template_record(256, {{7, 2}, {11, 2}}).end_set();
    p.begin_set(256).u16(5353).u16(53).end_set();
    after.decode(p.bytes(), kExporter, kT0 + kSecond, out);
    ASSERT_EQ(out.size(), 1u);
    EXPECT_EQ(out[0].src_port, 5353);
    EXPECT_EQ(out[0].present, kSrcPort | kDstPort);
    EXPECT_EQ(after.template_count(), 3u);
    EXPECT_GT(after.state_changes(), changes);
}

TEST(DecoderSnapshot, AResendIsNotAChangeButANewRateIs) {
    FlowDecoder d;
    learnt_state(d);
    const std::uint64_t changes = d.state_changes();
    std::vector<FlowRecord> out;
    d.decode(v9_templates(), kExporter, kT0 + kSecond, out);
    EXPECT_EQ(d.state_changes(), changes);
    PacketBuilder p;
    p.v9_header(9, 42, 10'000, 1'700'000'000);
    p.begin_set(300).u32(0).u16(1).u32(250).end_set();
    d.decode(p.bytes(), kExporter, kT0 + kSecond, out);
    EXPECT_GT(d.state_changes(), changes);
}

TEST(DecoderSnapshot, TemplatesLastSentLongerAgoThanTheMaxAgeAreLeftOut) {
    FlowDecoder before;
    DecoderSnapshot s = learnt_state(before);
    s.templates[2].sent_ns = kT0 - 8 * kDay;
    FlowDecoder after;
    const SnapshotImport r = after.import_state(s, kT0, 7 * kDay);
    EXPECT_EQ(r.templates, 2u);
    EXPECT_EQ(r.too_old, 1u);
    // The age of a loaded template is not reset by the restart: saved again, it keeps its time.
    EXPECT_EQ(after.export_state().templates[0].sent_ns, kT0);
    FlowDecoder unlimited;
    EXPECT_EQ(unlimited.import_state(s, kT0, 0).templates, 3u);
}

TEST(DecoderSnapshot, LoadedTemplatesGetAWholeTimeoutFromTheRestart) {
    FlowDecoder before;
    const DecoderSnapshot s = learnt_state(before);
    DecoderLimits limits;
    limits.template_timeout_ns = 1800 * kSecond;
    FlowDecoder after(limits);
    after.import_state(s, kT0 + kDay, 7 * kDay);  // restarted a day later
    after.expire(kT0 + kDay + 60 * kSecond);
    EXPECT_EQ(after.template_count(), 3u);
    after.expire(kT0 + kDay + 1801 * kSecond);
    EXPECT_EQ(after.template_count(), 0u);
}

TEST(DecoderSnapshot, InvalidTemplatesAndLimitsAreRefusedNotTrusted) {
    DecoderSnapshot s;
    TemplateSnapshot bad;
    bad.exporter = {kExporter, 9, 1};
    bad.template_id = 256;
    bad.fields = {{8, 0, 0}};  // only a zero-length field: no record could follow it
    s.templates.push_back(bad);
    TemplateSnapshot v5 = bad;
    v5.exporter.version = 5;
    v5.fields = {{8, 4, 0}};
    s.templates.push_back(v5);
    DecoderLimits limits;
    limits.max_templates_per_exporter = 1;
    TemplateSnapshot good = v5;
    good.exporter.version = 9;
    s.templates.push_back(good);
    good.template_id = 257;
    s.templates.push_back(good);
    FlowDecoder d(limits);
    const SnapshotImport r = d.import_state(s, kT0, 0);
    EXPECT_EQ(r.templates, 1u);
    EXPECT_EQ(r.refused, 3u);
}

TEST(SnapshotJson, RoundTripsEveryField) {
    FlowDecoder d;
    DecoderSnapshot s = learnt_state(d);
    s.sampling[0].table.domain_rate_explicit = true;
    s.sampling[0].table.samplers.push_back({0xffffffffffffull, 1u << 20});
    const std::string text = snapshot_to_json(s, kT0);
    std::string error;
    const auto back = snapshot_from_json(text, error);
    ASSERT_TRUE(back) << error;
    EXPECT_EQ(*back, s);
    EXPECT_NE(text.find("\"exporter\": \"2001:db8::7\""), std::string::npos) << text;
}

TEST(SnapshotJson, DamagedFilesAreRefusedWithAReason) {
    FlowDecoder d;
    const std::string text = snapshot_to_json(learnt_state(d), kT0);
    std::string error;
    // Truncated anywhere, it is never taken.
    for (std::size_t cut :
         {std::size_t{0}, std::size_t{1}, text.size() / 3, text.size() / 2, text.size() - 3}) {
        error.clear();
        EXPECT_FALSE(snapshot_from_json(text.substr(0, cut), error)) << cut;
        EXPECT_FALSE(error.empty());
    }
    const auto replaced = [&](const std::string& from, const std::string& to) {
        std::string t = text;
        const auto at = t.find(from);
        EXPECT_NE(at, std::string::npos) << from;
        return t.replace(at, from.size(), to);
    };
    // The document's own version (its last key: nlohmann sorts them).
    EXPECT_FALSE(snapshot_from_json(replaced("\"version\": 1\n}", "\"version\": 99\n}"), error));
    EXPECT_NE(error.find("99"), std::string::npos) << error;
    EXPECT_FALSE(snapshot_from_json(replaced("\"id\": 256", "\"id\": 70000"), error));
    EXPECT_FALSE(snapshot_from_json(replaced("\"id\": 256", "\"id\": -1"), error));
    EXPECT_FALSE(snapshot_from_json(replaced("203.0.113.5", "203.0.113.x"), error));
    EXPECT_FALSE(snapshot_from_json(replaced("\"kind\": \"data\"", "\"kind\": \"x\""), error));
    EXPECT_FALSE(snapshot_from_json(replaced("netfeed-netflow-state", "other"), error));
    EXPECT_FALSE(snapshot_from_json("\x00\xff garbage", error));
    EXPECT_FALSE(snapshot_from_json("[]", error));
}

}  // namespace
}  // namespace netfeed::netflow
