// process_* metrics: the /proc parsers on real-format text, and a render of this process.
#include "agent/process_metrics.hpp"

#include <gtest/gtest.h>

#include <limits>

namespace netfeed {
namespace {

// /proc/<pid>/stat of a process whose name holds a space and a parenthesis, as proc(5) allows.
constexpr const char* kStat =
    "4242 (net feed) x) S 1 4242 4242 0 -1 4194560 12000 0 3 0 250 130 0 0 20 0 9 0 123456 "
    "812646400 5120 18446744073709551615 1 1 0 0 0 0 0 4096 17000 0 0 0 17 1 0 0 0 0 0 0 0 0 0 "
    "0 0 0 0\n";

TEST(ProcessMetricsTest, ParsesStatAfterTheLastParenthesis) {
    const auto stat = parse_proc_stat(kStat, 100, 4096);
    ASSERT_TRUE(stat.has_value());
    EXPECT_DOUBLE_EQ(stat->cpu_seconds, 3.8);  // (250 + 130) ticks at 100 Hz
    EXPECT_DOUBLE_EQ(stat->start_after_boot_s, 1234.56);
    EXPECT_EQ(stat->virtual_bytes, 812646400u);
    EXPECT_EQ(stat->resident_bytes, 5120u * 4096u);
}

TEST(ProcessMetricsTest, RejectsTruncatedOrGarbledStat) {
    EXPECT_FALSE(parse_proc_stat("4242 (netfeed) S 1 2 3", 100, 4096).has_value());
    EXPECT_FALSE(parse_proc_stat("no parenthesis here", 100, 4096).has_value());
    std::string garbled = kStat;
    garbled.replace(garbled.find(" 250 "), 5, " x50 ");
    EXPECT_FALSE(parse_proc_stat(garbled, 100, 4096).has_value());
}

TEST(ProcessMetricsTest, FindsBootTimeInProcStat) {
    EXPECT_EQ(parse_boot_time("cpu  1 2 3 4\nintr 5 6\nctxt 7\nbtime 1764970000\nprocesses 9\n"),
              1764970000u);
    EXPECT_FALSE(parse_boot_time("cpu  1 2 3 4\nctxt 7\n").has_value());
}

TEST(ProcessMetricsTest, ReadsTheSoftOpenFilesLimit) {
    const char* limits =
        "Limit                     Soft Limit           Hard Limit           Units     \n"
        "Max cpu time              unlimited            unlimited            seconds   \n"
        "Max open files            65536                524288               files     \n"
        "Max locked memory         8388608              8388608              bytes     \n";
    EXPECT_EQ(parse_max_open_files(limits), 65536u);
    EXPECT_EQ(parse_max_open_files("Max open files            unlimited            unlimited "
                                   "           files\n"),
              std::numeric_limits<std::uint64_t>::max());
    EXPECT_FALSE(parse_max_open_files("Max cpu time unlimited unlimited seconds\n").has_value());
}

TEST(ProcessMetricsTest, RendersEveryFamilyForThisProcess) {
    const std::string text = ProcessMetrics().render();
    for (const char* name : {"process_cpu_seconds_total", "process_resident_memory_bytes",
                             "process_virtual_memory_bytes", "process_open_fds", "process_max_fds",
                             "process_start_time_seconds"}) {
        EXPECT_NE(text.find(std::string("\n") + name + " "), std::string::npos) << name;
    }
    EXPECT_NE(text.find("# TYPE process_cpu_seconds_total counter"), std::string::npos);
    EXPECT_NE(text.find("# TYPE process_open_fds gauge"), std::string::npos);
}

}  // namespace
}  // namespace netfeed
