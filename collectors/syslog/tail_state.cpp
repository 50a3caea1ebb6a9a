// The file tailer's saved positions; see tail_state.hpp.
#include "collectors/syslog/tail_state.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <cstdio>
#include <nlohmann/json.hpp>
#include <string_view>
#include <system_error>
#include <utility>

namespace netfeed::syslog {

namespace {
constexpr int kStateVersion = 1;

std::string to_hex(std::uint64_t value) {
    char text[17];
    std::snprintf(text, sizeof text, "%016llx", static_cast<unsigned long long>(value));
    return text;
}

std::string directory_of(const std::string& path) {
    const auto slash = path.rfind('/');
    if (slash == std::string::npos) return ".";
    if (slash == 0) return "/";
    return path.substr(0, slash);
}

// The whole file behind `fd`, read until a read returns nothing.
std::string read_all(int fd) {
    std::string text;
    char buffer[65536];
    while (true) {
        const ssize_t n = ::pread(fd, buffer, sizeof buffer, static_cast<off_t>(text.size()));
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) break;
        text.append(buffer, static_cast<std::size_t>(n));
    }
    return text;
}

bool write_all(int fd, std::string_view bytes) {
    while (!bytes.empty()) {
        const ssize_t n = ::write(fd, bytes.data(), bytes.size());
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return false;
        bytes.remove_prefix(static_cast<std::size_t>(n));
    }
    return true;
}

// The entries of a parsed document, or what is wrong with it.
std::string parse_entries(const nlohmann::json& document, std::vector<SavedPosition>& saved) {
    if (document.is_discarded()) return "not JSON";
    if (!document.is_object() || !document.contains("version") ||
        document["version"] != kStateVersion || !document.contains("files") ||
        !document["files"].is_array()) {
        return "not a netfeed file-position document of version " + std::to_string(kStateVersion);
    }
    for (const auto& entry : document["files"]) {
        const auto has = [&](const char* key, bool (nlohmann::json::*is)() const noexcept) {
            return entry.contains(key) && (entry[key].*is)();
        };
        const auto hash = [&](const char* key, std::uint64_t& out) {
            const auto& hex = entry[key].get_ref<const std::string&>();
            const auto parsed = std::from_chars(hex.data(), hex.data() + hex.size(), out, 16);
            return parsed.ec == std::errc() && parsed.ptr == hex.data() + hex.size();
        };
        using json = nlohmann::json;
        if (!entry.is_object() || !has("path", &json::is_string) ||
            !has("device", &json::is_number_unsigned) || !has("inode", &json::is_number_unsigned) ||
            !has("offset", &json::is_number_unsigned) ||
            !has("head_bytes", &json::is_number_unsigned) || !has("head_hash", &json::is_string) ||
            !has("tail_bytes", &json::is_number_unsigned) || !has("tail_hash", &json::is_string)) {
            return "an entry lacks a field";
        }
        SavedPosition position;
        position.path = entry["path"].get<std::string>();
        position.identity = {entry["device"].get<std::uint64_t>(),
                             entry["inode"].get<std::uint64_t>()};
        TailFingerprint& print = position.fingerprint;
        print.offset = entry["offset"].get<std::uint64_t>();
        print.head_bytes = entry["head_bytes"].get<std::size_t>();
        print.tail_bytes = entry["tail_bytes"].get<std::size_t>();
        if (!hash("head_hash", print.head_hash) || !hash("tail_hash", print.tail_hash) ||
            position.path.empty() || print.head_bytes > kFingerprintBytes ||
            print.head_bytes > print.offset || print.tail_bytes > kTailBytes ||
            print.tail_bytes > print.offset) {
            return "an entry has an invalid value";
        }
        saved.push_back(std::move(position));
    }
    return {};
}
}  // namespace

LoadedPositions load_positions(const std::string& path) {
    LoadedPositions loaded;
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        loaded.status = errno == ENOENT ? LoadedPositions::Status::missing
                                        : LoadedPositions::Status::unreadable;
        loaded.error = errno;
        return loaded;
    }
    const std::string text = read_all(fd);
    ::close(fd);
    loaded.problem = parse_entries(nlohmann::json::parse(text, nullptr, false), loaded.positions);
    if (loaded.problem.empty()) {
        loaded.status = LoadedPositions::Status::loaded;
    } else {
        loaded.status = LoadedPositions::Status::corrupt;
        loaded.positions.clear();
    }
    return loaded;
}

std::string positions_document(const std::vector<SavedPosition>& positions) {
    auto entries = nlohmann::json::array();
    for (const SavedPosition& position : positions) {
        const TailFingerprint& print = position.fingerprint;
        entries.push_back({{"path", position.path},
                           {"device", position.identity.device},
                           {"inode", position.identity.inode},
                           {"offset", print.offset},
                           {"head_bytes", print.head_bytes},
                           {"head_hash", to_hex(print.head_hash)},
                           {"tail_bytes", print.tail_bytes},
                           {"tail_hash", to_hex(print.tail_hash)}});
    }
    const nlohmann::json document = {{"version", kStateVersion}, {"files", std::move(entries)}};
    // A path that is not UTF-8 is saved with U+FFFD in place of its odd bytes (and so not found
    // again) rather than making the save fail.
    return document.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
}

std::optional<SaveFailure> save_positions(const std::string& path, const std::string& document) {
    const std::string temporary = path + ".tmp";
    const int fd = ::open(temporary.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0) return SaveFailure{"open " + temporary, errno};
    // fsync before rename: otherwise a crash can leave an empty file under the final name.
    if (!write_all(fd, document) || ::fsync(fd) != 0) {
        const int error = errno;
        ::close(fd);
        ::unlink(temporary.c_str());
        return SaveFailure{"write " + temporary, error};
    }
    ::close(fd);
    if (::rename(temporary.c_str(), path.c_str()) != 0) {
        const int error = errno;
        ::unlink(temporary.c_str());
        return SaveFailure{"rename " + temporary, error};
    }
    const int directory = ::open(directory_of(path).c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (directory >= 0) {
        ::fsync(directory);
        ::close(directory);
    }
    return std::nullopt;
}

}  // namespace netfeed::syslog
