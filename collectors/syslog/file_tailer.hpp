// Follows log files that other programs write (rsyslog's per-device files): every line once,
// across appends, rotation by rename or copytruncate, and agent restarts. Plain file I/O only.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "collectors/syslog/tail_state.hpp"

namespace netfeed::syslog {

struct FileTailerOptions {
    /// Files or glob(3) patterns, e.g. "/var/log/network/*.log".
    std::vector<std::string> paths;
    /// Only for files present when the tailer starts with no saved positions (the agent's first
    /// start): skip what they already hold. Files seen later are always read from the start.
    bool start_at_end = true;
    /// Where positions persist across restarts (JSON); empty: no persistence, so every start is
    /// a first start.
    std::string state_file;
    /// Longer lines are delivered as pieces of this many bytes (counted in long_lines).
    std::size_t max_line_bytes = 65536;
    /// Bytes per read(2); bounds memory together with max_line_bytes.
    std::size_t read_chunk_bytes = 65536;
    /// A file renamed away or deleted stays open until it yielded nothing new for this many
    /// polls, because the writer keeps appending to it until it reopens its log (logrotate's
    /// postrotate HUP). 0: close it as soon as it is read to its end.
    unsigned rotate_wait_polls = 4;
};

struct TailerStats {
    std::uint64_t lines = 0;         ///< lines delivered
    std::uint64_t bytes = 0;         ///< bytes read from files (again after a rewind)
    std::uint64_t rotations = 0;     ///< files renamed away or deleted
    std::uint64_t truncations = 0;   ///< files truncated or rewritten before the read position
    std::uint64_t long_lines = 0;    ///< lines cut into pieces of max_line_bytes
    std::uint64_t read_errors = 0;   ///< failed globs, opens and reads
    std::uint64_t state_errors = 0;  ///< unreadable or corrupt state file, failed saves
};

/// Not thread-safe: one thread calls everything (the collector's file thread).
class FileTailer {
  public:
    using OnLine = std::function<void(std::string_view line, const std::string& path)>;

    /// Loads state_file (missing: first start; corrupt: first start plus a notice) and opens the
    /// files that match now. Never throws on I/O problems; they become notices.
    explicit FileTailer(FileTailerOptions options);
    ~FileTailer();
    FileTailer(const FileTailer&) = delete;
    FileTailer& operator=(const FileTailer&) = delete;

    /// Reads what is new in every file and calls on_line once per complete, non-empty line, in
    /// file order, without its "\n" or "\r\n". `path` is the path the file matched under, even
    /// after it was rotated away. Returns the number of lines delivered. Throws nothing itself;
    /// an exception from on_line propagates after that file is rewound to just before the line,
    /// so the next poll offers it again (a way to abandon a long poll at stop).
    std::size_t poll(const OnLine& on_line);

    /// Persists the position after the last line delivered (write to a temporary file, fsync,
    /// rename). Call it once on_line's consumer has accepted the lines, and at stop; the
    /// destructor does not save. Returns false (with a notice) when the write failed. Skips the
    /// write when nothing changed since the last one.
    bool save_state();

    const TailerStats& stats() const { return stats_; }
    /// Files held open, rotated ones still being finished included.
    std::size_t open_files() const { return files_.size(); }
    /// Human-readable events since the last call (rotation, truncation, corrupt state file,
    /// unreadable file); the caller logs and rate-limits them.
    std::vector<std::string> take_notices();

  private:
    struct TailedFile;
    using Fingerprint = TailFingerprint;
    struct Match {
        std::string path;
        FileIdentity identity;
    };
    using Matched = std::map<FileIdentity, std::string>;

    bool load_state(std::vector<SavedPosition>& saved);
    /// The regular files matching the patterns now; `complete` is false when a pattern failed,
    /// so that absent files are not taken for rotated ones.
    std::vector<Match> match_paths(bool& complete);
    void restore(const std::vector<SavedPosition>& saved, const Matched& matched);
    std::unique_ptr<TailedFile> open_file(const std::string& path, bool quiet = false);
    void start_at_last_line(TailedFile& file);
    void note_rotated(TailedFile& file);
    TailedFile* adopt_copy(const std::string& path, const Fingerprint& fingerprint,
                           const Matched& matched, const std::set<FileIdentity>& exclude);
    void check_for_truncation(TailedFile& file, const Matched& matched, const OnLine& on_line,
                              std::size_t& delivered);
    /// Reads to the end of the file; returns the number of bytes read.
    std::uint64_t read_new(TailedFile& file, const OnLine& on_line, std::size_t& delivered);
    void split_lines(TailedFile& file, std::string_view data, const OnLine& on_line,
                     std::size_t& delivered);
    void deliver(TailedFile& file, std::string_view line, std::uint64_t consumed,
                 const OnLine& on_line, std::size_t& delivered);
    void deliver_pending(TailedFile& file, const OnLine& on_line, std::size_t& delivered);
    void note(std::string text);

    FileTailerOptions options_;
    std::map<FileIdentity, std::unique_ptr<TailedFile>> files_;
    /// Paths that failed to open, noted once until they open or vanish.
    std::set<std::string> unreadable_;
    std::vector<char> chunk_;
    std::vector<std::string> notices_;
    std::uint64_t dropped_notices_ = 0;
    std::string last_saved_;
    bool handler_failed_ = false;
    TailerStats stats_;
};

}  // namespace netfeed::syslog
