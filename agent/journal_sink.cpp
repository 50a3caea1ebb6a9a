// The journal sink; see journal_sink.hpp.
#include "agent/journal_sink.hpp"

#include <spdlog/sinks/base_sink.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <systemd/sd-journal.h>

#include <cstdio>
#include <cstdlib>
#include <mutex>

namespace netfeed {

namespace {

// syslog(3) priorities, as journalctl -p filters them.
int journal_priority(int level) {
    switch (level) {
        case spdlog::level::trace:
        case spdlog::level::debug:
            return 7;  // debug
        case spdlog::level::info:
            return 6;  // info
        case spdlog::level::warn:
            return 4;  // warning
        case spdlog::level::err:
            return 3;  // err
        case spdlog::level::critical:
            return 2;  // crit
        default:
            return 6;
    }
}

class JournalSink final : public spdlog::sinks::base_sink<std::mutex> {
  protected:
    void sink_it_(const spdlog::details::log_msg& msg) override {
        const auto fields = journal_fields(
            msg.level, std::string_view(msg.logger_name.data(), msg.logger_name.size()),
            std::string_view(msg.payload.data(), msg.payload.size()));
        std::vector<iovec> iov;
        iov.reserve(fields.size());
        for (const auto& f : fields)
            iov.push_back(iovec{const_cast<char*>(f.data()), f.size()});
        sd_journal_sendv(iov.data(), static_cast<int>(iov.size()));
    }
    void flush_() override {}
};

}  // namespace

std::vector<std::string> journal_fields(int level, std::string_view component,
                                        std::string_view message) {
    std::vector<std::string> fields;
    // The component stays in the text too: `journalctl -u netfeed` shows MESSAGE only.
    std::string text = "MESSAGE=";
    if (!component.empty()) {
        text += "[";
        text += component;
        text += "] ";
    }
    text += message;
    fields.push_back(std::move(text));
    fields.push_back("PRIORITY=" + std::to_string(journal_priority(level)));
    fields.push_back("SYSLOG_IDENTIFIER=netfeed");
    if (!component.empty()) fields.push_back("NETFEED_COMPONENT=" + std::string(component));
    return fields;
}

bool stderr_is_journal() {
    const char* stream = std::getenv("JOURNAL_STREAM");
    if (stream == nullptr) return false;
    unsigned long long device = 0, inode = 0;
    if (std::sscanf(stream, "%llu:%llu", &device, &inode) != 2) return false;
    struct stat st {};
    if (::fstat(2, &st) != 0) return false;
    return static_cast<unsigned long long>(st.st_dev) == device &&
           static_cast<unsigned long long>(st.st_ino) == inode;
}

std::shared_ptr<spdlog::sinks::sink> make_journal_sink() {
    return std::make_shared<JournalSink>();
}

}  // namespace netfeed
