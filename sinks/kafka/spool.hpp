// The Kafka sink's write-ahead log on disk: every record is appended here before librdkafka
// gets it and released when Kafka acknowledges it, so neither a crash nor an outage of any
// length (up to max_bytes) loses what the agent accepted. Single-threaded: the sink's thread
// owns it; the statistics are atomics that other threads may read.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <deque>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sinks/kafka/spool_frame.hpp"

namespace netfeed::kafka {

enum class SpoolOverflow { refuse_newest, drop_oldest };

struct SpoolSettings {
    std::string dir;
    std::uint64_t max_bytes = 1ull << 30;
    std::uint64_t segment_bytes = 16ull << 20;
    SpoolOverflow overflow = SpoolOverflow::refuse_newest;
    /// How often appended data is fsynced and the checkpoint rewritten; zero: every batch.
    std::chrono::milliseconds fsync_interval{1000};
    /// Frames longer than this are damage (the largest record the sink accepts, plus room).
    std::uint32_t max_frame_bytes = 64u << 20;
};

/// Damage found when opening: `records` sequence numbers lost in `file` from `offset`.
struct SpoolDamage {
    std::string file;
    std::uint64_t offset = 0;
    std::uint64_t records = 0;
};

/// What opening the spool found.
struct SpoolRecovery {
    std::uint64_t backlog = 0;          // unacknowledged records to replay
    std::uint64_t produced_before = 0;  // seqs below this may have reached Kafka already
    std::vector<SpoolDamage> damage;
};

class Spool {
  public:
    /// Opens (creating) the directory, takes its lock and scans the segments. Throws
    /// std::runtime_error with one sentence when the directory cannot be used.
    static std::unique_ptr<Spool> open(const SpoolSettings& settings, SpoolRecovery& recovery);
    ~Spool();
    Spool(const Spool&) = delete;
    Spool& operator=(const Spool&) = delete;

    /// Frames `record` (its seq and time are assigned here) into the write buffer. Returns false
    /// when the spool is full and the policy refuses it. With drop_oldest, `overflowed` grows by
    /// the records of removed segments that had not been handed to Kafka.
    bool append(SpoolRecord& record, std::uint64_t& overflowed);
    /// Writes the buffered frames to the segment file (page cache: survives a process crash);
    /// with a zero fsync interval also fsyncs. False with `error` when the disk refused.
    bool commit(std::string& error);
    /// The frames appended since the last begin_batch(), valid until the next begin_batch().
    std::string_view batch() const noexcept { return buffer_; }
    void begin_batch();

    /// The record went to librdkafka (a drop_oldest overflow then no longer counts it as lost).
    void mark_produced(std::uint64_t seq) noexcept;
    /// Kafka acknowledged the record, or it failed for good: it need not be kept any more.
    void release(std::uint64_t seq) noexcept;
    /// True when `seq` still waits for an acknowledgement.
    bool pending(std::uint64_t seq) const noexcept;

    /// fsync and checkpoint when the interval elapsed, and delete fully released segments.
    void maintain(std::chrono::steady_clock::time_point now);
    /// fsync and checkpoint now (at shutdown).
    void sync();

    std::uint64_t next_seq() const noexcept { return next_seq_; }
    std::uint64_t lowest_pending() const noexcept { return base_; }
    std::uint64_t first_seq_this_run() const noexcept { return run_first_seq_; }

    // Statistics, readable from any thread.
    std::uint64_t bytes() const noexcept { return bytes_.load(std::memory_order_relaxed); }
    std::uint64_t records() const noexcept { return unacked_.load(std::memory_order_relaxed); }
    std::uint64_t capacity() const noexcept { return settings_.max_bytes; }
    double oldest_age_seconds() const noexcept;
    /// Time spent in the last fsync, for the histogram.
    double take_fsync_seconds() noexcept;
    const SpoolSettings& settings() const noexcept { return settings_; }

    /// Reads the spooled records in order from a sequence number on, across segments, skipping
    /// released records and damage. Reads what commit() wrote; never the write buffer.
    class Reader {
      public:
        Reader(const Spool& spool, std::uint64_t from_seq);
        ~Reader();
        Reader(const Reader&) = delete;
        Reader& operator=(const Reader&) = delete;
        /// The next pending record (views valid until the next call); false when everything
        /// written so far has been read.
        bool next(SpoolRecord& record);
        /// Gives the record last returned by next() back: next() returns it again.
        void unread() noexcept;
        /// True when the last next() found nothing more in the newest segment.
        bool caught_up() const noexcept { return caught_up_; }

      private:
        bool load(std::size_t at_least);
        const Spool& spool_;
        std::uint64_t next_seq_;
        std::uint64_t segment_first_ = 0;
        std::uint64_t file_offset_ = 0;  // of buffer_[0] in the segment file
        std::string buffer_;
        std::size_t pos_ = 0;
        std::size_t last_pos_ = 0;
        std::uint64_t last_seq_ = 0;
        bool caught_up_ = false;
        int fd_ = -1;
    };

  private:
    struct Segment {
        std::uint64_t first_seq = 0;
        std::uint64_t end_seq = 0;  // one past the last record
        std::uint64_t bytes = 0;    // written to the file
        std::string path;
    };
    enum State : std::uint8_t { waiting = 0, in_kafka = 1, done = 2 };

    explicit Spool(SpoolSettings settings);
    void recover(SpoolRecovery& recovery);
    void start_segment();
    bool write_out(std::string& error);
    void drop_oldest_segment(std::uint64_t& overflowed);
    void advance_base() noexcept;
    void write_checkpoint();
    void delete_released_segments();
    std::string segment_path(std::uint64_t first_seq) const;
    const Segment* segment_of(std::uint64_t seq) const noexcept;
    std::uint64_t written_bytes(const Segment& s) const noexcept;

    SpoolSettings settings_;
    int lock_fd_ = -1;
    int fd_ = -1;  // the active (last) segment
    std::deque<Segment> segments_;
    std::string buffer_;
    std::size_t buffer_written_ = 0;  // prefix of buffer_ already in the file

    std::uint64_t base_ = 0;  // lowest seq still tracked in states_
    std::deque<std::uint8_t> states_;
    std::uint64_t next_seq_ = 0;
    std::uint64_t run_first_seq_ = 0;
    std::uint64_t produced_upto_ = 0;  // one past the highest seq handed to Kafka
    /// (seq, Unix ms) samples at most one per second: the age of the oldest pending record.
    std::deque<std::pair<std::uint64_t, std::int64_t>> times_;

    bool dirty_ = false;  // written since the last fsync
    std::uint64_t checkpointed_base_ = ~0ull;
    std::uint64_t checkpointed_next_ = ~0ull;
    std::chrono::steady_clock::time_point last_sync_{};

    std::atomic<std::uint64_t> bytes_{0};
    std::atomic<std::uint64_t> unacked_{0};
    std::atomic<std::int64_t> oldest_ms_{0};  // 0: none pending
    std::int64_t batch_ms_ = 0;               // Unix ms of this batch's appends; 0: not read yet
    std::atomic<double> fsync_seconds_{-1};
};

}  // namespace netfeed::kafka
