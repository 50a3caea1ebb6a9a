// Where the file tailer keeps its positions across restarts: a small JSON document, written to a
// temporary file, fsynced and renamed into place so that a crash never leaves half of it. Apart
// from the tailing itself (file_tailer.cpp), which decides what the positions are.
#pragma once

#include <compare>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace netfeed::syslog {

/// What a file is, whatever its name: renames keep it, a new file at the same path changes it.
struct FileIdentity {
    std::uint64_t device = 0;
    std::uint64_t inode = 0;
    auto operator<=>(const FileIdentity&) const = default;
};

// The first bytes of a log file carry the timestamps of its first lines, so they tell two files
// at the same path apart; more would only cost reads.
inline constexpr std::size_t kFingerprintBytes = 1024;
// The last lines read before a position: what a file truncated and rewritten past the position
// or a copy made by copytruncate must still hold there.
inline constexpr std::size_t kTailBytes = 256;

/// What the start of a file and the bytes just before a position looked like: tells whether
/// a file still holds what was read of it, and finds copytruncate's copy.
struct TailFingerprint {
    std::uint64_t offset = 0;
    std::size_t head_bytes = 0;
    std::uint64_t head_hash = 0;
    std::size_t tail_bytes = 0;
    std::uint64_t tail_hash = 0;
};

struct SavedPosition {
    std::string path;
    FileIdentity identity;
    TailFingerprint fingerprint;
};

/// What reading a state file found.
struct LoadedPositions {
    enum class Status { loaded, missing, unreadable, corrupt };
    Status status = Status::missing;
    std::vector<SavedPosition> positions;  // only when loaded
    int error = 0;                         // unreadable: the errno
    std::string problem;                   // corrupt: what is wrong with it
};

/// Reads and checks the document at `path`; a document with one bad entry is corrupt as a
/// whole (its positions cannot be trusted to belong together).
LoadedPositions load_positions(const std::string& path);

/// The document for `positions`, in the order given: compare it with the last one written to
/// skip a write when nothing changed.
std::string positions_document(const std::vector<SavedPosition>& positions);

/// Why a save failed: the step ("write x.tmp") and its errno.
struct SaveFailure {
    std::string what;
    int error = 0;
};

/// Replaces `path` with `document` atomically (temporary file, fsync, rename, directory fsync).
std::optional<SaveFailure> save_positions(const std::string& path, const std::string& document);

}  // namespace netfeed::syslog
