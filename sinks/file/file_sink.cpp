// The file sink: appends records as JSON lines; reopens the file when logrotate moved it away.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstring>
#include <stdexcept>

#include "agent/option_table.hpp"
#include "sinks/common/json_lines_writer.hpp"
#include "sinks/file/plugin.hpp"

namespace netfeed {

namespace {

struct FileSinkOptions {
    FilePath path;
    bool with_delivery = false;
    static const OptionTable<FileSinkOptions>& options() {
        static const auto table =
            OptionTable<FileSinkOptions>()
                .add("path", &FileSinkOptions::path,
                     "File to append to (created if missing); relative to the config file.",
                     required())
                .add("with_delivery", &FileSinkOptions::with_delivery,
                     "Write {\"topic\",\"key\",\"value\"} around each record.");
        return table;
    }
};

class FileSink final : public Sink {
  public:
    explicit FileSink(FileSinkOptions options)
        : options_(std::move(options)), writer_(options_.with_delivery) {}
    ~FileSink() override { close_file(); }

    void start(SinkContext& context) override {
        context_ = &context;
        if (!open_file()) {
            throw std::runtime_error("cannot open " + options_.path.path +
                                     " for appending: " + std::strerror(errno));
        }
    }

    void write(std::vector<RoutedRecord>& batch, SteadyTime) override {
        const std::size_t n = batch.size();
        if (fd_ >= 0 && writer_.write(fd_, batch)) {
            context_->metrics.sent().inc(n);
            return;
        }
        context_->metrics.errors("write").inc();
        // Leave the batch to be offered again: a full disk may recover; the pipeline's deadline
        // bounds the wait at shutdown.
        reopen_if_moved(true);
    }

    void poll() override { reopen_if_moved(false); }
    std::size_t flush(SteadyTime) override {
        if (fd_ >= 0) ::fsync(fd_);
        return 0;
    }
    void stop() override { close_file(); }

  private:
    bool open_file() {
        fd_ = ::open(options_.path.path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
        if (fd_ < 0) return false;
        struct stat st {};
        if (::fstat(fd_, &st) == 0) inode_ = st.st_ino;
        return true;
    }
    void close_file() {
        if (fd_ >= 0) ::close(fd_);
        fd_ = -1;
    }
    void reopen_if_moved(bool force) {
        const auto now = std::chrono::steady_clock::now();
        if (!force && now < next_check_) return;
        next_check_ = now + std::chrono::seconds(1);
        struct stat st {};
        if (!force && ::stat(options_.path.path.c_str(), &st) == 0 && st.st_ino == inode_) return;
        close_file();
        open_file();
    }

    FileSinkOptions options_;
    JsonLinesWriter writer_;
    SinkContext* context_ = nullptr;
    int fd_ = -1;
    ino_t inode_ = 0;
    std::chrono::steady_clock::time_point next_check_{};
};

}  // namespace

void register_file_sink(PluginRegistry& registry) {
    registry.add_sink<FileSinkOptions>("file", "Records as JSON lines appended to a file.",
                                       [](const FileSinkOptions& options, const BuildContext&) {
                                           return std::make_unique<FileSink>(options);
                                       });
}

}  // namespace netfeed
