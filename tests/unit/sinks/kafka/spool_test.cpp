// The Kafka spool on a real temporary directory: append, release, reopen, recovery from
// damaged and truncated segments, overflow policies and the checkpoint.
#include "sinks/kafka/spool.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

namespace netfeed::kafka {
namespace {

namespace fs = std::filesystem;

class SpoolTest : public ::testing::Test {
  protected:
    void SetUp() override {
        dir_ = fs::temp_directory_path() /
               ("netfeed-spool-test-" + std::to_string(::getpid()) + "-" +
                ::testing::UnitTest::GetInstance()->current_test_info()->name());
        fs::remove_all(dir_);
        settings_.dir = dir_.string();
        settings_.max_bytes = 1 << 20;
        settings_.segment_bytes = 4096;
        settings_.fsync_interval = std::chrono::milliseconds(0);
    }
    void TearDown() override { fs::remove_all(dir_); }

    std::unique_ptr<Spool> open(SpoolRecovery* recovery = nullptr) {
        SpoolRecovery ignored;
        return Spool::open(settings_, recovery ? *recovery : ignored);
    }

    /// Appends records "v<n>" for n in [from, to) and commits them; returns their seqs.
    static std::vector<std::uint64_t> append(Spool& spool, int from, int to,
                                             std::uint64_t* overflowed = nullptr) {
        std::vector<std::uint64_t> seqs;
        spool.begin_batch();
        for (int n = from; n < to; ++n) {
            const std::string value = "v" + std::to_string(n);
            SpoolRecord r;
            r.topic = "t";
            r.kind = "syslog";
            r.device = "dev";
            r.key = "k";
            r.has_key = true;
            r.value = value;
            std::uint64_t dropped = 0;
            if (spool.append(r, dropped)) seqs.push_back(r.seq);
            if (overflowed) *overflowed += dropped;
        }
        std::string error;
        EXPECT_TRUE(spool.commit(error)) << error;
        return seqs;
    }

    static std::vector<std::string> read_all(const Spool& spool, std::uint64_t from = 0) {
        Spool::Reader reader(spool, from);
        std::vector<std::string> values;
        SpoolRecord r;
        while (reader.next(r))
            values.emplace_back(r.value);
        EXPECT_TRUE(reader.caught_up());
        return values;
    }

    static std::vector<std::string> names(int from, int to) {
        std::vector<std::string> out;
        for (int n = from; n < to; ++n)
            out.push_back("v" + std::to_string(n));
        return out;
    }

    std::vector<fs::path> segments() const {
        std::vector<fs::path> out;
        for (const auto& e : fs::directory_iterator(dir_))
            if (e.path().extension() == ".seg") out.push_back(e.path());
        std::sort(out.begin(), out.end());
        return out;
    }

    fs::path dir_;
    SpoolSettings settings_;
};

TEST_F(SpoolTest, FrameRoundTripAndCrcCatchesAFlippedBit) {
    SpoolRecord r;
    r.seq = 42;
    r.appended_ms = 1234;
    r.topic = "netfeed.syslog";
    r.kind = "syslog";
    r.device = "r1";
    r.key = "r1";
    r.has_key = true;
    r.value = R"({"message":"hello"})";
    r.partitioner = 1;
    std::string bytes;
    encode_frame(r, bytes);
    SpoolRecord back;
    std::size_t size = 0;
    ASSERT_EQ(decode_frame(bytes, 1 << 20, back, size), FrameCheck::ok);
    EXPECT_EQ(size, bytes.size());
    EXPECT_EQ(back.seq, 42u);
    EXPECT_EQ(back.appended_ms, 1234);
    EXPECT_EQ(back.topic, "netfeed.syslog");
    EXPECT_EQ(back.value, r.value);
    EXPECT_TRUE(back.has_key);
    EXPECT_FALSE(back.tombstone);
    EXPECT_EQ(back.partitioner, 1);
    EXPECT_EQ(
        decode_frame(std::string_view(bytes).substr(0, bytes.size() - 1), 1 << 20, back, size),
        FrameCheck::need_more);
    bytes[bytes.size() - 3] ^= 0x10;
    EXPECT_EQ(decode_frame(bytes, 1 << 20, back, size), FrameCheck::bad);
}

TEST_F(SpoolTest, Crc32cMatchesTheStandardCheckValue) {
    // CRC-32C of "123456789" is 0xE3069283 (RFC 3720 test vector).
    EXPECT_EQ(crc32c("123456789", 9), 0xE3069283u);
    EXPECT_EQ(crc32c_portable("123456789", 9), 0xE3069283u);
}

TEST_F(SpoolTest, Crc32cInstructionAndTableAgreeOnEveryLengthAndAlignment) {
    std::string bytes;
    for (int i = 0; i < 300; ++i)
        bytes.push_back(static_cast<char>(i * 131 + 7));
    for (std::size_t start = 0; start < 9; ++start) {
        for (std::size_t size = 0; start + size <= bytes.size(); size += 7) {
            ASSERT_EQ(crc32c(bytes.data() + start, size, 0x1234u),
                      crc32c_portable(bytes.data() + start, size, 0x1234u))
                << start << "+" << size;
        }
    }
}

TEST_F(SpoolTest, DecodeWithoutCrcCheckReadsAFrameThisProcessEncoded) {
    SpoolRecord r;
    r.seq = 7;
    r.topic = "t";
    r.kind = "k";
    r.device = "d";
    r.value = "{}";
    std::string bytes;
    encode_frame(r, bytes);
    bytes[bytes.size() - 1] ^= 0x10;  // a changed value: only the CRC check notices
    SpoolRecord back;
    std::size_t size = 0;
    EXPECT_EQ(decode_frame(bytes, 1 << 20, back, size), FrameCheck::bad);
    EXPECT_EQ(decode_frame(bytes, 1 << 20, back, size, CrcCheck::skip), FrameCheck::ok);
    EXPECT_EQ(back.seq, 7u);
    EXPECT_EQ(size, bytes.size());
}

TEST_F(SpoolTest, ReaderReturnsPendingRecordsInOrderAcrossSegments) {
    auto spool = open();
    const auto seqs = append(*spool, 0, 500);
    ASSERT_EQ(seqs.size(), 500u);
    EXPECT_GT(segments().size(), 3u) << "4 KiB segments must roll";
    EXPECT_EQ(read_all(*spool), names(0, 500));
    for (int n = 0; n < 100; ++n)
        spool->release(seqs[n]);
    spool->release(seqs[150]);
    auto expected = names(100, 500);
    expected.erase(expected.begin() + 50);
    EXPECT_EQ(read_all(*spool), expected);
    EXPECT_EQ(spool->records(), 399u);
    EXPECT_EQ(spool->lowest_pending(), seqs[100]);
}

TEST_F(SpoolTest, UnreadGivesTheSameRecordAgain) {
    auto spool = open();
    append(*spool, 0, 3);
    Spool::Reader reader(*spool, 0);
    SpoolRecord r;
    ASSERT_TRUE(reader.next(r));
    ASSERT_TRUE(reader.next(r));
    EXPECT_EQ(r.value, "v1");
    reader.unread();
    ASSERT_TRUE(reader.next(r));
    EXPECT_EQ(r.value, "v1");
    ASSERT_TRUE(reader.next(r));
    EXPECT_EQ(r.value, "v2");
    EXPECT_FALSE(reader.next(r));
}

TEST_F(SpoolTest, ReopenReplaysWhatWasNotReleasedAndKeepsSeqsUnique) {
    std::uint64_t last = 0;
    {
        auto spool = open();
        const auto seqs = append(*spool, 0, 300);
        for (int n = 0; n < 120; ++n)
            spool->release(seqs[n]);
        spool->sync();  // the checkpoint names the lowest pending seq
        last = seqs.back();
    }
    SpoolRecovery recovery;
    auto spool = open(&recovery);
    EXPECT_EQ(recovery.backlog, 180u);
    EXPECT_TRUE(recovery.damage.empty());
    EXPECT_EQ(read_all(*spool), names(120, 300));
    EXPECT_GT(spool->next_seq(), last);
    EXPECT_EQ(spool->first_seq_this_run(), spool->next_seq());
    const auto more = append(*spool, 300, 310);
    EXPECT_EQ(more.front(), last + 1);
    EXPECT_EQ(read_all(*spool), names(120, 310));
}

TEST_F(SpoolTest, ReleasedSegmentsAreDeletedAfterTheCheckpoint) {
    auto spool = open();
    const auto seqs = append(*spool, 0, 500);
    const auto before = segments().size();
    for (auto seq : seqs)
        spool->release(seq);
    spool->sync();
    EXPECT_LT(segments().size(), before);
    EXPECT_EQ(segments().size(), 1u) << "only the active segment stays";
    EXPECT_EQ(spool->records(), 0u);
}

TEST_F(SpoolTest, LockRefusesASecondOpener) {
    auto spool = open();
    EXPECT_THROW(open(), std::runtime_error);
}

TEST_F(SpoolTest, GarbageInASegmentIsSkippedAndCounted) {
    {
        auto spool = open();
        append(*spool, 0, 200);
    }
    const auto files = segments();
    ASSERT_GE(files.size(), 3u);
    // Overwrite bytes in the middle of the second segment.
    {
        std::fstream f(files[1], std::ios::in | std::ios::out | std::ios::binary);
        f.seekp(100);
        const std::string garbage(150, '\xA5');
        f.write(garbage.data(), static_cast<std::streamsize>(garbage.size()));
    }
    SpoolRecovery recovery;
    auto spool = open(&recovery);
    ASSERT_EQ(recovery.damage.size(), 1u);
    EXPECT_EQ(recovery.damage[0].file, files[1].string());
    // The damage starts at the frame the garbage hit, at or before the first garbage byte.
    EXPECT_LE(recovery.damage[0].offset, 100u);
    EXPECT_GT(recovery.damage[0].offset, 0u);
    const auto values = read_all(*spool);
    EXPECT_EQ(values.size() + recovery.damage[0].records, 200u);
    EXPECT_GT(recovery.damage[0].records, 0u);
    EXPECT_EQ(recovery.backlog, values.size());
    // What survives is in order, and everything outside the damage is there.
    EXPECT_EQ(values.front(), "v0");
    EXPECT_EQ(values.back(), "v199");
}

TEST_F(SpoolTest, TruncatedTailIsSkippedAndCounted) {
    {
        auto spool = open();
        append(*spool, 0, 50);
    }
    const auto files = segments();
    const auto last = files.back();
    fs::resize_file(last, fs::file_size(last) - 5);
    SpoolRecovery recovery;
    auto spool = open(&recovery);
    ASSERT_EQ(recovery.damage.size(), 1u);
    EXPECT_EQ(recovery.damage[0].records, 1u);
    EXPECT_EQ(read_all(*spool), names(0, 49));
}

TEST_F(SpoolTest, RefuseNewestKeepsTheOldRecords) {
    settings_.max_bytes = 16384;
    auto spool = open();
    const auto seqs = append(*spool, 0, 1000);
    EXPECT_LT(seqs.size(), 1000u);
    EXPECT_GT(seqs.size(), 100u);
    EXPECT_LE(spool->bytes(), settings_.max_bytes);
    EXPECT_EQ(read_all(*spool), names(0, static_cast<int>(seqs.size())));
}

TEST_F(SpoolTest, DropOldestKeepsTheNewRecordsAndCountsWhatWasNotProduced) {
    settings_.max_bytes = 16384;
    settings_.overflow = SpoolOverflow::drop_oldest;
    auto spool = open();
    // Half of the first records went to Kafka already: their loss is not the spool's.
    std::uint64_t overflowed = 0;
    const auto first = append(*spool, 0, 100, &overflowed);
    for (int n = 0; n < 50; ++n)
        spool->mark_produced(first[n]);
    const auto later = append(*spool, 100, 1000, &overflowed);
    EXPECT_EQ(later.size(), 900u) << "drop_oldest never refuses";
    EXPECT_LE(spool->bytes(), settings_.max_bytes);
    const auto values = read_all(*spool);
    ASSERT_FALSE(values.empty());
    EXPECT_EQ(values.back(), "v999");
    // Everything not readable any more was either dropped (counted) or in Kafka's hands.
    const std::uint64_t kept = values.size();
    EXPECT_EQ(kept + overflowed + 50, 1000u);
    EXPECT_EQ(spool->records(), kept);
}

TEST_F(SpoolTest, OldestAgeIsZeroWhenEmpty) {
    auto spool = open();
    EXPECT_EQ(spool->oldest_age_seconds(), 0);
    const auto seqs = append(*spool, 0, 1);
    EXPECT_GE(spool->oldest_age_seconds(), 0);
    spool->release(seqs[0]);
    EXPECT_EQ(spool->oldest_age_seconds(), 0);
}

}  // namespace
}  // namespace netfeed::kafka
