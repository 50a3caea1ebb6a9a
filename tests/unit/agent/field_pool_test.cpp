// The field-vector pool: a record's storage comes back for the next record, across threads,
// and only within the pool's bounds.
#include "agent/field_pool.hpp"

#include <gtest/gtest.h>

#include <set>
#include <thread>

namespace netfeed {
namespace {

Record record_with(std::size_t fields) {
    Record r;
    r.fields = take_field_vector(fields);
    for (std::size_t i = 0; i < fields; ++i)
        r.add("n", std::uint64_t{i});
    return r;
}

TEST(FieldPoolTest, TakenVectorIsEmptyWithTheRoomAskedFor) {
    const auto v = take_field_vector(30);
    EXPECT_TRUE(v.empty());
    EXPECT_GE(v.capacity(), 30u);
}

TEST(FieldPoolTest, ADestroyedRecordsStorageServesTheNextRecordOnTheSameThread) {
    const Field* storage = nullptr;
    {
        Record r = record_with(20);
        r.add("text", std::string(100, 'x'));  // a value that owns memory: destroyed, not kept
        storage = r.fields.data();
    }
    const auto v = take_field_vector(20);
    EXPECT_EQ(v.data(), storage);
    EXPECT_TRUE(v.empty());
}

TEST(FieldPoolTest, MovedFromAndOddSizedVectorsAreNotKept) {
    {
        Record a = record_with(20);
        Record b = std::move(a);  // a's vector is empty now: nothing to recycle from it
        (void)b;
    }
    const auto first = take_field_vector(20);  // b's
    const auto second = take_field_vector(20);
    EXPECT_NE(first.data(), second.data());
    {
        Record huge;
        huge.fields.reserve(1000);  // beyond the kept sizes: freed, not pooled
    }
    EXPECT_LT(take_field_vector(4).capacity(), 1000u);
}

TEST(FieldPoolTest, VectorsGoFromTheDestroyingThreadToTheBuildingOne) {
    // Empty the shared pool first (other tests may have filled it); plain vectors, not records,
    // so these are freed at the end, not pooled again.
    std::vector<std::vector<Field>> held;
    std::thread drain([&] {
        while (pooled_field_vectors() > 0)
            held.push_back(take_field_vector(8));
    });
    drain.join();
    std::set<const Field*> storage;
    std::thread sink([&] {
        std::vector<Record> batch;
        for (int i = 0; i < 640; ++i) {
            batch.push_back(record_with(24));
            storage.insert(batch.back().fields.data());
        }
        batch.clear();  // destroyed here: to the shared pool 64 at a time
    });
    sink.join();  // its cache is flushed at thread exit too
    EXPECT_GE(pooled_field_vectors(), 64u);
    const Field* taken = nullptr;
    std::thread builder([&] { taken = take_field_vector(24).data(); });
    builder.join();
    EXPECT_TRUE(storage.count(taken) == 1) << "the builder got a vector the sink did not free";
}

TEST(FieldPoolTest, ARecordThatOutlivesItsThreadsCacheIsFreedPlainly) {
    // A thread-local made before the thread's pool cache is destroyed after it: its record's
    // destructor then runs with the cache gone and must neither use it nor crash.
    struct Holder {
        Record record;
    };
    std::thread t([] {
        thread_local Holder holder;
        holder.record = record_with(24);  // the first take: the cache is made now, after holder
    });
    t.join();
    SUCCEED();
}

TEST(FieldPoolTest, ThePoolStaysBounded) {
    std::thread sink([] {
        std::vector<Record> many;
        for (int i = 0; i < 10000; ++i)
            many.push_back(record_with(24));
    });  // 10,000 vectors die at once
    sink.join();
    EXPECT_LE(pooled_field_vectors(), 4096u);
}

}  // namespace
}  // namespace netfeed
