// Sequence gap counting per agent and sub-agent: in order, gaps, wrap-around, late datagrams,
// restarts (told from late datagrams by the uptime), and the bound on tracked sources.
#include "collectors/sflow/sequence_tracker.hpp"

#include <gtest/gtest.h>

namespace netfeed::sflow {
namespace {

netflow::FlowAddress agent(std::uint8_t last) {
    const std::uint8_t b[4] = {192, 0, 2, last};
    return netflow::FlowAddress::v4(b);
}

// Datagrams one second apart: uptime follows the sequence number.
SequenceStep at(SequenceTracker& t, std::uint8_t a, std::uint32_t sub, std::uint32_t seq) {
    return t.observe(agent(a), sub, seq, 1000000 + seq * 1000);
}

TEST(SequenceTracker, CountsGapsPerAgentAndSubAgent) {
    SequenceTracker t;
    EXPECT_EQ(at(t, 1, 0, 10).lost, 0u);  // first seen: nothing to judge
    EXPECT_EQ(at(t, 1, 0, 11).lost, 0u);
    EXPECT_EQ(at(t, 1, 0, 15).lost, 3u);   // 12, 13, 14 missing
    EXPECT_EQ(at(t, 1, 1, 500).lost, 0u);  // another sub-agent numbers its own
    EXPECT_EQ(at(t, 2, 0, 16).lost, 0u);   // and so does another agent
    EXPECT_EQ(at(t, 1, 1, 502).lost, 1u);
    EXPECT_EQ(at(t, 1, 0, 16).lost, 0u);
    EXPECT_EQ(t.sources(), 3u);
}

TEST(SequenceTracker, WrapAroundIsAnOrdinaryStep) {
    SequenceTracker t;
    t.observe(agent(1), 0, 0xFFFFFFFEu, 0xFFFFFF00u);
    EXPECT_EQ(t.observe(agent(1), 0, 0xFFFFFFFFu, 0xFFFFFFF0u).lost, 0u);
    EXPECT_EQ(t.observe(agent(1), 0, 0, 0x10u).lost, 0u);  // uptime wrapped too
    EXPECT_EQ(t.observe(agent(1), 0, 3, 0x20u).lost, 2u);
}

TEST(SequenceTracker, LateDatagramsAndRestarts) {
    SequenceTracker t;
    at(t, 1, 0, 100);
    EXPECT_EQ(at(t, 1, 0, 102).lost, 1u);
    const SequenceStep late = at(t, 1, 0, 101);
    EXPECT_TRUE(late.late);
    EXPECT_FALSE(late.restarted);
    EXPECT_EQ(late.lost, 0u);
    EXPECT_EQ(at(t, 1, 0, 103).lost, 0u);  // the expectation did not move back
    // Restarted after 103 s: numbers from 1 again, uptime back to 2 s.
    const SequenceStep restart = t.observe(agent(1), 0, 1, 2000);
    EXPECT_TRUE(restart.restarted);
    EXPECT_EQ(restart.lost, 0u);
    EXPECT_EQ(t.observe(agent(1), 0, 2, 3000).lost, 0u);
    EXPECT_EQ(t.observe(agent(1), 0, 4, 5000).lost, 1u);
    // A jump back beyond the reorder window is a restart whatever the uptime says.
    at(t, 2, 0, 5000);
    EXPECT_TRUE(at(t, 2, 0, 10).restarted);
}

TEST(SequenceTracker, TheTableIsBounded) {
    SequenceTracker t(4);
    for (std::uint8_t i = 0; i < 10; ++i)
        at(t, i, 0, 1);
    EXPECT_LE(t.sources(), 4u);
}

}  // namespace
}  // namespace netfeed::sflow
