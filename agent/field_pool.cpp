// See field_pool.hpp.
#include "agent/field_pool.hpp"

#include <algorithm>
#include <mutex>
#include <utility>

namespace netfeed {

namespace {

// Vectors move between a thread's cache and the shared pool this many at a time, so the pool's
// lock is taken once per batch of records, not once per record.
constexpr std::size_t kBatch = 64;
// At most this many vectors wait in the shared pool (about 8 MiB of flow-sized vectors): the
// records in flight are bounded by the queues anyway, this only bounds what is kept idle.
constexpr std::size_t kPoolBound = 4096;
// Only vectors of a record's usual size are kept: a tiny one would be grown again at once, and
// a huge one (a wide NX-API row) would hold memory for nothing.
constexpr std::size_t kMinCapacity = 8;
constexpr std::size_t kMaxCapacity = 96;

using Vectors = std::vector<std::vector<Field>>;

struct SharedPool {
    std::mutex mutex;
    Vectors vectors;
};

SharedPool& shared() {
    static SharedPool* pool = new SharedPool();  // never destroyed: records may die at exit
    return *pool;
}

// Per thread: what it took from the pool and has not used yet, and what records it destroyed
// gave back and it has not handed to the pool yet.
// Set when this thread's cache is destroyed at thread exit: a record destroyed after that (by
// another thread-local or static object) must not touch it. A plain bool has no destructor, so
// it stays readable until the thread is gone.
thread_local bool cache_gone = false;

struct ThreadCache {
    Vectors ready;
    Vectors returned;

    ~ThreadCache() {
        flush();
        cache_gone = true;
    }

    void flush() noexcept {
        if (returned.empty()) return;
        SharedPool& pool = shared();
        std::lock_guard lock(pool.mutex);
        for (auto& v : returned) {
            if (pool.vectors.size() >= kPoolBound) break;
            pool.vectors.push_back(std::move(v));
        }
        returned.clear();  // what did not fit is freed here
    }
};

ThreadCache& cache() {
    thread_local ThreadCache c;
    return c;
}

}  // namespace

std::vector<Field> take_field_vector(std::size_t capacity) {
    std::vector<Field> out;
    if (cache_gone) {
        out.reserve(capacity);
        return out;
    }
    ThreadCache& c = cache();
    if (!c.returned.empty()) {
        // A thread that both builds and destroys records (a replay, a test) serves itself first:
        // the vector it freed last is still in its CPU cache.
        out = std::move(c.returned.back());
        c.returned.pop_back();
    } else {
        if (c.ready.empty()) {
            SharedPool& pool = shared();
            std::lock_guard lock(pool.mutex);
            const std::size_t n = std::min(kBatch, pool.vectors.size());
            for (std::size_t i = 0; i < n; ++i) {
                c.ready.push_back(std::move(pool.vectors.back()));
                pool.vectors.pop_back();
            }
        }
        if (!c.ready.empty()) {
            out = std::move(c.ready.back());
            c.ready.pop_back();
        }
    }
    out.reserve(capacity);
    return out;
}

void recycle_field_vector(std::vector<Field>&& fields) noexcept {
    const std::size_t capacity = fields.capacity();
    if (capacity < kMinCapacity || capacity > kMaxCapacity || cache_gone) return;  // caller frees
    fields.clear();
    try {
        ThreadCache& c = cache();
        c.returned.push_back(std::move(fields));
        if (c.returned.size() >= kBatch) c.flush();
    } catch (...) {
        // No memory for the bookkeeping: the vector is simply freed by the caller.
    }
}

std::size_t pooled_field_vectors() noexcept {
    SharedPool& pool = shared();
    std::lock_guard lock(pool.mutex);
    return pool.vectors.size();
}

}  // namespace netfeed
