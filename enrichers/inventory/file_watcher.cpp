// inotify on the file's directory; see file_watcher.hpp.
#include "enrichers/inventory/file_watcher.hpp"

#include <poll.h>
#include <sys/eventfd.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <stdexcept>

namespace netfeed::inventory {

FileWatcher::FileWatcher(std::string path, Callback on_change, std::chrono::milliseconds settle)
    : path_(std::move(path)), on_change_(std::move(on_change)), settle_(settle) {
    auto dir = std::filesystem::path(path_).parent_path();
    directory_ = dir.empty() ? "." : dir.string();
    file_name_ = std::filesystem::path(path_).filename().string();
}

FileWatcher::~FileWatcher() {
    stop();
}

bool FileWatcher::concerns_file(const char* name) const {
    if (file_name_ == name) return true;
    // Behind a symlink (a Kubernetes configmap swaps a "..data" link), any rename in the
    // directory may change what the path names.
    struct stat st {};
    return ::lstat(path_.c_str(), &st) == 0 && S_ISLNK(st.st_mode);
}

void FileWatcher::start() {
    inotify_fd_ = ::inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
    if (inotify_fd_ < 0)
        throw std::runtime_error(std::string("inotify_init1: ") + std::strerror(errno));
    // Close-after-write and rename-into-place are the moments a file is whole; a bare modify
    // may be half a write.
    const std::uint32_t mask = IN_CLOSE_WRITE | IN_MOVED_TO | IN_ATTRIB;
    if (::inotify_add_watch(inotify_fd_, directory_.c_str(), mask) < 0) {
        const int error = errno;
        ::close(inotify_fd_);
        inotify_fd_ = -1;
        throw std::runtime_error("cannot watch " + directory_ + ": " + std::strerror(error));
    }
    wake_fd_ = ::eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
    thread_ = std::thread([this] { run(); });
}

void FileWatcher::stop() {
    if (thread_.joinable()) {
        const std::uint64_t one = 1;
        [[maybe_unused]] auto n = ::write(wake_fd_, &one, sizeof one);
        thread_.join();
    }
    if (inotify_fd_ >= 0) ::close(inotify_fd_);
    if (wake_fd_ >= 0) ::close(wake_fd_);
    inotify_fd_ = wake_fd_ = -1;
}

void FileWatcher::run() {
    alignas(inotify_event) char buffer[8192];
    bool pending = false;
    while (true) {
        pollfd fds[2] = {{inotify_fd_, POLLIN, 0}, {wake_fd_, POLLIN, 0}};
        const int timeout = pending ? static_cast<int>(settle_.count()) : -1;
        const int n = ::poll(fds, 2, timeout);
        if (n < 0 && errno != EINTR) return;
        if (fds[1].revents != 0) return;
        if (n == 0) {
            pending = false;
            on_change_();
            continue;
        }
        if ((fds[0].revents & POLLIN) != 0) {
            ssize_t got = 0;
            while ((got = ::read(inotify_fd_, buffer, sizeof buffer)) > 0) {
                for (ssize_t at = 0; at < got;) {
                    const auto* event = reinterpret_cast<const inotify_event*>(buffer + at);
                    if (event->len > 0 && concerns_file(event->name)) pending = true;
                    at += static_cast<ssize_t>(sizeof(inotify_event) + event->len);
                }
            }
        }
    }
}

}  // namespace netfeed::inventory
