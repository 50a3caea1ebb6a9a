// Calls back when a file is replaced or rewritten, by watching its directory with inotify, so
// that editors which write a new file and rename it over the old one are seen too.
#pragma once

#include <atomic>
#include <chrono>
#include <functional>
#include <string>
#include <thread>

namespace netfeed::inventory {

class FileWatcher {
  public:
    using Callback = std::function<void()>;

    /// `settle`: how long the directory must stay quiet after a change before the callback runs,
    /// so a burst of events (write, rename, chmod) costs one reload.
    FileWatcher(std::string path, Callback on_change,
                std::chrono::milliseconds settle = std::chrono::milliseconds(100));
    ~FileWatcher();
    FileWatcher(const FileWatcher&) = delete;
    FileWatcher& operator=(const FileWatcher&) = delete;

    /// Starts the watching thread; throws std::runtime_error when inotify cannot watch the
    /// directory.
    void start();
    void stop();

  private:
    bool concerns_file(const char* name) const;
    void run();

    std::string path_;
    std::string directory_;
    Callback on_change_;
    std::chrono::milliseconds settle_;
    int inotify_fd_ = -1;
    int wake_fd_ = -1;
    std::string file_name_;
    std::thread thread_;
};

}  // namespace netfeed::inventory
