// Logs straight to the systemd journal when the agent runs as a service, with the component
// (the logger's name, "collector.syslog") in its own field, NETFEED_COMPONENT, so that
// `journalctl -u netfeed NETFEED_COMPONENT=sink.kafka` shows one component's lines.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace spdlog::sinks {
class sink;
}

namespace netfeed {

/// The journal fields ("NAME=value") of one log line. The journal stamps the time and keeps
/// the priority, so the message carries neither; `level` is spdlog's (0 trace .. 6 off).
std::vector<std::string> journal_fields(int level, std::string_view component,
                                        std::string_view message);

/// True when stderr is the journal's stream for this process (JOURNAL_STREAM names the device
/// and inode of stderr, as systemd sets it for a service whose output goes to the journal).
bool stderr_is_journal();

/// A spdlog sink writing with sd_journal_sendv.
std::shared_ptr<spdlog::sinks::sink> make_journal_sink();

}  // namespace netfeed
