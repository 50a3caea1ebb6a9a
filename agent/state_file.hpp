// Small files a collector keeps under agent.state_dir to survive restarts (templates, file
// positions, counter baselines), written crash-consistently: a reader after any crash sees
// either the previous file or the new one whole, never a mix or an empty file.
#pragma once

#include <string>
#include <string_view>

#include "agent/metrics.hpp"

namespace netfeed {

/// Writes `text` to `path` via `path`.tmp: write, fsync, rename, fsync of the directory.
/// Creates missing parent directories. Returns an empty string, or what failed.
std::string write_state_file(const std::string& path, std::string_view text);

enum class StateRead : std::uint8_t { ok, missing, failed };

/// Reads a whole state file into `text`; `error` says why when it returns failed.
StateRead read_state_file(const std::string& path, std::string& text, std::string& error);

/// `netfeed_state_saves_total{collector}`: state files written by one collector.
Counter& state_saves_counter(ComponentMetrics& metrics);
/// `netfeed_state_load_errors_total{collector}`: state files found unreadable or corrupt at
/// start (the collector then starts without them).
Counter& state_load_errors_counter(ComponentMetrics& metrics);

}  // namespace netfeed
