// The Kafka sink's write-ahead log; see spool.hpp.
#include "sinks/kafka/spool.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>

namespace netfeed::kafka {

namespace {

namespace fs = std::filesystem;
using std::chrono::steady_clock;

constexpr const char* kCheckpointMagic = "netfeed-spool-checkpoint";
constexpr std::size_t kReadChunk = 1 << 20;

std::int64_t unix_ms() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
}

std::string errno_text() {
    return std::strerror(errno);
}

bool write_all(int fd, const char* data, std::size_t size) {
    while (size > 0) {
        const ssize_t n = ::write(fd, data, size);
        if (n < 0) {
            if (errno == EINTR) continue;
            return false;
        }
        data += n;
        size -= static_cast<std::size_t>(n);
    }
    return true;
}

void fsync_dir(const std::string& dir) {
    const int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0) return;
    ::fsync(fd);
    ::close(fd);
}

struct Checkpoint {
    std::uint64_t base = 0;
    std::uint64_t next = 0;
    std::uint64_t produced = 0;
    bool found = false;
};

Checkpoint read_checkpoint(const std::string& path) {
    Checkpoint c;
    std::ifstream in(path);
    std::string magic;
    int version = 0;
    if (in >> magic >> version >> c.base >> c.next >> c.produced && magic == kCheckpointMagic &&
        version == 1) {
        c.found = true;
    } else {
        c = {};
    }
    return c;
}

std::string read_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream out;
    out << in.rdbuf();
    return out.str();
}

/// A segment file name is its first sequence number, zero-padded so that names sort.
std::optional<std::uint64_t> segment_number(const fs::path& path) {
    if (path.extension() != ".seg") return std::nullopt;
    const std::string stem = path.stem().string();
    if (stem.empty() || stem.size() > 20 ||
        !std::all_of(stem.begin(), stem.end(), [](char c) { return c >= '0' && c <= '9'; })) {
        return std::nullopt;
    }
    return std::stoull(stem);
}

}  // namespace

Spool::Spool(SpoolSettings settings) : settings_(std::move(settings)) {}

std::unique_ptr<Spool> Spool::open(const SpoolSettings& settings, SpoolRecovery& recovery) {
    std::unique_ptr<Spool> spool(new Spool(settings));
    std::error_code ec;
    fs::create_directories(settings.dir, ec);
    if (ec) {
        throw std::runtime_error("cannot create the Kafka spool directory " + settings.dir + ": " +
                                 ec.message());
    }
    const std::string lock = settings.dir + "/lock";
    spool->lock_fd_ = ::open(lock.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (spool->lock_fd_ < 0) {
        throw std::runtime_error("cannot open " + lock + ": " + errno_text() +
                                 " (the Kafka spool directory must be writable)");
    }
    if (::flock(spool->lock_fd_, LOCK_EX | LOCK_NB) != 0) {
        throw std::runtime_error("the Kafka spool directory " + settings.dir +
                                 " is in use by another netfeed process: give each agent its "
                                 "own agent.state_dir or kafka.spool.dir");
    }
    spool->recover(recovery);
    spool->start_segment();
    spool->write_checkpoint();
    return spool;
}

Spool::~Spool() {
    if (fd_ >= 0) {
        std::string error;
        write_out(error);
        sync();
        ::close(fd_);
    }
    if (lock_fd_ >= 0) ::close(lock_fd_);
}

std::string Spool::segment_path(std::uint64_t first_seq) const {
    char name[32];
    std::snprintf(name, sizeof name, "%020llu.seg", static_cast<unsigned long long>(first_seq));
    return settings_.dir + "/" + name;
}

void Spool::recover(SpoolRecovery& recovery) {
    const Checkpoint checkpoint = read_checkpoint(settings_.dir + "/checkpoint");
    std::vector<std::pair<std::uint64_t, std::string>> files;
    for (const auto& entry : fs::directory_iterator(settings_.dir)) {
        if (auto n = segment_number(entry.path())) files.emplace_back(*n, entry.path().string());
    }
    std::sort(files.begin(), files.end());

    base_ = checkpoint.found ? checkpoint.base : (files.empty() ? 0 : files.front().first);
    next_seq_ = base_;
    // Seqs are consecutive, so the first valid record after damage tells how many were lost.
    std::optional<SpoolDamage> open_damage;
    std::uint64_t seen_next = 0;  // one past the last valid seq seen
    auto close_damage = [&](std::uint64_t found_seq) {
        if (!open_damage) return;
        const std::uint64_t from = std::max(seen_next, base_);
        open_damage->records = found_seq > from ? found_seq - from : 0;
        recovery.damage.push_back(*open_damage);
        open_damage.reset();
    };
    std::int64_t last_sample_ms = 0;
    for (const auto& [first, path] : files) {
        const std::string bytes = read_file(path);
        Segment segment{first, first, bytes.size(), path};
        std::size_t pos = 0;
        std::uint64_t valid = 0;
        while (pos < bytes.size()) {
            SpoolRecord record;
            std::size_t size = 0;
            const auto check = decode_frame(std::string_view(bytes).substr(pos),
                                            settings_.max_frame_bytes, record, size);
            // A record is only believed when its seq moves forward: stale or copied bytes
            // with a good CRC are damage too.
            if (check != FrameCheck::ok || record.seq < seen_next) {
                if (!open_damage) open_damage = SpoolDamage{path, pos, 0};
                ++pos;
                continue;
            }
            close_damage(record.seq);
            seen_next = record.seq + 1;
            pos += size;
            ++valid;
            segment.end_seq = record.seq + 1;
            if (record.seq < base_) continue;  // released before the checkpoint
            // Seqs skipped over (lost to damage, or dropped segments) need nothing more.
            while (next_seq_ < record.seq) {
                states_.push_back(done);
                ++next_seq_;
            }
            states_.push_back(waiting);
            ++next_seq_;
            unacked_.fetch_add(1, std::memory_order_relaxed);
            if (times_.empty() || record.appended_ms >= last_sample_ms + 1000) {
                times_.emplace_back(record.seq, record.appended_ms);
                last_sample_ms = record.appended_ms;
            }
        }
        if (valid == 0 || segment.end_seq <= base_) {
            ::unlink(path.c_str());  // nothing left to deliver from it: released, empty or damage
            continue;
        }
        segment.first_seq = first;
        segments_.push_back(segment);
        bytes_.fetch_add(segment.bytes, std::memory_order_relaxed);
    }
    if (open_damage) {
        // Damage up to the end: the checkpoint says how far seqs went, else at least one.
        const std::uint64_t from = std::max(seen_next, base_);
        open_damage->records =
            checkpoint.found && checkpoint.next > from ? checkpoint.next - from : 1;
        recovery.damage.push_back(*open_damage);
    }
    if (checkpoint.found && checkpoint.next > next_seq_) {
        states_.insert(states_.end(), checkpoint.next - next_seq_, done);
        next_seq_ = checkpoint.next;
    }
    run_first_seq_ = next_seq_;
    produced_upto_ = std::min(checkpoint.produced, next_seq_);
    advance_base();
    recovery.backlog = unacked_.load();
    recovery.produced_before = produced_upto_;
}

void Spool::start_segment() {
    if (fd_ >= 0) {
        // The finished segment's data must be on disk before a newer segment exists.
        ::fdatasync(fd_);
        ::close(fd_);
        fd_ = -1;
    }
    while (!segments_.empty() && segments_.back().first_seq >= next_seq_ &&
           segments_.back().end_seq == segments_.back().first_seq) {
        segments_.pop_back();
    }
    const std::string path = segment_path(next_seq_);
    fd_ = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_APPEND | O_CLOEXEC, 0644);
    if (fd_ < 0) {
        throw std::runtime_error("cannot create the Kafka spool segment " + path + ": " +
                                 errno_text());
    }
    segments_.push_back(Segment{next_seq_, next_seq_, 0, path});
    fsync_dir(settings_.dir);
}

std::uint64_t Spool::written_bytes(const Segment& s) const noexcept {
    return s.bytes;
}

void Spool::begin_batch() {
    batch_ms_ = 0;
    // Frames of a finished segment may still be in the buffer only if write_out failed.
    if (buffer_written_ == buffer_.size()) {
        buffer_.clear();
        buffer_written_ = 0;
    }
}

bool Spool::append(SpoolRecord& record, std::uint64_t& overflowed) {
    const std::uint64_t size = kFrameHeader + kMinFrameLength + record.topic.size() +
                               record.kind.size() + record.device.size() + record.key.size() +
                               record.value.size();
    if (size > settings_.max_bytes) return false;
    while (bytes_.load(std::memory_order_relaxed) + size > settings_.max_bytes) {
        if (settings_.overflow == SpoolOverflow::refuse_newest) return false;
        Segment& active = segments_.back();
        if (segments_.size() == 1) {
            if (active.end_seq == active.first_seq) return false;
            std::string error;
            if (!write_out(error)) return false;
            start_segment();
        }
        drop_oldest_segment(overflowed);
    }
    Segment& active = segments_.back();
    const std::uint64_t buffered = buffer_.size() - buffer_written_;
    if (active.end_seq > active.first_seq &&
        active.bytes + buffered + size > settings_.segment_bytes) {
        std::string error;
        if (!write_out(error)) return false;
        start_segment();
    }
    record.seq = next_seq_++;
    // One clock read per batch: a batch takes milliseconds, the age it feeds is in seconds.
    if (batch_ms_ == 0) batch_ms_ = unix_ms();
    record.appended_ms = batch_ms_;
    encode_frame(record, buffer_);
    segments_.back().end_seq = next_seq_;
    states_.push_back(waiting);
    unacked_.fetch_add(1, std::memory_order_relaxed);
    bytes_.fetch_add(size, std::memory_order_relaxed);
    if (times_.empty() || record.appended_ms >= times_.back().second + 1000) {
        times_.emplace_back(record.seq, record.appended_ms);
    }
    if (oldest_ms_.load(std::memory_order_relaxed) == 0) {
        oldest_ms_.store(record.appended_ms, std::memory_order_relaxed);
    }
    return true;
}

bool Spool::write_out(std::string& error) {
    if (buffer_written_ == buffer_.size()) return true;
    const std::size_t size = buffer_.size() - buffer_written_;
    if (!write_all(fd_, buffer_.data() + buffer_written_, size)) {
        error =
            "cannot write the Kafka spool segment " + segments_.back().path + ": " + errno_text();
        return false;
    }
    segments_.back().bytes += size;
    buffer_written_ = buffer_.size();
    dirty_ = true;
    return true;
}

bool Spool::commit(std::string& error) {
    if (!write_out(error)) return false;
    if (settings_.fsync_interval.count() == 0 && dirty_) {
        const auto start = steady_clock::now();
        ::fdatasync(fd_);
        dirty_ = false;
        fsync_seconds_.store(std::chrono::duration<double>(steady_clock::now() - start).count());
    }
    return true;
}

void Spool::drop_oldest_segment(std::uint64_t& overflowed) {
    const Segment oldest = segments_.front();
    for (std::uint64_t seq = std::max(oldest.first_seq, base_); seq < oldest.end_seq; ++seq) {
        const auto state = states_[seq - base_];
        if (state == done) continue;
        // Records librdkafka holds are still delivered; only the others are lost here.
        if (state == waiting) ++overflowed;
        unacked_.fetch_sub(1, std::memory_order_relaxed);
    }
    if (oldest.end_seq > base_) {
        states_.erase(states_.begin(),
                      states_.begin() + static_cast<std::ptrdiff_t>(oldest.end_seq - base_));
        base_ = oldest.end_seq;
    }
    ::unlink(oldest.path.c_str());
    bytes_.fetch_sub(oldest.bytes, std::memory_order_relaxed);
    segments_.pop_front();
    advance_base();
}

void Spool::advance_base() noexcept {
    while (!states_.empty() && states_.front() == done) {
        states_.pop_front();
        ++base_;
    }
    while (times_.size() > 1 && times_[1].first <= base_)
        times_.pop_front();
    oldest_ms_.store(states_.empty() || times_.empty() ? 0 : times_.front().second,
                     std::memory_order_relaxed);
}

void Spool::mark_produced(std::uint64_t seq) noexcept {
    if (seq >= base_ && seq < next_seq_ && states_[seq - base_] == waiting) {
        states_[seq - base_] = in_kafka;
    }
    produced_upto_ = std::max(produced_upto_, seq + 1);
}

void Spool::release(std::uint64_t seq) noexcept {
    if (seq < base_ || seq >= next_seq_) return;
    auto& state = states_[seq - base_];
    if (state == done) return;
    state = done;
    unacked_.fetch_sub(1, std::memory_order_relaxed);
    if (seq == base_) advance_base();
}

bool Spool::pending(std::uint64_t seq) const noexcept {
    return seq >= base_ && seq < next_seq_ && states_[seq - base_] != done;
}

double Spool::oldest_age_seconds() const noexcept {
    const std::int64_t oldest = oldest_ms_.load(std::memory_order_relaxed);
    if (oldest == 0 || unacked_.load(std::memory_order_relaxed) == 0) return 0;
    return std::max<double>(0, static_cast<double>(unix_ms() - oldest) / 1000.0);
}

double Spool::take_fsync_seconds() noexcept {
    return fsync_seconds_.exchange(-1);
}

void Spool::maintain(steady_clock::time_point now) {
    const auto period = settings_.fsync_interval.count() > 0 ? settings_.fsync_interval
                                                             : std::chrono::milliseconds(1000);
    if (now - last_sync_ < period) return;
    last_sync_ = now;
    sync();
}

void Spool::sync() {
    if (dirty_ && fd_ >= 0) {
        const auto start = steady_clock::now();
        ::fdatasync(fd_);
        fsync_seconds_.store(std::chrono::duration<double>(steady_clock::now() - start).count());
        dirty_ = false;
    }
    if (base_ != checkpointed_base_ || next_seq_ != checkpointed_next_) write_checkpoint();
    delete_released_segments();
}

void Spool::write_checkpoint() {
    // Written new, fsynced and renamed: a crash leaves either the old or the new one.
    const std::string path = settings_.dir + "/checkpoint";
    const std::string tmp = path + ".tmp";
    const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0) return;
    char text[128];
    const int n = std::snprintf(text, sizeof text, "%s 1 %llu %llu %llu\n", kCheckpointMagic,
                                static_cast<unsigned long long>(base_),
                                static_cast<unsigned long long>(next_seq_),
                                static_cast<unsigned long long>(produced_upto_));
    const bool ok = write_all(fd, text, static_cast<std::size_t>(n)) && ::fsync(fd) == 0;
    ::close(fd);
    if (!ok || ::rename(tmp.c_str(), path.c_str()) != 0) return;
    fsync_dir(settings_.dir);
    checkpointed_base_ = base_;
    checkpointed_next_ = next_seq_;
}

void Spool::delete_released_segments() {
    // Only after the checkpoint names a base past them: seqs must never be handed out twice.
    while (segments_.size() > 1 && segments_.front().end_seq <= checkpointed_base_ &&
           segments_.front().end_seq <= base_) {
        ::unlink(segments_.front().path.c_str());
        bytes_.fetch_sub(segments_.front().bytes, std::memory_order_relaxed);
        segments_.pop_front();
    }
}

const Spool::Segment* Spool::segment_of(std::uint64_t seq) const noexcept {
    const Segment* found = nullptr;
    for (const auto& s : segments_) {
        if (s.first_seq <= seq) found = &s;
    }
    return found != nullptr ? found : (segments_.empty() ? nullptr : &segments_.front());
}

// ---------------------------------------------------------------------------------------------

Spool::Reader::Reader(const Spool& spool, std::uint64_t from_seq)
    : spool_(spool), next_seq_(std::max(from_seq, spool.base_)) {
    if (const Segment* s = spool_.segment_of(next_seq_)) segment_first_ = s->first_seq;
}

Spool::Reader::~Reader() {
    if (fd_ >= 0) ::close(fd_);
}

bool Spool::Reader::load(std::size_t at_least) {
    buffer_.erase(0, pos_);
    file_offset_ += pos_;
    pos_ = 0;
    const Segment* segment = nullptr;
    for (const auto& s : spool_.segments_) {
        if (s.first_seq == segment_first_) segment = &s;
    }
    if (segment == nullptr) return false;
    if (fd_ < 0) {
        fd_ = ::open(segment->path.c_str(), O_RDONLY | O_CLOEXEC);
        if (fd_ < 0) return false;
    }
    const std::uint64_t from = file_offset_ + buffer_.size();
    const std::uint64_t end = spool_.written_bytes(*segment);
    if (from >= end) return false;
    const std::size_t want = static_cast<std::size_t>(
        std::min<std::uint64_t>(std::max(at_least, kReadChunk), end - from));
    const std::size_t old = buffer_.size();
    buffer_.resize(old + want);
    const ssize_t n = ::pread(fd_, buffer_.data() + old, want, static_cast<off_t>(from));
    buffer_.resize(old + static_cast<std::size_t>(std::max<ssize_t>(n, 0)));
    return n > 0;
}

void Spool::Reader::unread() noexcept {
    pos_ = last_pos_;
    next_seq_ = last_seq_;
}

bool Spool::Reader::next(SpoolRecord& record) {
    caught_up_ = false;
    while (true) {
        // The segment may have been removed under us (drop_oldest): go on with the next one.
        const Segment* segment = nullptr;
        const Segment* after = nullptr;
        for (const auto& s : spool_.segments_) {
            if (s.first_seq == segment_first_) segment = &s;
            if (after == nullptr && s.first_seq > segment_first_) after = &s;
        }
        if (segment == nullptr) {
            if (after == nullptr) {
                caught_up_ = true;
                return false;
            }
            segment_first_ = after->first_seq;
            file_offset_ = 0;
            buffer_.clear();
            pos_ = 0;
            if (fd_ >= 0) ::close(fd_);
            fd_ = -1;
            continue;
        }
        std::size_t size = 0;
        const auto check = pos_ < buffer_.size()
                               ? decode_frame(std::string_view(buffer_).substr(pos_),
                                              spool_.settings_.max_frame_bytes, record, size)
                               : FrameCheck::need_more;
        if (check == FrameCheck::ok) {
            if (record.seq < next_seq_) {
                pos_ += size;
                continue;
            }
            last_pos_ = pos_;
            last_seq_ = next_seq_;
            pos_ += size;
            next_seq_ = record.seq + 1;
            if (!spool_.pending(record.seq)) continue;
            return true;
        }
        if (check == FrameCheck::need_more) {
            std::size_t needed = kFrameHeader;
            if (buffer_.size() - pos_ >= 4) {
                std::uint32_t length;
                std::memcpy(&length, buffer_.data() + pos_, 4);
                needed = kFrameHeader + length;
            }
            if (load(needed)) continue;
            if (pos_ >= buffer_.size()) {
                // Everything written in this segment is read: on to the next, if any.
                if (after == nullptr) {
                    caught_up_ = true;
                    return false;
                }
                segment_first_ = after->first_seq;
                file_offset_ = 0;
                buffer_.clear();
                pos_ = 0;
                ::close(fd_);
                fd_ = -1;
                continue;
            }
            if (after == nullptr) {
                caught_up_ = true;  // the newest segment: the rest is not written yet
                return false;
            }
        }
        ++pos_;  // damage (counted when the spool was opened): resynchronize byte by byte
    }
}

}  // namespace netfeed::kafka
