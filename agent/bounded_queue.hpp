// A bounded multi-producer multi-consumer queue joining pipeline stages: producers either wait
// for room (backpressure) or are refused (the caller counts a drop); it never grows past capacity.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <mutex>
#include <vector>

namespace netfeed {

template <class T>
class BoundedQueue {
  public:
    explicit BoundedQueue(std::size_t capacity) : capacity_(capacity == 0 ? 1 : capacity) {}
    BoundedQueue(const BoundedQueue&) = delete;
    BoundedQueue& operator=(const BoundedQueue&) = delete;

    /// Adds without waiting; false when full or closed (the item is left untouched).
    bool try_push(T& item) {
        std::unique_lock lock(mutex_);
        if (closed_ || items_.size() >= capacity_) return false;
        items_.push_back(std::move(item));
        lock.unlock();
        not_empty_.notify_one();
        return true;
    }

    /// Waits until there is room or `deadline`; false on timeout or when closed.
    template <class Clock, class Duration>
    bool push_until(T& item, std::chrono::time_point<Clock, Duration> deadline) {
        std::unique_lock lock(mutex_);
        if (!not_full_.wait_until(lock, deadline,
                                  [&] { return closed_ || items_.size() < capacity_; })) {
            return false;
        }
        if (closed_) return false;
        items_.push_back(std::move(item));
        lock.unlock();
        not_empty_.notify_one();
        return true;
    }

    /// Moves as many items from the front of `items` as fit without waiting; returns how many
    /// were taken (they are erased from `items`).
    std::size_t try_push_batch(std::vector<T>& items) {
        std::unique_lock lock(mutex_);
        if (closed_) return 0;
        const std::size_t room = capacity_ - items_.size();
        const std::size_t n = items.size() < room ? items.size() : room;
        for (std::size_t i = 0; i < n; ++i)
            items_.push_back(std::move(items[i]));
        lock.unlock();
        if (n > 0) not_empty_.notify_all();
        items.erase(items.begin(), items.begin() + static_cast<std::ptrdiff_t>(n));
        return n;
    }

    /// Moves all of `items` in, waiting for room as needed, until `deadline`. Returns how many
    /// were taken (erased from the front of `items`); fewer than all on timeout or close.
    template <class Clock, class Duration>
    std::size_t push_batch_until(std::vector<T>& items,
                                 std::chrono::time_point<Clock, Duration> deadline) {
        std::size_t taken = 0;
        std::unique_lock lock(mutex_);
        while (taken < items.size()) {
            if (!not_full_.wait_until(lock, deadline,
                                      [&] { return closed_ || items_.size() < capacity_; }) ||
                closed_) {
                break;
            }
            while (taken < items.size() && items_.size() < capacity_) {
                items_.push_back(std::move(items[taken++]));
            }
            not_empty_.notify_all();
        }
        lock.unlock();
        items.erase(items.begin(), items.begin() + static_cast<std::ptrdiff_t>(taken));
        return taken;
    }

    /// Appends up to `max` items to `out`, waiting until at least one is there, the queue is
    /// closed, or `deadline`. Returns the number taken; 0 with closed() true means drained.
    template <class Clock, class Duration>
    std::size_t pop_batch_until(std::vector<T>& out, std::size_t max,
                                std::chrono::time_point<Clock, Duration> deadline) {
        std::unique_lock lock(mutex_);
        not_empty_.wait_until(lock, deadline, [&] { return closed_ || !items_.empty(); });
        const std::size_t n = items_.size() < max ? items_.size() : max;
        for (std::size_t i = 0; i < n; ++i) {
            out.push_back(std::move(items_.front()));
            items_.pop_front();
        }
        lock.unlock();
        if (n > 0) not_full_.notify_all();
        return n;
    }

    /// Refuses further pushes and wakes every waiter; what is queued can still be popped.
    void close() {
        {
            std::lock_guard lock(mutex_);
            closed_ = true;
        }
        not_empty_.notify_all();
        not_full_.notify_all();
    }

    bool closed() const {
        std::lock_guard lock(mutex_);
        return closed_;
    }
    /// True once closed and empty: nothing will ever come out again.
    bool drained() const {
        std::lock_guard lock(mutex_);
        return closed_ && items_.empty();
    }
    std::size_t size() const {
        std::lock_guard lock(mutex_);
        return items_.size();
    }
    std::size_t capacity() const noexcept { return capacity_; }

  private:
    const std::size_t capacity_;
    mutable std::mutex mutex_;
    std::condition_variable not_empty_;
    std::condition_variable not_full_;
    std::deque<T> items_;
    bool closed_ = false;
};

}  // namespace netfeed
