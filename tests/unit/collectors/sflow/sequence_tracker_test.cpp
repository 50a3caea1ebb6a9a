// Sequence gap counting per agent and sub-agent: in order, gaps, wrap-around, late datagrams,
// restarts, and the bound on tracked sources.
#include "collectors/sflow/sequence_tracker.hpp"

#include <gtest/gtest.h>

namespace netfeed::sflow {
namespace {

netflow::FlowAddress agent(std::uint8_t last) {
    const std::uint8_t b[4] = {192, 0, 2, last};
    return netflow::FlowAddress::v4(b);
}

TEST(SequenceTracker, CountsGapsPerAgentAndSubAgent) {
    SequenceTracker t;
    EXPECT_EQ(t.observe(agent(1), 0, 10).lost, 0u);  // first seen: nothing to judge
    EXPECT_EQ(t.observe(agent(1), 0, 11).lost, 0u);
    EXPECT_EQ(t.observe(agent(1), 0, 15).lost, 3u);  // 12, 13, 14 missing
    EXPECT_EQ(t.observe(agent(1), 1, 500).lost, 0u);  // another sub-agent numbers its own
    EXPECT_EQ(t.observe(agent(2), 0, 16).lost, 0u);   // and so does another agent
    EXPECT_EQ(t.observe(agent(1), 1, 502).lost, 1u);
    EXPECT_EQ(t.observe(agent(1), 0, 16).lost, 0u);
    EXPECT_EQ(t.sources(), 3u);
}

TEST(SequenceTracker, WrapAroundIsAnOrdinaryStep) {
    SequenceTracker t;
    t.observe(agent(1), 0, 0xFFFFFFFEu);
    EXPECT_EQ(t.observe(agent(1), 0, 0xFFFFFFFFu).lost, 0u);
    EXPECT_EQ(t.observe(agent(1), 0, 0).lost, 0u);
    EXPECT_EQ(t.observe(agent(1), 0, 3).lost, 2u);
}

TEST(SequenceTracker, LateDatagramsAndRestarts) {
    SequenceTracker t;
    t.observe(agent(1), 0, 100);
    EXPECT_EQ(t.observe(agent(1), 0, 102).lost, 1u);
    const SequenceStep late = t.observe(agent(1), 0, 101);
    EXPECT_TRUE(late.late);
    EXPECT_EQ(late.lost, 0u);
    EXPECT_EQ(t.observe(agent(1), 0, 103).lost, 0u);  // the expectation did not move back
    const SequenceStep restart = t.observe(agent(1), 0, 1);
    EXPECT_TRUE(restart.restarted);
    EXPECT_EQ(restart.lost, 0u);
    EXPECT_EQ(t.observe(agent(1), 0, 2).lost, 0u);
}

TEST(SequenceTracker, TheTableIsBounded) {
    SequenceTracker t(4);
    for (std::uint8_t i = 0; i < 10; ++i) t.observe(agent(i), 0, 1);
    EXPECT_LE(t.sources(), 4u);
}

}  // namespace
}  // namespace netfeed::sflow
