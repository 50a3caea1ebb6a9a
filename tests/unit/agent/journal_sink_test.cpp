// The journal fields of a log line: the component in NETFEED_COMPONENT (and the text), syslog
// priorities journalctl -p understands, and no timestamp of our own.
#include "agent/journal_sink.hpp"

#include <gtest/gtest.h>
#include <spdlog/common.h>
#include <stdlib.h>

#include <string>
#include <vector>

namespace netfeed {
namespace {

TEST(JournalSinkTest, PutsTheComponentInItsOwnField) {
    const auto fields = journal_fields(spdlog::level::warn, "collector.syslog", "queue full");
    const std::vector<std::string> expected = {"MESSAGE=[collector.syslog] queue full",
                                               "PRIORITY=4", "SYSLOG_IDENTIFIER=netfeed",
                                               "NETFEED_COMPONENT=collector.syslog"};
    EXPECT_EQ(fields, expected);
}

TEST(JournalSinkTest, MapsLevelsToSyslogPriorities) {
    const auto priority = [](int level) { return journal_fields(level, "netfeed", "x")[1]; };
    EXPECT_EQ(priority(spdlog::level::trace), "PRIORITY=7");
    EXPECT_EQ(priority(spdlog::level::debug), "PRIORITY=7");
    EXPECT_EQ(priority(spdlog::level::info), "PRIORITY=6");
    EXPECT_EQ(priority(spdlog::level::err), "PRIORITY=3");
    EXPECT_EQ(priority(spdlog::level::critical), "PRIORITY=2");
}

TEST(JournalSinkTest, AMultiLineMessageStaysOneField) {
    // sd_journal_sendv takes each iovec as one field, newlines included (no text protocol).
    const auto fields = journal_fields(spdlog::level::err, "", "line one\nline two");
    EXPECT_EQ(fields[0], "MESSAGE=line one\nline two");
    EXPECT_EQ(fields.size(), 3u) << "no NETFEED_COMPONENT without a component";
}

TEST(JournalSinkTest, StderrIsTheJournalOnlyWhenJournalStreamNamesIt) {
    ::unsetenv("JOURNAL_STREAM");
    EXPECT_FALSE(stderr_is_journal());
    // A service whose stderr was redirected elsewhere inherits a stale JOURNAL_STREAM.
    ::setenv("JOURNAL_STREAM", "1:1", 1);
    EXPECT_FALSE(stderr_is_journal());
    ::unsetenv("JOURNAL_STREAM");
}

}  // namespace
}  // namespace netfeed
