// The partitioner callback as librdkafka calls it: keyed records by strategy, unkeyed ones
// sticky, and a warning when the partition count changes under a running agent.
#include "sinks/kafka/topic_state.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <spdlog/sinks/ostream_sink.h>
#include <spdlog/spdlog.h>

#include <sstream>

namespace netfeed {
namespace {

using ::testing::HasSubstr;

class TopicStateTest : public ::testing::Test {
  protected:
    std::shared_ptr<spdlog::logger> logger() {
        auto sink = std::make_shared<spdlog::sinks::ostream_sink_mt>(log_);
        return std::make_shared<spdlog::logger>("test", sink);
    }
    std::int32_t choose(TopicState& state, const std::string* key, std::int32_t count) {
        return TopicState::choose_partition(nullptr, key ? key->data() : nullptr,
                                            key ? key->size() : 0, count, &state, nullptr);
    }
    std::ostringstream log_;
    MetricsRegistry metrics_;
};

TEST_F(TopicStateTest, KeyedRecordsFollowTheStrategyAndAreCounted) {
    TopicState murmur("t1", Partitioner::murmur2, 1000, metrics_, logger());
    TopicState crc("t2", Partitioner::crc32, 1000, metrics_, logger());
    const std::string key = "lax-cor-r1";
    EXPECT_EQ(choose(murmur, &key, 6), kafka::murmur2_partition(key.data(), key.size(), 6));
    EXPECT_EQ(choose(crc, &key, 6), kafka::crc32_partition(key.data(), key.size(), 6));
    EXPECT_EQ(murmur.keyed_choices.value(), 1u);
    EXPECT_EQ(murmur.sticky_choices.value(), 0u);
}

TEST_F(TopicStateTest, UnkeyedRecordsStickToOnePartitionAtATime) {
    TopicState state("t", Partitioner::murmur2, 10, metrics_, logger());
    const std::int32_t first = choose(state, nullptr, 8);
    for (int i = 1; i < 10; ++i)
        EXPECT_EQ(choose(state, nullptr, 8), first);
    EXPECT_NE(choose(state, nullptr, 8), first);
    EXPECT_EQ(state.sticky_choices.value(), 11u);
    // An empty key is no key for crc32 (librdkafka) but a key for murmur2 (Java).
    TopicState crc("c", Partitioner::crc32, 10, metrics_, logger());
    const std::string empty;
    choose(crc, &empty, 8);
    EXPECT_EQ(crc.sticky_choices.value(), 1u);
    choose(state, &empty, 8);
    EXPECT_EQ(state.keyed_choices.value(), 1u);
}

TEST_F(TopicStateTest, WarnsOnceWhenThePartitionCountChanges) {
    TopicState state("netfeed.flow", Partitioner::murmur2, 1000, metrics_, logger());
    const std::string key = "r1";
    choose(state, &key, 4);
    choose(state, &key, 4);
    EXPECT_EQ(log_.str(), "");
    choose(state, &key, 6);
    choose(state, &key, 6);
    const std::string text = log_.str();
    EXPECT_THAT(text, HasSubstr("topic netfeed.flow now has 6 partitions (it had 4)"));
    EXPECT_THAT(text, HasSubstr("per-key ordering is broken across this change"));
    EXPECT_EQ(text.find("now has"), text.rfind("now has"));  // once, not per record
}

}  // namespace
}  // namespace netfeed
