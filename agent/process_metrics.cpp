// process_* metrics from /proc/self; see process_metrics.hpp.
#include "agent/process_metrics.hpp"

#include <fmt/format.h>
#include <unistd.h>

#include <charconv>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <limits>
#include <vector>

namespace netfeed {

namespace {

std::string read_file(const char* path) {
    std::ifstream in(path, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

template <typename T>
bool parse_number(std::string_view text, T& value) {
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    return ec == std::errc() && end == text.data() + text.size();
}

std::vector<std::string_view> split_spaces(std::string_view text) {
    std::vector<std::string_view> fields;
    std::size_t i = 0;
    while (i < text.size()) {
        while (i < text.size() && (text[i] == ' ' || text[i] == '\t' || text[i] == '\n'))
            ++i;
        const std::size_t start = i;
        while (i < text.size() && text[i] != ' ' && text[i] != '\t' && text[i] != '\n')
            ++i;
        if (i > start) fields.push_back(text.substr(start, i - start));
    }
    return fields;
}

std::size_t count_open_fds() {
    std::error_code ec;
    std::size_t n = 0;
    for (std::filesystem::directory_iterator it("/proc/self/fd", ec), end; !ec && it != end;
         it.increment(ec))
        ++n;
    // The directory iterator's own descriptor was open while it counted.
    return n > 0 ? n - 1 : 0;
}

void family(std::string& out, std::string_view name, std::string_view type, std::string_view help,
            double value) {
    out += fmt::format("# HELP {} {}\n# TYPE {} {}\n{} {}\n", name, help, name, type, name, value);
}

}  // namespace

std::optional<ProcStat> parse_proc_stat(std::string_view text, long ticks_per_second,
                                        long page_size) {
    // The command name (field 2) is in parentheses and may itself hold spaces and ')': the
    // numeric fields start after the last ')'.
    const auto close = text.rfind(')');
    if (close == std::string_view::npos || ticks_per_second <= 0) return std::nullopt;
    const auto fields = split_spaces(text.substr(close + 1));
    // fields[0] is field 3 (state); field N of proc(5) is fields[N - 3].
    constexpr std::size_t kUtime = 14 - 3, kStime = 15 - 3, kStart = 22 - 3, kVsize = 23 - 3,
                          kRss = 24 - 3;
    if (fields.size() <= kRss) return std::nullopt;
    std::uint64_t utime = 0, stime = 0, start = 0, vsize = 0;
    std::int64_t rss = 0;
    if (!parse_number(fields[kUtime], utime) || !parse_number(fields[kStime], stime) ||
        !parse_number(fields[kStart], start) || !parse_number(fields[kVsize], vsize) ||
        !parse_number(fields[kRss], rss)) {
        return std::nullopt;
    }
    ProcStat stat;
    const auto ticks = static_cast<double>(ticks_per_second);
    stat.cpu_seconds = static_cast<double>(utime + stime) / ticks;
    stat.start_after_boot_s = static_cast<double>(start) / ticks;
    stat.virtual_bytes = vsize;
    stat.resident_bytes = rss > 0 ? static_cast<std::uint64_t>(rss) * page_size : 0;
    return stat;
}

std::optional<std::uint64_t> parse_boot_time(std::string_view proc_stat) {
    std::size_t pos = 0;
    while (pos < proc_stat.size()) {
        auto end = proc_stat.find('\n', pos);
        if (end == std::string_view::npos) end = proc_stat.size();
        const auto fields = split_spaces(proc_stat.substr(pos, end - pos));
        std::uint64_t value = 0;
        if (fields.size() == 2 && fields[0] == "btime" && parse_number(fields[1], value)) {
            return value;
        }
        pos = end + 1;
    }
    return std::nullopt;
}

std::optional<std::uint64_t> parse_max_open_files(std::string_view limits) {
    constexpr std::string_view kName = "Max open files";
    const auto at = limits.find(kName);
    if (at == std::string_view::npos) return std::nullopt;
    auto end = limits.find('\n', at);
    if (end == std::string_view::npos) end = limits.size();
    // "Max open files            1024                 524288               files"
    const auto fields = split_spaces(limits.substr(at + kName.size(), end - at - kName.size()));
    if (fields.empty()) return std::nullopt;
    if (fields[0] == "unlimited") return std::numeric_limits<std::uint64_t>::max();
    std::uint64_t value = 0;
    if (!parse_number(fields[0], value)) return std::nullopt;
    return value;
}

ProcessMetrics::ProcessMetrics() : boot_time_(parse_boot_time(read_file("/proc/stat"))) {}

std::string ProcessMetrics::render() const {
    std::string out;
    const auto stat = parse_proc_stat(read_file("/proc/self/stat"), ::sysconf(_SC_CLK_TCK),
                                      ::sysconf(_SC_PAGESIZE));
    if (stat) {
        family(out, "process_cpu_seconds_total", "counter",
               "Total user and system CPU time spent in seconds.", stat->cpu_seconds);
        family(out, "process_resident_memory_bytes", "gauge", "Resident memory size in bytes.",
               static_cast<double>(stat->resident_bytes));
        family(out, "process_virtual_memory_bytes", "gauge", "Virtual memory size in bytes.",
               static_cast<double>(stat->virtual_bytes));
        if (boot_time_) {
            family(out, "process_start_time_seconds", "gauge",
                   "Start time of the process since unix epoch in seconds.",
                   static_cast<double>(*boot_time_) + stat->start_after_boot_s);
        }
    }
    family(out, "process_open_fds", "gauge", "Number of open file descriptors.",
           static_cast<double>(count_open_fds()));
    if (const auto max_fds = parse_max_open_files(read_file("/proc/self/limits"))) {
        family(out, "process_max_fds", "gauge", "Maximum number of open file descriptors.",
               static_cast<double>(*max_fds));
    }
    return out;
}

}  // namespace netfeed
