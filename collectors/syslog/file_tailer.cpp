// Log-file tailing; see file_tailer.hpp.
#include "collectors/syslog/file_tailer.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <glob.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <system_error>
#include <utility>

namespace netfeed::syslog {

namespace {
constexpr std::uint64_t kNoTail = ~std::uint64_t{0};
constexpr std::size_t kMaxNotices = 1000;

std::string errno_text(int error) {
    return std::generic_category().message(error);
}

FileIdentity identity_of(const struct stat& st) {
    return {static_cast<std::uint64_t>(st.st_dev), static_cast<std::uint64_t>(st.st_ino)};
}

std::int64_t mtime_ns(const struct stat& st) {
    return static_cast<std::int64_t>(st.st_mtim.tv_sec) * 1'000'000'000 + st.st_mtim.tv_nsec;
}

std::uint64_t fnv1a(std::string_view bytes) {
    std::uint64_t hash = 14695981039346656037ull;
    for (const unsigned char c : bytes) {
        hash ^= c;
        hash *= 1099511628211ull;
    }
    return hash;
}

std::string directory_of(const std::string& path) {
    const auto slash = path.rfind('/');
    if (slash == std::string::npos) return ".";
    if (slash == 0) return "/";
    return path.substr(0, slash);
}

std::string join_path(const std::string& directory, const char* name) {
    return directory == "/" ? "/" + std::string(name) : directory + "/" + name;
}

// Up to `count` bytes from `offset`; shorter at end of file or on error.
std::string read_at(int fd, std::size_t count, std::uint64_t offset) {
    std::string bytes(count, '\0');
    std::size_t got = 0;
    while (got < count) {
        const ssize_t n =
            ::pread(fd, bytes.data() + got, count - got, static_cast<off_t>(offset + got));
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) break;
        got += static_cast<std::size_t>(n);
    }
    bytes.resize(got);
    return bytes;
}

struct DirectoryEntry {
    std::string path;
    std::uint64_t size = 0;
};

// Regular files of a directory by identity, to find a file renamed next to its old name
// (x.log -> x.log.1) or copied there (copytruncate).
std::map<FileIdentity, DirectoryEntry> files_in(const std::string& directory) {
    std::map<FileIdentity, DirectoryEntry> files;
    DIR* dir = ::opendir(directory.c_str());
    if (dir == nullptr) return files;
    while (const dirent* entry = ::readdir(dir)) {
        struct stat st {};
        if (::fstatat(::dirfd(dir), entry->d_name, &st, AT_SYMLINK_NOFOLLOW) != 0) continue;
        if (S_ISREG(st.st_mode)) {
            files.emplace(identity_of(st), DirectoryEntry{join_path(directory, entry->d_name),
                                                          static_cast<std::uint64_t>(st.st_size)});
        }
    }
    ::closedir(dir);
    return files;
}

}  // namespace

struct FileTailer::TailedFile {
    FileIdentity identity;
    /// The path it matched under; lines keep being reported under it after a rotation.
    std::string path;
    int fd = -1;
    /// Next byte to read.
    std::uint64_t read_offset = 0;
    /// End of the last line delivered or skipped: what save_state() persists, so that a line
    /// read but not yet complete is read again after a restart.
    std::uint64_t committed = 0;
    /// Bytes from `committed` to `read_offset`: the line not complete yet.
    std::string pending;
    /// The first min(read_offset, kFingerprintBytes) bytes, as read.
    std::string head;
    /// Up to kTailBytes bytes just before tail_end, kNoTail when unknown.
    std::string tail;
    std::uint64_t tail_end = 0;
    bool cutting_long_line = false;
    /// Size and mtime at the last look: the content is compared again only when they changed.
    std::uint64_t seen_size = 0;
    std::int64_t seen_mtime_ns = 0;
    bool rotated = false;
    /// Rotated and not found in its directory: nothing to come back to after a restart.
    bool deleted = false;
    unsigned idle_polls = 0;

    TailedFile() = default;
    TailedFile(const TailedFile&) = delete;
    TailedFile& operator=(const TailedFile&) = delete;
    ~TailedFile() {
        if (fd >= 0) ::close(fd);
    }

    void resume_at(std::uint64_t offset) {
        read_offset = committed = offset;
        pending.clear();
        cutting_long_line = false;
        head = read_at(fd, std::min<std::uint64_t>(offset, kFingerprintBytes), 0);
        tail_end = kNoTail;
        refresh_tail();
    }

    void restart() {
        read_offset = committed = tail_end = 0;
        pending.clear();
        head.clear();
        tail.clear();
        cutting_long_line = false;
    }

    /// Read back rather than kept while splitting lines: one small read per poll with news.
    void refresh_tail() {
        if (tail_end == committed) return;
        const std::size_t want = std::min<std::uint64_t>(committed, kTailBytes);
        tail = read_at(fd, want, committed - want);
        tail_end = tail.size() == want ? committed : kNoTail;
    }

    Fingerprint fingerprint() const {
        Fingerprint print;
        print.offset = committed;
        const std::string_view start =
            std::string_view(head).substr(0, std::min<std::uint64_t>(head.size(), committed));
        print.head_bytes = start.size();
        print.head_hash = fnv1a(start);
        const std::string_view before = tail_end == committed ? tail : std::string_view();
        print.tail_bytes = before.size();
        print.tail_hash = fnv1a(before);
        return print;
    }

    /// Whether this file still holds what `print` saw (seen_size must be current).
    bool holds(const Fingerprint& print) const {
        if (seen_size < print.offset) return false;
        const std::string start = read_at(fd, print.head_bytes, 0);
        if (start.size() != print.head_bytes || fnv1a(start) != print.head_hash) return false;
        const std::string before = read_at(fd, print.tail_bytes, print.offset - print.tail_bytes);
        return before.size() == print.tail_bytes && fnv1a(before) == print.tail_hash;
    }
};

FileTailer::FileTailer(FileTailerOptions options) : options_(std::move(options)) {
    options_.max_line_bytes = std::max<std::size_t>(options_.max_line_bytes, 1);
    options_.read_chunk_bytes = std::max<std::size_t>(options_.read_chunk_bytes, 1);
    chunk_.resize(options_.read_chunk_bytes);

    std::vector<SavedPosition> saved;
    const bool first_start = options_.state_file.empty() || !load_state(saved);
    bool complete = true;
    const auto matches = match_paths(complete);
    Matched matched;
    for (const auto& match : matches)
        matched.emplace(match.identity, match.path);
    if (!first_start) restore(saved, matched);
    for (const auto& match : matches) {
        if (files_.contains(match.identity)) continue;
        auto file = open_file(match.path);
        if (!file || files_.contains(file->identity)) continue;
        if (first_start && options_.start_at_end) start_at_last_line(*file);
        const FileIdentity identity = file->identity;
        files_.emplace(identity, std::move(file));
    }
}

FileTailer::~FileTailer() = default;

bool FileTailer::load_state(std::vector<SavedPosition>& saved) {
    const std::string& path = options_.state_file;
    LoadedPositions loaded = load_positions(path);
    switch (loaded.status) {
        case LoadedPositions::Status::loaded:
            saved = std::move(loaded.positions);
            return true;
        case LoadedPositions::Status::missing:
            return false;
        case LoadedPositions::Status::unreadable:
            ++stats_.state_errors;
            note("state file " + path + " cannot be read (" + errno_text(loaded.error) +
                 "); starting as on a first start");
            return false;
        case LoadedPositions::Status::corrupt:
            break;
    }
    ++stats_.state_errors;
    note("state file " + path + " is corrupt (" + loaded.problem +
         "); starting as on a first start, positions are lost");
    return false;
}

std::vector<FileTailer::Match> FileTailer::match_paths(bool& complete) {
    complete = true;
    std::vector<Match> matches;
    std::set<std::string> paths;
    std::set<FileIdentity> identities;
    for (const auto& pattern : options_.paths) {
        glob_t found{};
        const int result = ::glob(pattern.c_str(), 0, nullptr, &found);
        if (result == 0) {
            for (std::size_t i = 0; i < found.gl_pathc; ++i) {
                std::string path = found.gl_pathv[i];
                struct stat st {};
                if (!paths.insert(path).second || ::stat(path.c_str(), &st) != 0 ||
                    !S_ISREG(st.st_mode) || !identities.insert(identity_of(st)).second) {
                    continue;
                }
                matches.push_back({std::move(path), identity_of(st)});
            }
        } else if (result != GLOB_NOMATCH) {
            complete = false;
            ++stats_.read_errors;
            note("cannot expand " + pattern + " (glob error " + std::to_string(result) + ")");
        }
        ::globfree(&found);
    }
    return matches;
}

void FileTailer::restore(const std::vector<SavedPosition>& saved, const Matched& matched) {
    std::map<std::string, std::map<FileIdentity, DirectoryEntry>> directories;
    std::set<FileIdentity> saved_identities;
    for (const auto& position : saved)
        saved_identities.insert(position.identity);

    for (const auto& position : saved) {
        if (files_.contains(position.identity)) continue;
        const Fingerprint& print = position.fingerprint;
        std::string location;
        bool rotated = false;
        if (const auto it = matched.find(position.identity); it != matched.end()) {
            location = it->second;
        } else {
            struct stat st {};
            if (::stat(position.path.c_str(), &st) == 0 && identity_of(st) == position.identity) {
                note(position.path + ": no longer matches the configured paths; forgetting it");
                continue;
            }
            const std::string directory = directory_of(position.path);
            auto listed = directories.find(directory);
            if (listed == directories.end()) {
                listed = directories.emplace(directory, files_in(directory)).first;
            }
            const auto found = listed->second.find(position.identity);
            if (found == listed->second.end()) {
                note(position.path + ": gone while the agent was stopped and not found in " +
                     directory + "; forgetting its position " + std::to_string(print.offset) +
                     " (lines after it, if any, are lost)");
                continue;
            }
            location = found->second.path;
            rotated = true;
        }
        auto file = open_file(location);
        // Replaced between the look and the open: the file there now is a new one.
        if (!file || file->identity != position.identity) continue;

        const bool intact = file->holds(print);
        if (rotated) {
            if (!intact) {
                // The inode was freed and reused by an unrelated file: not ours to finish.
                note(position.path + ": not found while the agent was stopped (" + location +
                     " has its inode but other content); forgetting its position");
                continue;
            }
            file->path = position.path;
            file->rotated = true;
            ++stats_.rotations;
            note(position.path + ": rotated while the agent was stopped (now " + location +
                 "); reading the rest of it before the new file");
        }
        if (intact) {
            file->resume_at(print.offset);
        } else {
            ++stats_.truncations;
            note(location +
                 (file->seen_size < print.offset
                      ? ": truncated while the agent was stopped (size " +
                            std::to_string(file->seen_size) + " < position " +
                            std::to_string(print.offset) + ")"
                      : ": rewritten while the agent was stopped (its first bytes or those before "
                        "the position changed)") +
                 "; reading it from the start");
            if (print.offset > 0) adopt_copy(position.path, print, matched, saved_identities);
        }
        const FileIdentity identity = file->identity;
        files_.emplace(identity, std::move(file));
    }
}

std::unique_ptr<FileTailer::TailedFile> FileTailer::open_file(const std::string& path, bool quiet) {
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
    if (fd < 0) {
        const int error = errno;
        if (!quiet && error != ENOENT && unreadable_.insert(path).second) {
            ++stats_.read_errors;
            note(path + ": cannot open (" + errno_text(error) + "); retrying on every poll");
        }
        return nullptr;
    }
    auto file = std::make_unique<TailedFile>();
    file->fd = fd;
    struct stat st {};
    if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) return nullptr;
    if (!quiet) unreadable_.erase(path);
    file->path = path;
    file->identity = identity_of(st);
    file->seen_size = static_cast<std::uint64_t>(st.st_size);
    file->seen_mtime_ns = mtime_ns(st);
    return file;
}

void FileTailer::start_at_last_line(TailedFile& file) {
    // Start after the last newline rather than at the very end, so that a line being written
    // as the agent starts arrives whole.
    const std::uint64_t size = file.seen_size;
    std::uint64_t start = size;
    if (size > 0) {
        const std::uint64_t window = std::min<std::uint64_t>(size, options_.max_line_bytes);
        const std::string last = read_at(file.fd, window, size - window);
        const auto newline = last.rfind('\n');
        if (last.size() == window) {
            if (newline != std::string::npos) {
                start = size - window + newline + 1;
            } else if (window == size) {
                start = 0;
            }
        }
    }
    file.resume_at(start);
}

std::size_t FileTailer::poll(const OnLine& on_line) {
    std::size_t delivered = 0;
    handler_failed_ = false;
    try {
        bool complete = true;
        const auto matches = match_paths(complete);
        Matched matched;
        for (const auto& match : matches)
            matched.emplace(match.identity, match.path);
        for (auto it = unreadable_.begin(); it != unreadable_.end();) {
            const bool still_matches = std::any_of(matches.begin(), matches.end(),
                                                   [&](const Match& m) { return m.path == *it; });
            it = still_matches ? std::next(it) : unreadable_.erase(it);
        }

        std::vector<TailedFile*> rotated;
        std::vector<TailedFile*> current;
        for (auto& [identity, file] : files_) {
            if (const auto it = matched.find(identity); it != matched.end()) {
                file->path = it->second;
                file->rotated = file->deleted = false;
                file->idle_polls = 0;
            } else if (!file->rotated && complete) {
                struct stat st {};
                const bool still_there =
                    ::stat(file->path.c_str(), &st) == 0 && identity_of(st) == identity;
                if (!still_there) note_rotated(*file);
            }
            (file->rotated ? rotated : current).push_back(file.get());
        }
        const auto by_path = [](const TailedFile* a, const TailedFile* b) {
            return a->path < b->path;
        };
        std::sort(rotated.begin(), rotated.end(), by_path);
        std::sort(current.begin(), current.end(), by_path);

        // Rotated files first: what they still hold was written before anything in the files
        // that replaced them.
        for (TailedFile* file : rotated) {
            if (read_new(*file, on_line, delivered) > 0) {
                file->idle_polls = 0;
            } else {
                ++file->idle_polls;
            }
            if (file->idle_polls >= options_.rotate_wait_polls) {
                deliver_pending(*file, on_line, delivered);
                const FileIdentity identity = file->identity;
                files_.erase(identity);
            }
        }
        for (TailedFile* file : current) {
            check_for_truncation(*file, matched, on_line, delivered);
            read_new(*file, on_line, delivered);
        }
        for (const auto& match : matches) {
            if (files_.contains(match.identity)) continue;
            auto file = open_file(match.path);
            if (!file || files_.contains(file->identity)) continue;
            TailedFile& added = *file;
            const FileIdentity identity = file->identity;
            files_.emplace(identity, std::move(file));
            read_new(added, on_line, delivered);
        }
    } catch (const std::exception& error) {
        if (handler_failed_) throw;
        ++stats_.read_errors;
        note(std::string("file tailing failed: ") + error.what());
    } catch (...) {
        if (handler_failed_) throw;
        ++stats_.read_errors;
        note("file tailing failed");
    }
    return delivered;
}

void FileTailer::note_rotated(TailedFile& file) {
    file.rotated = true;
    file.idle_polls = 0;
    ++stats_.rotations;
    const std::string directory = directory_of(file.path);
    const auto files = files_in(directory);
    if (const auto found = files.find(file.identity); found != files.end()) {
        note(file.path + ": rotated (renamed to " + found->second.path +
             "); reading it to its end, then the new file from its start");
    } else {
        file.deleted = true;
        note(file.path + ": deleted or moved out of " + directory + "; reading what is left of it");
    }
}

FileTailer::TailedFile* FileTailer::adopt_copy(const std::string& path,
                                               const Fingerprint& fingerprint,
                                               const Matched& matched,
                                               const std::set<FileIdentity>& exclude) {
    std::unique_ptr<TailedFile> best;
    for (const auto& [identity, entry] : files_in(directory_of(path))) {
        if (entry.size < fingerprint.offset || (best && entry.size <= best->seen_size) ||
            files_.contains(identity) || exclude.contains(identity)) {
            continue;
        }
        auto candidate = open_file(entry.path, /*quiet=*/true);
        if (candidate && candidate->holds(fingerprint)) best = std::move(candidate);
    }
    if (!best) return nullptr;
    best->resume_at(fingerprint.offset);
    const std::string location = best->path;
    if (const auto it = matched.find(best->identity); it != matched.end()) {
        best->path = it->second;
    } else {
        // Read to its end and closed like a rotated file, its lines reported under `path`.
        best->path = path;
        best->rotated = true;
    }
    note(path + ": its copy " + location + " (copytruncate) holds lines past position " +
         std::to_string(fingerprint.offset) + "; reading them first");
    TailedFile* adopted = best.get();
    const FileIdentity identity = best->identity;
    files_.emplace(identity, std::move(best));
    return adopted;
}

void FileTailer::check_for_truncation(TailedFile& file, const Matched& matched,
                                      const OnLine& on_line, std::size_t& delivered) {
    struct stat st {};
    if (::fstat(file.fd, &st) != 0) {
        ++stats_.read_errors;
        note(file.path + ": cannot stat (" + errno_text(errno) + ")");
        return;
    }
    const auto size = static_cast<std::uint64_t>(st.st_size);
    const bool changed = size != file.seen_size || mtime_ns(st) != file.seen_mtime_ns;
    file.seen_size = size;
    file.seen_mtime_ns = mtime_ns(st);
    if (size < file.read_offset) {
        note(file.path + ": truncated (size " + std::to_string(size) + " < position " +
             std::to_string(file.read_offset) + "); reading it from the start");
    } else if (changed && !file.holds(file.fingerprint())) {
        // Truncated and written past the old position between two polls (copytruncate of a busy
        // file): the size alone cannot tell.
        note(file.path +
             ": rewritten (its first bytes or those before the position changed); "
             "reading it from the start");
    } else {
        return;
    }
    ++stats_.truncations;
    const Fingerprint print = file.fingerprint();
    TailedFile* copy = print.offset > 0 ? adopt_copy(file.path, print, matched, {}) : nullptr;
    // Without a copy, a line cut by the truncation is still delivered: its start is gone.
    if (copy == nullptr) deliver_pending(file, on_line, delivered);
    file.restart();
    if (copy != nullptr) read_new(*copy, on_line, delivered);
}

std::uint64_t FileTailer::read_new(TailedFile& file, const OnLine& on_line,
                                   std::size_t& delivered) {
    std::uint64_t total = 0;
    while (true) {
        const ssize_t n =
            ::pread(file.fd, chunk_.data(), chunk_.size(), static_cast<off_t>(file.read_offset));
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) {
            ++stats_.read_errors;
            note(file.path + ": read error (" + errno_text(errno) + ")");
            break;
        }
        if (n == 0) break;
        const std::string_view data(chunk_.data(), static_cast<std::size_t>(n));
        if (file.head.size() < kFingerprintBytes && file.read_offset <= file.head.size() &&
            file.read_offset + data.size() > file.head.size()) {
            const std::size_t skip = file.head.size() - file.read_offset;
            file.head.append(data.substr(skip, kFingerprintBytes - file.head.size()));
        }
        file.read_offset += data.size();
        total += data.size();
        stats_.bytes += data.size();
        split_lines(file, data, on_line, delivered);
    }
    // Now, while the file still holds what was just read: after a copytruncate it is too late.
    file.refresh_tail();
    return total;
}

void FileTailer::split_lines(TailedFile& file, std::string_view data, const OnLine& on_line,
                             std::size_t& delivered) {
    const std::size_t max = options_.max_line_bytes;
    while (!data.empty()) {
        const std::size_t newline = data.find('\n');
        const bool complete = newline != std::string_view::npos;
        std::string_view text = data.substr(0, newline);
        data.remove_prefix(complete ? newline + 1 : data.size());

        // Cutting as soon as the line outgrows max keeps `pending` within max bytes.
        while (file.pending.size() + text.size() > max) {
            if (!file.cutting_long_line) {
                file.cutting_long_line = true;
                ++stats_.long_lines;
            }
            const std::size_t take = max - file.pending.size();
            if (file.pending.empty()) {
                deliver(file, text.substr(0, take), take, on_line, delivered);
            } else {
                file.pending.append(text.substr(0, take));
                deliver(file, file.pending, max, on_line, delivered);
                file.pending.clear();
            }
            text.remove_prefix(take);
        }
        if (!complete) {
            file.pending.append(text);
            return;
        }
        const std::uint64_t consumed = file.pending.size() + text.size() + 1;
        std::string_view line = text;
        if (!file.pending.empty()) {
            file.pending.append(text);
            line = file.pending;
        }
        if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
        file.cutting_long_line = false;
        deliver(file, line, consumed, on_line, delivered);
        file.pending.clear();
    }
}

void FileTailer::deliver_pending(TailedFile& file, const OnLine& on_line, std::size_t& delivered) {
    if (file.pending.empty()) return;
    std::string_view line = file.pending;
    if (line.back() == '\r') line.remove_suffix(1);
    deliver(file, line, file.pending.size(), on_line, delivered);
    file.pending.clear();
    file.cutting_long_line = false;
}

void FileTailer::deliver(TailedFile& file, std::string_view line, std::uint64_t consumed,
                         const OnLine& on_line, std::size_t& delivered) {
    if (!line.empty()) {
        try {
            on_line(line, file.path);
        } catch (...) {
            // Rewind to just before this line so that it is offered again.
            handler_failed_ = true;
            file.read_offset = file.committed;
            file.pending.clear();
            file.cutting_long_line = false;
            throw;
        }
        ++delivered;
        ++stats_.lines;
    }
    file.committed += consumed;
}

bool FileTailer::save_state() {
    if (options_.state_file.empty()) return true;
    std::vector<TailedFile*> files;
    for (const auto& [identity, file] : files_) {
        if (!file->deleted) files.push_back(file.get());
    }
    std::sort(files.begin(), files.end(),
              [](const TailedFile* a, const TailedFile* b) { return a->path < b->path; });
    std::vector<SavedPosition> positions;
    for (TailedFile* file : files) {
        file->refresh_tail();
        positions.push_back({file->path, file->identity, file->fingerprint()});
    }
    const std::string text = positions_document(positions);
    if (text == last_saved_) return true;

    const std::string& path = options_.state_file;
    if (const auto failure = save_positions(path, text)) {
        ++stats_.state_errors;
        note("cannot save file positions to " + path + ": " + failure->what + " (" +
             errno_text(failure->error) + ")");
        return false;
    }
    last_saved_ = text;
    return true;
}

std::vector<std::string> FileTailer::take_notices() {
    if (dropped_notices_ > 0) {
        notices_.push_back(std::to_string(dropped_notices_) +
                           " more file-tailing notices were dropped (none taken for too long)");
        dropped_notices_ = 0;
    }
    return std::exchange(notices_, {});
}

void FileTailer::note(std::string text) {
    if (notices_.size() >= kMaxNotices) {
        ++dropped_notices_;
        return;
    }
    notices_.push_back(std::move(text));
}

}  // namespace netfeed::syslog
