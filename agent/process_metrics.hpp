// The agent's own cost as the standard process_* series every Prometheus client library exports
// (CPU seconds, memory, file descriptors, start time), read from /proc/self at scrape time.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace netfeed {

/// What /proc/self/stat says, converted to seconds and bytes.
struct ProcStat {
    double cpu_seconds = 0;            // utime + stime
    double start_after_boot_s = 0;     // starttime
    std::uint64_t virtual_bytes = 0;   // vsize
    std::uint64_t resident_bytes = 0;  // rss pages * page size
};

/// Parses the one line of /proc/<pid>/stat; nullopt when it is not in that format.
std::optional<ProcStat> parse_proc_stat(std::string_view text, long ticks_per_second,
                                        long page_size);
/// The "btime" (boot time, seconds since the epoch) line of /proc/stat.
std::optional<std::uint64_t> parse_boot_time(std::string_view proc_stat);
/// The soft limit of "Max open files" in /proc/<pid>/limits; nullopt when absent, and the
/// largest uint64 for "unlimited".
std::optional<std::uint64_t> parse_max_open_files(std::string_view limits);

/// Renders the process_* families in Prometheus text format, appended to /metrics.
class ProcessMetrics {
  public:
    /// Reads the boot time once: it does not change while the agent runs.
    ProcessMetrics();
    std::string render() const;

  private:
    std::optional<std::uint64_t> boot_time_;
};

}  // namespace netfeed
