// Crash-consistent state files (see state_file.hpp).
#include "agent/state_file.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace netfeed {

namespace {

std::string errno_text(int error) {
    return std::strerror(error);
}

bool write_all(int fd, std::string_view text) {
    while (!text.empty()) {
        const ssize_t n = ::write(fd, text.data(), text.size());
        if (n < 0) {
            if (errno == EINTR) continue;
            return false;
        }
        text.remove_prefix(static_cast<std::size_t>(n));
    }
    return true;
}

Labels collector_label(const ComponentMetrics& metrics) {
    return {{"collector", metrics.component()}};
}

}  // namespace

std::string write_state_file(const std::string& path, std::string_view text) {
    const std::filesystem::path target(path);
    std::error_code ec;
    std::filesystem::create_directories(target.parent_path(), ec);
    if (ec) return "cannot create " + target.parent_path().string() + ": " + ec.message();
    const std::string temporary = path + ".tmp";
    const int fd = ::open(temporary.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0) return "cannot open " + temporary + ": " + errno_text(errno);
    // fsync before rename: otherwise a crash can leave an empty file under the final name.
    if (!write_all(fd, text) || ::fsync(fd) != 0) {
        const int error = errno;
        ::close(fd);
        ::unlink(temporary.c_str());
        return "cannot write " + temporary + ": " + errno_text(error);
    }
    ::close(fd);
    if (::rename(temporary.c_str(), path.c_str()) != 0) {
        const int error = errno;
        ::unlink(temporary.c_str());
        return "cannot rename " + temporary + ": " + errno_text(error);
    }
    // The rename itself lives in the directory: without this a power loss may undo it.
    const std::string directory =
        target.parent_path().empty() ? "." : target.parent_path().string();
    const int dir = ::open(directory.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dir >= 0) {
        ::fsync(dir);
        ::close(dir);
    }
    return {};
}

StateRead read_state_file(const std::string& path, std::string& text, std::string& error) {
    std::error_code ec;
    if (!std::filesystem::exists(path, ec)) {
        if (!ec) return StateRead::missing;
        error = "cannot read " + path + ": " + ec.message();
        return StateRead::failed;
    }
    if (!std::filesystem::is_regular_file(path, ec)) {
        error = path + " is not a regular file";
        return StateRead::failed;
    }
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        error = "cannot open " + path + ": " + errno_text(errno);
        return StateRead::failed;
    }
    std::ostringstream buffer;
    buffer << in.rdbuf();
    if (in.bad()) {
        error = "cannot read " + path;
        return StateRead::failed;
    }
    text = std::move(buffer).str();
    return StateRead::ok;
}

Counter& state_saves_counter(ComponentMetrics& metrics) {
    return metrics.registry().counter("netfeed_state_saves_total",
                                      "State files written under agent.state_dir, per collector",
                                      collector_label(metrics));
}

Counter& state_load_errors_counter(ComponentMetrics& metrics) {
    return metrics.registry().counter(
        "netfeed_state_load_errors_total",
        "State files found unreadable or corrupt at start (the collector started without them)",
        collector_label(metrics));
}

}  // namespace netfeed
