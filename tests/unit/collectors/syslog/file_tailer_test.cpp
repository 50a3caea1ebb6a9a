// FileTailer on real files: appends, partial, CRLF and long lines, rotation by rename and by
// truncation while running and while stopped, and restarts from saved positions.
#include "collectors/syslog/file_tailer.hpp"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <memory>
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <string>
#include <vector>

namespace netfeed::syslog {
namespace {

namespace fs = std::filesystem;
using Lines = std::vector<std::string>;

bool contains(const std::vector<std::string>& notices, const std::string& part) {
    for (const auto& notice : notices) {
        if (notice.find(part) != std::string::npos) return true;
    }
    return false;
}

class FileTailerTest : public ::testing::Test {
  protected:
    void SetUp() override {
        std::string pattern = (fs::temp_directory_path() / "netfeed_tailer_XXXXXX").string();
        ASSERT_NE(::mkdtemp(pattern.data()), nullptr);
        dir_ = pattern;
        log_ = path("r1.log");
    }
    void TearDown() override { fs::remove_all(dir_); }

    std::string path(const std::string& name) const { return dir_ + "/" + name; }

    /// Reads everything from the start, persists positions, closes rotated files at once.
    FileTailerOptions options() const {
        FileTailerOptions options;
        options.paths = {path("*.log")};
        options.start_at_end = false;
        options.state_file = path("positions.json");
        options.rotate_wait_polls = 0;
        return options;
    }

    static void append(const std::string& file, const std::string& text) {
        std::ofstream(file, std::ios::app | std::ios::binary) << text;
    }

    /// Appends numbered lines ("line 0", "line 1", ...), numbered across the whole test.
    void write_lines(const std::string& file, int count) {
        std::string text;
        for (int i = 0; i < count; ++i) {
            written_.push_back("line " + std::to_string(next_++));
            text += written_.back() + "\n";
        }
        append(file, text);
    }

    /// The lines one poll delivers; every delivered line is also kept in delivered_.
    Lines poll(FileTailer& tailer) {
        Lines lines;
        const std::size_t count = tailer.poll([&](std::string_view line, const std::string& from) {
            lines.emplace_back(line);
            paths_.push_back(from);
        });
        EXPECT_EQ(count, lines.size());
        delivered_.insert(delivered_.end(), lines.begin(), lines.end());
        return lines;
    }

    /// Stops the agent gracefully: positions saved, tailer gone.
    void stop(std::unique_ptr<FileTailer>& tailer) {
        ASSERT_TRUE(tailer->save_state());
        tailer.reset();
    }

    std::string dir_;
    std::string log_;
    int next_ = 0;
    Lines written_;
    Lines delivered_;
    std::vector<std::string> paths_;
};

TEST_F(FileTailerTest, StartAtEndSkipsWhatTheFirstStartFinds) {
    append(log_, "old 1\nold 2\n");
    auto opts = options();
    opts.start_at_end = true;
    FileTailer tailer(opts);
    EXPECT_EQ(poll(tailer), Lines{});
    append(log_, "new\n");
    EXPECT_EQ(poll(tailer), Lines{"new"});
}

TEST_F(FileTailerTest, StartAtEndKeepsTheLineBeingWritten) {
    append(log_, "old\nhal");
    auto opts = options();
    opts.start_at_end = true;
    FileTailer tailer(opts);
    EXPECT_EQ(poll(tailer), Lines{});
    append(log_, "f\n");
    EXPECT_EQ(poll(tailer), Lines{"half"});
}

TEST_F(FileTailerTest, StartAtBeginningReadsWhatIsThere) {
    append(log_, "old 1\nold 2\n");
    FileTailer tailer(options());
    EXPECT_EQ(poll(tailer), (Lines{"old 1", "old 2"}));
    EXPECT_EQ(poll(tailer), Lines{});
}

TEST_F(FileTailerTest, StartAtEndAppliesToTheFirstStartOnly) {
    auto opts = options();
    opts.start_at_end = true;
    append(log_, "before the first start\n");
    auto tailer = std::make_unique<FileTailer>(opts);
    EXPECT_EQ(poll(*tailer), Lines{});
    stop(tailer);

    write_lines(log_, 2);
    write_lines(path("r2.log"), 2);  // appeared while stopped: read from its start
    tailer = std::make_unique<FileTailer>(opts);
    poll(*tailer);
    EXPECT_EQ(delivered_, written_);
}

TEST_F(FileTailerTest, AppendsAcrossSeveralPolls) {
    FileTailer tailer(options());
    for (int round = 0; round < 5; ++round) {
        const auto before = written_.size();
        write_lines(log_, round + 1);
        EXPECT_EQ(poll(tailer), Lines(written_.begin() + before, written_.end()));
    }
    EXPECT_EQ(tailer.stats().lines, written_.size());
    EXPECT_EQ(tailer.stats().bytes, fs::file_size(log_));
}

TEST_F(FileTailerTest, PartialLineIsHeldUntilItsNewline) {
    FileTailer tailer(options());
    append(log_, "abc");
    EXPECT_EQ(poll(tailer), Lines{});
    append(log_, "def");
    EXPECT_EQ(poll(tailer), Lines{});
    append(log_, "\nxyz\n");
    EXPECT_EQ(poll(tailer), (Lines{"abcdef", "xyz"}));
}

TEST_F(FileTailerTest, LinesSpanningReadChunks) {
    auto opts = options();
    opts.read_chunk_bytes = 3;
    FileTailer tailer(opts);
    append(log_, "a\nbcdefg\n\nhi\njklmnopq\n");
    EXPECT_EQ(poll(tailer), (Lines{"a", "bcdefg", "hi", "jklmnopq"}));
}

TEST_F(FileTailerTest, CrLfIsStrippedAndEmptyLinesAreSkipped) {
    FileTailer tailer(options());
    append(log_, "one\r\n\r\n\ntwo\r\nthree\nin\rside\n");
    EXPECT_EQ(poll(tailer), (Lines{"one", "two", "three", "in\rside"}));
}

TEST_F(FileTailerTest, LongLinesAreCutIntoPieces) {
    auto opts = options();
    opts.max_line_bytes = 4;
    opts.read_chunk_bytes = 3;
    FileTailer tailer(opts);
    append(log_, "abcdefghij\nxy\nabcd\n");
    EXPECT_EQ(poll(tailer), (Lines{"abcd", "efgh", "ij", "xy", "abcd"}));
    EXPECT_EQ(tailer.stats().long_lines, 1u);

    // Cut while still incomplete, so the held part never exceeds max_line_bytes.
    append(log_, "123456");
    EXPECT_EQ(poll(tailer), Lines{"1234"});
    append(log_, "78\n");
    EXPECT_EQ(poll(tailer), Lines{"5678"});
    EXPECT_EQ(tailer.stats().long_lines, 2u);
}

TEST_F(FileTailerTest, RenameRotationWhileRunningFinishesTheOldFile) {
    FileTailer tailer(options());
    write_lines(log_, 3);
    poll(tailer);
    // logrotate "create": the last lines land in the old file after our last poll.
    write_lines(log_, 2);
    append(log_, "unterminated\r");
    written_.push_back("unterminated");
    fs::rename(log_, log_ + ".1");
    write_lines(log_, 2);
    poll(tailer);

    EXPECT_EQ(delivered_, written_);
    EXPECT_EQ(paths_, std::vector<std::string>(written_.size(), log_));
    EXPECT_EQ(tailer.stats().rotations, 1u);
    EXPECT_TRUE(contains(tailer.take_notices(), "renamed to " + log_ + ".1"));
    EXPECT_EQ(tailer.open_files(), 1u);
    append(log_ + ".1", "no longer followed\n");
    EXPECT_EQ(poll(tailer), Lines{});
}

TEST_F(FileTailerTest, RotatedFileStaysOpenForTheWritersLastLines) {
    auto opts = options();
    opts.rotate_wait_polls = 2;
    FileTailer tailer(opts);
    const int writer = ::open(log_.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
    ASSERT_GE(writer, 0);
    const auto write_old = [&](const std::string& line) {
        written_.push_back(line);
        const std::string text = line + "\n";
        ASSERT_EQ(::write(writer, text.data(), text.size()), static_cast<ssize_t>(text.size()));
    };
    write_old("old 1");
    EXPECT_EQ(poll(tailer), Lines{"old 1"});

    fs::rename(log_, log_ + ".1");
    append(log_, "new 1\n");
    written_.push_back("new 1");
    write_old("old 2");  // the writer has not reopened its log yet
    EXPECT_EQ(poll(tailer), (Lines{"old 2", "new 1"}));
    write_old("old 3");
    EXPECT_EQ(poll(tailer), Lines{"old 3"});
    EXPECT_EQ(tailer.open_files(), 2u);
    EXPECT_EQ(poll(tailer), Lines{});
    EXPECT_EQ(tailer.open_files(), 2u);
    EXPECT_EQ(poll(tailer), Lines{});
    EXPECT_EQ(tailer.open_files(), 1u);  // two polls without news
    ::close(writer);
    EXPECT_EQ(delivered_, (Lines{"old 1", "old 2", "new 1", "old 3"}));
}

TEST_F(FileTailerTest, RotatedWithinTheGlobKeepsBeingFollowed) {
    auto opts = options();
    opts.paths = {path("r1.log*")};
    FileTailer tailer(opts);
    write_lines(log_, 2);
    poll(tailer);
    write_lines(log_, 1);
    fs::rename(log_, log_ + ".1");
    write_lines(log_, 1);
    poll(tailer);
    EXPECT_EQ(delivered_, written_);
    EXPECT_EQ(tailer.stats().rotations, 0u);
    EXPECT_EQ(paths_[2], log_ + ".1");
    EXPECT_EQ(paths_[3], log_);
}

TEST_F(FileTailerTest, CopyTruncateWhileRunning) {
    FileTailer tailer(options());
    write_lines(log_, 3);
    poll(tailer);
    fs::copy_file(log_, log_ + ".1");
    fs::resize_file(log_, 0);
    write_lines(log_, 2);  // shorter than before
    poll(tailer);
    EXPECT_EQ(delivered_, written_);
    EXPECT_EQ(tailer.stats().truncations, 1u);
    EXPECT_TRUE(contains(tailer.take_notices(), "truncated"));
}

TEST_F(FileTailerTest, TruncatedAndRegrownBetweenPollsIsCaughtByItsFirstBytes) {
    FileTailer tailer(options());
    write_lines(log_, 2);
    poll(tailer);
    fs::resize_file(log_, 0);
    write_lines(log_, 5);  // already past the old position at the next poll
    poll(tailer);
    EXPECT_EQ(delivered_, written_);
    EXPECT_EQ(tailer.stats().truncations, 1u);
}

TEST_F(FileTailerTest, CopyTruncateWhileRunningReadsWhatOnlyTheCopyHolds) {
    FileTailer tailer(options());
    append(path("r1.log.0"), "an older copy, not ours\n");
    write_lines(log_, 3);
    append(log_, "line 3 in pro");
    EXPECT_EQ(poll(tailer), (Lines{"line 0", "line 1", "line 2"}));
    append(log_, "gress\n");
    written_.push_back("line 3 in progress");
    next_ = 4;
    write_lines(log_, 2);  // after the last poll: only the copy will hold them
    fs::copy_file(log_, log_ + ".1");
    fs::resize_file(log_, 0);
    write_lines(log_, 2);
    poll(tailer);
    EXPECT_EQ(delivered_, written_);
    EXPECT_EQ(paths_, std::vector<std::string>(written_.size(), log_));
    const auto notices = tailer.take_notices();
    EXPECT_TRUE(contains(notices, "its copy " + log_ + ".1"));
    EXPECT_EQ(tailer.open_files(), 2u);
    EXPECT_EQ(poll(tailer), Lines{});
    EXPECT_EQ(tailer.open_files(), 1u);  // the copy, read to its end, is closed
}

TEST_F(FileTailerTest, CopyTruncateWhileStoppedReadsTheRestFromTheCopy) {
    auto tailer = std::make_unique<FileTailer>(options());
    write_lines(log_, 3);
    poll(*tailer);
    stop(tailer);
    write_lines(log_, 2);
    fs::copy_file(log_, log_ + ".1");
    fs::resize_file(log_, 0);
    write_lines(log_, 1);
    tailer = std::make_unique<FileTailer>(options());
    EXPECT_TRUE(contains(tailer->take_notices(), "its copy " + log_ + ".1"));
    poll(*tailer);
    EXPECT_EQ(delivered_, written_);
    EXPECT_EQ(tailer->stats().truncations, 1u);
}

TEST_F(FileTailerTest, CopyTruncateWithTheCopyInsideTheGlob) {
    auto opts = options();
    opts.paths = {path("r1.log*")};
    FileTailer tailer(opts);
    write_lines(log_, 3);
    poll(tailer);
    write_lines(log_, 2);
    fs::copy_file(log_, log_ + ".1");
    fs::resize_file(log_, 0);
    write_lines(log_, 1);
    poll(tailer);
    write_lines(log_, 1);
    poll(tailer);
    EXPECT_EQ(delivered_, written_);  // the copy continues from the position, not from 0
    EXPECT_EQ(paths_[3], log_ + ".1");
    EXPECT_EQ(tailer.open_files(), 2u);
}

TEST_F(FileTailerTest, RewrittenWithTheSameStartBetweenPollsIsCaughtToo) {
    const std::string banner(2000, '#');
    FileTailer tailer(options());
    append(log_, banner + "\n");
    written_.push_back(banner);
    write_lines(log_, 3);
    poll(tailer);
    fs::resize_file(log_, 0);
    append(log_, banner + "\n");
    written_.push_back(banner);
    write_lines(log_, 10);
    poll(tailer);
    EXPECT_EQ(delivered_, written_);
    EXPECT_EQ(tailer.stats().truncations, 1u);
}

TEST_F(FileTailerTest, RewrittenWithTheSameStartIsCaughtByTheBytesBeforeThePosition) {
    const std::string banner(2000, '#');  // longer than the head fingerprint
    auto tailer = std::make_unique<FileTailer>(options());
    append(log_, banner + "\n");
    written_.push_back(banner);
    write_lines(log_, 3);
    poll(*tailer);
    stop(tailer);
    fs::resize_file(log_, 0);
    append(log_, banner + "\n");
    written_.push_back(banner);
    write_lines(log_, 10);
    tailer = std::make_unique<FileTailer>(options());
    poll(*tailer);
    EXPECT_EQ(delivered_, written_);
    EXPECT_EQ(tailer->stats().truncations, 1u);
}

TEST_F(FileTailerTest, TruncatedWhileStoppedBelowThePosition) {
    auto tailer = std::make_unique<FileTailer>(options());
    write_lines(log_, 5);
    poll(*tailer);
    stop(tailer);
    fs::resize_file(log_, 0);
    write_lines(log_, 1);
    tailer = std::make_unique<FileTailer>(options());
    poll(*tailer);
    EXPECT_EQ(delivered_, written_);
    EXPECT_EQ(tailer->stats().truncations, 1u);
}

TEST_F(FileTailerTest, TruncatedAndGrownPastThePositionWhileStopped) {
    auto tailer = std::make_unique<FileTailer>(options());
    write_lines(log_, 3);
    poll(*tailer);
    stop(tailer);
    fs::resize_file(log_, 0);
    write_lines(log_, 10);
    tailer = std::make_unique<FileTailer>(options());
    EXPECT_TRUE(contains(tailer->take_notices(), "rewritten while the agent was stopped"));
    poll(*tailer);
    EXPECT_EQ(delivered_, written_);
}

TEST_F(FileTailerTest, RenameRotationWhileStopped) {
    auto tailer = std::make_unique<FileTailer>(options());
    write_lines(log_, 3);
    poll(*tailer);
    stop(tailer);
    write_lines(log_, 2);
    fs::rename(log_, log_ + ".1");
    write_lines(log_, 2);
    tailer = std::make_unique<FileTailer>(options());
    EXPECT_TRUE(contains(tailer->take_notices(), "rotated while the agent was stopped"));
    poll(*tailer);
    EXPECT_EQ(delivered_, written_);
    EXPECT_EQ(paths_, std::vector<std::string>(written_.size(), log_));
    EXPECT_EQ(tailer->open_files(), 1u);
}

TEST_F(FileTailerTest, TwoRotationsWhileStoppedLoseTheFileNeverSeen) {
    auto tailer = std::make_unique<FileTailer>(options());
    write_lines(log_, 2);
    poll(*tailer);
    stop(tailer);
    write_lines(log_, 1);
    fs::rename(log_, log_ + ".1");
    write_lines(log_, 1);
    fs::rename(log_ + ".1", log_ + ".2");
    fs::rename(log_, log_ + ".1");
    write_lines(log_, 1);
    tailer = std::make_unique<FileTailer>(options());
    poll(*tailer);
    // A known limit: the middle file was created and rotated away while stopped, so nothing
    // says it was ever a log of ours (it no longer matches the glob).
    EXPECT_EQ(delivered_, (Lines{"line 0", "line 1", "line 2", "line 4"}));
}

TEST_F(FileTailerTest, RotatedFileUnfinishedAtStopIsFinishedAfterRestart) {
    auto opts = options();
    opts.rotate_wait_polls = 10;
    auto tailer = std::make_unique<FileTailer>(opts);
    write_lines(log_, 2);
    poll(*tailer);
    fs::rename(log_, log_ + ".1");
    write_lines(log_, 1);
    poll(*tailer);
    EXPECT_EQ(tailer->open_files(), 2u);
    stop(tailer);
    write_lines(log_ + ".1", 1);
    write_lines(log_, 1);
    tailer = std::make_unique<FileTailer>(opts);
    poll(*tailer);
    EXPECT_EQ(delivered_, (Lines{"line 0", "line 1", "line 2", "line 3", "line 4"}));
}

TEST_F(FileTailerTest, DeletedAndRecreatedWhileRunning) {
    FileTailer tailer(options());
    write_lines(log_, 2);
    poll(tailer);
    write_lines(log_, 1);
    append(log_, "last words");
    written_.push_back("last words");
    fs::remove(log_);
    write_lines(log_, 2);
    poll(tailer);
    EXPECT_EQ(delivered_, written_);
    EXPECT_TRUE(contains(tailer.take_notices(), "deleted"));
    EXPECT_EQ(tailer.open_files(), 1u);
}

TEST_F(FileTailerTest, DeletedWhileStoppedIsForgottenAndItsSuccessorReadFromTheStart) {
    auto tailer = std::make_unique<FileTailer>(options());
    write_lines(log_, 2);
    poll(*tailer);
    stop(tailer);
    fs::remove(log_);
    tailer = std::make_unique<FileTailer>(options());
    EXPECT_TRUE(contains(tailer->take_notices(), "gone while the agent was stopped"));
    EXPECT_EQ(tailer->open_files(), 0u);
    stop(tailer);
    const auto state = nlohmann::json::parse(std::ifstream(path("positions.json")));
    EXPECT_TRUE(state["files"].empty());

    write_lines(log_, 2);
    tailer = std::make_unique<FileTailer>(options());
    poll(*tailer);
    EXPECT_EQ(delivered_, written_);
}

TEST_F(FileTailerTest, GlobPicksUpNewFilesFromTheirStart) {
    auto opts = options();
    opts.start_at_end = true;
    append(log_, "skipped\n");
    FileTailer tailer(opts);
    EXPECT_EQ(poll(tailer), Lines{});
    append(path("r2.log"), "first\nsecond\n");
    append(path("r2.txt"), "not matched\n");
    fs::create_directory(path("dir.log"));
    EXPECT_EQ(poll(tailer), (Lines{"first", "second"}));
    EXPECT_EQ(paths_, (std::vector<std::string>{path("r2.log"), path("r2.log")}));
    EXPECT_EQ(tailer.open_files(), 2u);
}

TEST_F(FileTailerTest, TwoFilesInParallel) {
    FileTailer tailer(options());
    const std::string other = path("r2.log");
    Lines first, second;
    for (int round = 0; round < 3; ++round) {
        for (int i = 0; i < 3; ++i) {
            const std::string a = "a" + std::to_string(round) + "." + std::to_string(i);
            const std::string b = "b" + std::to_string(round) + "." + std::to_string(i);
            append(log_, a + "\n");
            append(other, b + "\n");
            first.push_back(a);
            second.push_back(b);
        }
        poll(tailer);
    }
    Lines from_first, from_second;
    for (std::size_t i = 0; i < delivered_.size(); ++i) {
        (paths_[i] == log_ ? from_first : from_second).push_back(delivered_[i]);
    }
    EXPECT_EQ(from_first, first);
    EXPECT_EQ(from_second, second);
}

TEST_F(FileTailerTest, CorruptStateFileStartsFresh) {
    append(path("positions.json"), "{\"version\": 1, \"files\": [{\"path\": ");
    append(log_, "present at start\n");
    auto opts = options();
    opts.start_at_end = true;
    auto tailer = std::make_unique<FileTailer>(opts);
    EXPECT_TRUE(contains(tailer->take_notices(), "is corrupt"));
    EXPECT_EQ(tailer->stats().state_errors, 1u);
    EXPECT_EQ(poll(*tailer), Lines{});  // a first start: start_at_end applies
    write_lines(log_, 1);
    poll(*tailer);
    stop(tailer);

    write_lines(log_, 1);
    tailer = std::make_unique<FileTailer>(opts);
    EXPECT_EQ(tailer->take_notices(), std::vector<std::string>{});
    poll(*tailer);
    EXPECT_EQ(delivered_, written_);
}

TEST_F(FileTailerTest, StateWithWrongTypesIsCorrupt) {
    append(path("positions.json"),
           R"({"version": 1, "files": [{"path": "x", "device": 1, "inode": -2, "offset": 0,
               "fingerprint": "0", "fingerprint_bytes": 0}]})");
    FileTailer tailer(options());
    EXPECT_TRUE(contains(tailer.take_notices(), "is corrupt"));
}

TEST_F(FileTailerTest, PartialLineAtStopIsReadWholeAfterRestart) {
    auto tailer = std::make_unique<FileTailer>(options());
    append(log_, "line 0\nline");
    EXPECT_EQ(poll(*tailer), Lines{"line 0"});
    stop(tailer);
    append(log_, " 1\n");
    tailer = std::make_unique<FileTailer>(options());
    EXPECT_EQ(poll(*tailer), Lines{"line 1"});
}

TEST_F(FileTailerTest, HandlerExceptionRewindsToTheLine) {
    auto tailer = std::make_unique<FileTailer>(options());
    write_lines(log_, 5);
    int calls = 0;
    EXPECT_THROW(tailer->poll([&](std::string_view line, const std::string&) {
        if (++calls == 3) throw std::runtime_error("stopping");
        delivered_.emplace_back(line);
    }),
                 std::runtime_error);
    EXPECT_EQ(delivered_, (Lines{"line 0", "line 1"}));
    stop(tailer);
    tailer = std::make_unique<FileTailer>(options());
    poll(*tailer);
    EXPECT_EQ(delivered_, written_);
}

TEST_F(FileTailerTest, SavedStateIsJsonWrittenByRename) {
    auto tailer = std::make_unique<FileTailer>(options());
    write_lines(log_, 2);
    poll(*tailer);
    ASSERT_TRUE(tailer->save_state());
    EXPECT_FALSE(fs::exists(path("positions.json.tmp")));
    const auto state = nlohmann::json::parse(std::ifstream(path("positions.json")));
    ASSERT_EQ(state["files"].size(), 1u);
    EXPECT_EQ(state["files"][0]["path"], log_);
    EXPECT_EQ(state["files"][0]["offset"], fs::file_size(log_));
    struct stat st {};
    ASSERT_EQ(::stat(log_.c_str(), &st), 0);
    EXPECT_EQ(state["files"][0]["inode"], static_cast<std::uint64_t>(st.st_ino));
}

TEST_F(FileTailerTest, UnreadableFileIsNotedOnce) {
    if (::geteuid() == 0) GTEST_SKIP() << "root reads any file";
    append(log_, "secret\n");
    ASSERT_EQ(::chmod(log_.c_str(), 0), 0);
    FileTailer tailer(options());
    EXPECT_EQ(poll(tailer), Lines{});
    EXPECT_EQ(poll(tailer), Lines{});
    EXPECT_EQ(tailer.stats().read_errors, 1u);
    EXPECT_TRUE(contains(tailer.take_notices(), "cannot open"));
    ASSERT_EQ(::chmod(log_.c_str(), 0644), 0);
    EXPECT_EQ(poll(tailer), Lines{"secret"});
}

// Everything at once, across five restarts: each line written arrives once, in order.
TEST_F(FileTailerTest, EveryLineExactlyOnceAcrossRestarts) {
    auto opts = options();
    opts.rotate_wait_polls = 1;
    write_lines(log_, 5);
    auto tailer = std::make_unique<FileTailer>(opts);
    write_lines(log_, 5);
    poll(*tailer);
    // Running: rename rotation, with lines for the old file after the last poll.
    write_lines(log_, 3);
    fs::rename(log_, log_ + ".1");
    write_lines(log_, 4);
    poll(*tailer);
    poll(*tailer);
    // Running: copytruncate, with lines that only the copy holds.
    write_lines(log_, 2);
    fs::copy_file(log_, log_ + ".c1");
    fs::resize_file(log_, 0);
    write_lines(log_, 2);
    poll(*tailer);
    append(log_, "line 21");  // completed while stopped
    stop(tailer);

    append(log_, "\n");
    written_.push_back("line 21");
    next_ = 22;
    write_lines(log_, 3);
    fs::rename(log_, log_ + ".2");
    write_lines(log_, 2);
    tailer = std::make_unique<FileTailer>(opts);
    poll(*tailer);
    write_lines(log_, 1);
    poll(*tailer);
    stop(tailer);

    fs::resize_file(log_, 0);
    write_lines(log_, 1);
    tailer = std::make_unique<FileTailer>(opts);
    poll(*tailer);
    stop(tailer);

    fs::resize_file(log_, 0);
    write_lines(log_, 20);
    tailer = std::make_unique<FileTailer>(opts);
    poll(*tailer);
    stop(tailer);

    write_lines(log_, 2);
    fs::copy_file(log_, log_ + ".c2");
    fs::resize_file(log_, 0);
    write_lines(log_, 2);
    tailer = std::make_unique<FileTailer>(opts);
    poll(*tailer);
    stop(tailer);

    fs::remove(log_);
    write_lines(log_, 2);
    tailer = std::make_unique<FileTailer>(opts);
    poll(*tailer);

    EXPECT_EQ(delivered_, written_);
    EXPECT_EQ(written_.size(), 55u);
}

}  // namespace
}  // namespace netfeed::syslog
