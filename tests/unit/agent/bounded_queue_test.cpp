// The bounded queue: never above capacity, refuses or waits when full, drains after close.
#include "agent/bounded_queue.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <set>
#include <thread>

namespace netfeed {
namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

TEST(BoundedQueue, RefusesWhenFullAndKeepsTheItem) {
    BoundedQueue<int> q(2);
    int a = 1, b = 2, c = 3;
    EXPECT_TRUE(q.try_push(a));
    EXPECT_TRUE(q.try_push(b));
    EXPECT_FALSE(q.try_push(c));
    EXPECT_EQ(c, 3);
    EXPECT_EQ(q.size(), 2u);
    EXPECT_FALSE(q.push_until(c, Clock::now() + 20ms));
}

TEST(BoundedQueue, BatchPushTakesOnlyWhatFits) {
    BoundedQueue<int> q(3);
    std::vector<int> items = {1, 2, 3, 4, 5};
    EXPECT_EQ(q.try_push_batch(items), 3u);
    EXPECT_EQ(items, (std::vector<int>{4, 5}));
    std::vector<int> out;
    EXPECT_EQ(q.pop_batch_until(out, 10, Clock::now()), 3u);
    EXPECT_EQ(out, (std::vector<int>{1, 2, 3}));
}

TEST(BoundedQueue, CloseRefusesPushesButDrains) {
    BoundedQueue<int> q(4);
    int v = 7;
    ASSERT_TRUE(q.try_push(v));
    q.close();
    int w = 8;
    EXPECT_FALSE(q.try_push(w));
    EXPECT_FALSE(q.drained());
    std::vector<int> out;
    EXPECT_EQ(q.pop_batch_until(out, 10, Clock::now() + 1s), 1u);
    EXPECT_TRUE(q.drained());
    EXPECT_EQ(q.pop_batch_until(out, 10, Clock::now() + 1s), 0u);  // returns at once
}

TEST(BoundedQueue, BlockedPushResumesWhenRoomAppears) {
    BoundedQueue<int> q(1);
    int first = 1;
    ASSERT_TRUE(q.try_push(first));
    std::thread consumer([&] {
        std::this_thread::sleep_for(50ms);
        std::vector<int> out;
        q.pop_batch_until(out, 1, Clock::now() + 1s);
    });
    int second = 2;
    EXPECT_TRUE(q.push_until(second, Clock::now() + 5s));
    consumer.join();
    std::vector<int> batch = {3, 4};
    std::thread drainer([&] {
        std::vector<int> out;
        for (int i = 0; i < 3; ++i)
            q.pop_batch_until(out, 1, Clock::now() + 1s);
    });
    EXPECT_EQ(q.push_batch_until(batch, Clock::now() + 5s), 2u);
    drainer.join();
}

TEST(BoundedQueue, ManyProducersLoseNothing) {
    BoundedQueue<int> q(64);
    constexpr int kProducers = 4;
    constexpr int kEach = 20000;
    std::vector<std::thread> producers;
    for (int p = 0; p < kProducers; ++p) {
        producers.emplace_back([&, p] {
            for (int i = 0; i < kEach; ++i) {
                int v = p * kEach + i;
                ASSERT_TRUE(q.push_until(v, Clock::now() + 10s));
            }
        });
    }
    std::set<int> seen;
    std::size_t max_size = 0;
    std::thread consumer([&] {
        std::vector<int> out;
        while (seen.size() < kProducers * kEach) {
            max_size = std::max(max_size, q.size());
            out.clear();
            q.pop_batch_until(out, 16, Clock::now() + 1s);
            seen.insert(out.begin(), out.end());
        }
    });
    for (auto& t : producers)
        t.join();
    consumer.join();
    EXPECT_EQ(seen.size(), static_cast<std::size_t>(kProducers * kEach));
    EXPECT_LE(max_size, q.capacity());
}

}  // namespace
}  // namespace netfeed
