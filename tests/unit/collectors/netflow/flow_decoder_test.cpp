// The decoder's shared parts: version dispatch, the exporter limit and its expiry, error
// names, the template store, template compilation and the sequence tracker.
#include <gtest/gtest.h>

#include <set>
#include <string>
#include <vector>

#include "collectors/netflow/decode_exporters.hpp"
#include "collectors/netflow/template_compile.hpp"
#include "collectors/netflow/template_store.hpp"
#include "tests/unit/collectors/netflow/flow_test_support.hpp"

namespace netfeed::netflow {
namespace {

using namespace test;

constexpr std::uint64_t kT0 = 1'700'000'000 * kSecond;

std::vector<std::uint8_t> v9_template(std::uint32_t source) {
    PacketBuilder p;
    p.v9_header(1, source, 0, 1'700'000'000);
    return p.begin_set(0).template_record(256, {{8, 4}}).end_set().bytes();
}

TEST(FlowDecoder, RefusesUnknownVersionsAndRunts) {
    FlowDecoder d;
    std::vector<FlowRecord> out;
    const std::vector<std::uint8_t> v7 = {0, 7, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0};
    DecodeResult r = d.decode(v7, ip4(1, 1, 1, 1), kT0, out);
    EXPECT_FALSE(r.ok);
    EXPECT_EQ(r.error, DecodeError::bad_version);
    r = d.decode(std::vector<std::uint8_t>{0}, ip4(1, 1, 1, 1), kT0, out);
    EXPECT_FALSE(r.ok);
    EXPECT_EQ(r.error, DecodeError::truncated);
    r = d.decode({}, ip4(1, 1, 1, 1), kT0, out);
    EXPECT_FALSE(r.ok);
    EXPECT_EQ(d.counters().packets, 3u);
    EXPECT_EQ(d.counters().error(DecodeError::bad_version), 1u);
    EXPECT_EQ(d.counters().error(DecodeError::truncated), 2u);
}

TEST(FlowDecoder, ExportersBeyondTheLimitAreRefusedUntilIdleOnesExpire) {
    DecoderLimits limits;
    limits.max_exporters = 2;
    limits.template_timeout_ns = 100 * kSecond;
    FlowDecoder d(limits);
    std::vector<FlowRecord> out;
    EXPECT_TRUE(d.decode(v9_template(1), ip4(1, 1, 1, 1), kT0, out).ok);
    EXPECT_TRUE(d.decode(v9_template(2), ip4(1, 1, 1, 1), kT0, out).ok);  // a second domain
    DecodeResult r = d.decode(v9_template(1), ip4(2, 2, 2, 2), kT0, out);
    EXPECT_FALSE(r.ok);
    EXPECT_EQ(r.error, DecodeError::exporter_limit);
    EXPECT_EQ(d.template_count(), 2u);

    d.decode(v9_template(2), ip4(1, 1, 1, 1), kT0 + 50 * kSecond, out);  // still active
    d.expire(kT0 + 101 * kSecond);
    EXPECT_EQ(d.template_count(), 1u);
    EXPECT_TRUE(d.decode(v9_template(1), ip4(2, 2, 2, 2), kT0 + 101 * kSecond, out).ok);
    EXPECT_EQ(d.counters().error(DecodeError::exporter_limit), 1u);
}

TEST(FlowDecoder, EveryErrorHasADistinctName) {
    std::set<std::string> names;
    for (std::size_t i = 0; i < static_cast<std::size_t>(DecodeError::kCount); ++i) {
        const std::string name(to_string(static_cast<DecodeError>(i)));
        EXPECT_NE(name, "unknown");
        names.insert(name);
    }
    EXPECT_EQ(names.size(), static_cast<std::size_t>(DecodeError::kCount));
    EXPECT_EQ(to_string(DecodeError::held_limit), "held_limit");
}

CompiledTemplate compiled(std::initializer_list<FieldSpec> fields,
                          TemplateKind kind = TemplateKind::data) {
    std::vector<FieldSpec> f(fields);
    return *compile_template(10, kind, f, kind == TemplateKind::options ? 1 : 0);
}

TEST(FlowDecoderTemplateStore, KeysByExporterVersionDomainAndId) {
    auto store = make_template_store(10, 100);
    const ExporterKey a{ip4(1, 1, 1, 1), 10, 1};
    ExporterKey b = a;
    b.domain = 2;
    ExporterKey c = a;
    c.version = 9;
    EXPECT_EQ(store->put({a, 256}, compiled({{8, 4, 0}}), 0), TemplateStore::PutResult::added);
    EXPECT_NE(store->find({a, 256}), nullptr);
    EXPECT_EQ(store->find({b, 256}), nullptr);
    EXPECT_EQ(store->find({c, 256}), nullptr);
    EXPECT_EQ(store->find({a, 257}), nullptr);
    EXPECT_EQ(store->put({a, 256}, compiled({{12, 4, 0}}), 0), TemplateStore::PutResult::replaced);
    EXPECT_EQ(store->find({a, 256})->fields[0].element, 12);
    EXPECT_EQ(store->size(), 1u);
}

TEST(FlowDecoderTemplateStore, LimitIsPerExporterAddressOverAllDomains) {
    auto store = make_template_store(2, 100);
    const ExporterKey a{ip4(1, 1, 1, 1), 10, 1};
    ExporterKey a2 = a;
    a2.domain = 2;
    const ExporterKey b{ip4(1, 1, 1, 2), 10, 1};
    EXPECT_EQ(store->put({a, 256}, compiled({{8, 4, 0}}), 0), TemplateStore::PutResult::added);
    EXPECT_EQ(store->put({a2, 256}, compiled({{8, 4, 0}}), 0), TemplateStore::PutResult::added);
    EXPECT_EQ(store->put({a, 257}, compiled({{8, 4, 0}}), 0), TemplateStore::PutResult::refused);
    EXPECT_EQ(store->put({b, 257}, compiled({{8, 4, 0}}), 0), TemplateStore::PutResult::added);
    EXPECT_TRUE(store->withdraw({a, 256}, TemplateKind::data));
    EXPECT_EQ(store->put({a, 257}, compiled({{8, 4, 0}}), 0), TemplateStore::PutResult::added);
}

TEST(FlowDecoderTemplateStore, ExpiresByTheTimePassedInAndTouchRefreshes) {
    auto store = make_template_store(10, 100);
    const ExporterKey a{ip4(1, 1, 1, 1), 10, 1};
    store->put({a, 256}, compiled({{8, 4, 0}}), 1000);
    store->put({a, 257}, compiled({{8, 4, 0}}), 1000);
    store->touch({a, 257}, 1050);
    EXPECT_EQ(store->expire(1100), 0u);
    EXPECT_EQ(store->expire(999), 0u);  // a clock that went back expires nothing
    EXPECT_EQ(store->expire(1101), 1u);
    EXPECT_EQ(store->find({a, 256}), nullptr);
    EXPECT_NE(store->find({a, 257}), nullptr);
    EXPECT_EQ(store->expire(1151), 1u);
    EXPECT_EQ(store->size(), 0u);
}

TEST(FlowDecoderTemplateStore, WithdrawAllTakesOnlyOneKindOfOneDomain) {
    auto store = make_template_store(10, 100);
    const ExporterKey a{ip4(1, 1, 1, 1), 10, 1};
    ExporterKey b = a;
    b.domain = 2;
    store->put({a, 256}, compiled({{8, 4, 0}}), 0);
    store->put({a, 257}, compiled({{8, 4, 0}}), 0);
    store->put({a, 258}, compiled({{149, 4, 0}, {34, 4, 0}}, TemplateKind::options), 0);
    store->put({b, 256}, compiled({{8, 4, 0}}), 0);
    EXPECT_FALSE(store->withdraw({a, 258}, TemplateKind::data));
    EXPECT_EQ(store->withdraw_all(a, TemplateKind::data), 2u);
    EXPECT_EQ(store->size(), 2u);
    EXPECT_NE(store->find({a, 258}), nullptr);
    EXPECT_NE(store->find({b, 256}), nullptr);
}

TEST(FlowDecoderCompile, OpsMergeSkippedRunsAndKnowWhatFollowsAVariableField) {
    const std::vector<FieldSpec> fields = {
        {8, 4, 0}, {210, 2, 0}, {210, 3, 0}, {82, kVariableLength, 0}, {12, 4, 0}, {7, 2, 0}};
    const auto t = compile_template(10, TemplateKind::data, fields, 0);
    ASSERT_TRUE(t.has_value());
    ASSERT_EQ(t->ops.size(), 5u);
    EXPECT_EQ(t->ops[1].target, FieldTarget::skip);
    EXPECT_EQ(t->ops[1].length, 5);
    EXPECT_EQ(t->ops[2].target, FieldTarget::extra);
    EXPECT_EQ(t->ops[2].rest_min, 6);
    EXPECT_TRUE(t->variable);
    EXPECT_TRUE(t->has_extra);
    EXPECT_EQ(t->min_length, 4u + 5 + 1 + 4 + 2);
    EXPECT_EQ(t->present, kSrcAddr | kDstAddr | kSrcPort);
}

TEST(FlowDecoderCompile, FieldsWiderThanTheirSlotGoToExtra) {
    const std::vector<FieldSpec> fields = {{4, 2, 0}, {10, 8, 0}, {8, 16, 0}, {1, 8, 0}};
    const auto t = compile_template(9, TemplateKind::data, fields, 0);
    ASSERT_TRUE(t.has_value());
    EXPECT_EQ(t->ops[0].target, FieldTarget::extra);
    EXPECT_EQ(t->ops[1].target, FieldTarget::extra);
    EXPECT_EQ(t->ops[2].target, FieldTarget::extra);
    EXPECT_EQ(t->ops[3].target, FieldTarget::bytes);
    EXPECT_EQ(t->present, kBytes);
}

TEST(FlowDecoderCompile, V9ScopesAreSkippedIpfixScopesAreElements) {
    // v9 scope type 1 is "System", not octetDeltaCount; in IPFIX 302 as a scope is selectorId.
    const std::vector<FieldSpec> v9 = {{1, 4, 0}, {34, 4, 0}};
    const auto a = compile_template(9, TemplateKind::options, v9, 1);
    ASSERT_TRUE(a.has_value());
    EXPECT_EQ(a->ops[0].target, FieldTarget::skip);
    EXPECT_EQ(a->ops[1].target, FieldTarget::opt_sampling_interval);
    const std::vector<FieldSpec> ipfix = {{302, 4, 0}, {50, 4, 0}};
    const auto b = compile_template(10, TemplateKind::options, ipfix, 1);
    ASSERT_TRUE(b.has_value());
    EXPECT_EQ(b->ops[0].target, FieldTarget::opt_sampler_id);
}

TEST(FlowDecoderCompile, RefusesTemplatesNoRecordCouldFollow) {
    const std::vector<FieldSpec> none;
    EXPECT_FALSE(compile_template(10, TemplateKind::data, none, 0));
    const std::vector<FieldSpec> zero = {{8, 0, 0}};
    EXPECT_FALSE(compile_template(10, TemplateKind::data, zero, 0));
    const std::vector<FieldSpec> huge = {{1, 65000, 0}, {2, 1000, 0}};
    EXPECT_FALSE(compile_template(10, TemplateKind::data, huge, 0));
    const std::vector<FieldSpec> many(kMaxTemplateFields + 1, FieldSpec{1, 1, 0});
    EXPECT_FALSE(compile_template(10, TemplateKind::data, many, 0));
    const std::vector<FieldSpec> most(kMaxTemplateFields, FieldSpec{1, 1, 0});
    EXPECT_TRUE(compile_template(10, TemplateKind::data, most, 0));
}

TEST(FlowDecoderSequence, GapWrapLateAndRestart) {
    SequenceTracker t;
    EXPECT_EQ(t.lost_before(500, 10), 0u);  // nothing known yet
    t.advance(500, 1);
    EXPECT_EQ(t.lost_before(501, 10), 0u);
    t.advance(501, 1);
    EXPECT_EQ(t.lost_before(510, 10), 8u);
    t.advance(510, 1);
    EXPECT_EQ(t.lost_before(505, 10), 0u);  // late
    t.advance(505, 1);
    EXPECT_EQ(t.lost_before(511, 10), 0u);  // the expectation did not move back
    t.advance(511, 1);
    EXPECT_EQ(t.lost_before(3, 10), 0u);  // restart
    t.advance(3, 1);
    EXPECT_EQ(t.lost_before(4, 10), 0u);
    t.advance(0xffffffffu, 1);
    EXPECT_EQ(t.lost_before(0, 10), 0u);
    t.advance(0, 1);
    EXPECT_EQ(t.lost_before(0x7fffffffu, 10), 0x7ffffffeu);  // the largest gap counted
    t.advance(0, 1);
    EXPECT_EQ(t.lost_before(0x80000001u, 10), 0u);  // more than half the space: backwards
}

}  // namespace
}  // namespace netfeed::netflow
