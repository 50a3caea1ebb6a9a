// JSON text output: escaping, UTF-8 repair, numbers and timestamps, checked against nlohmann.
#include "agent/json_writer.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <nlohmann/json.hpp>

namespace netfeed {
namespace {

std::string escaped(std::string_view in) {
    std::string out;
    append_json_escaped(out, in);
    return out;
}

struct EscapeCase {
    std::string input;
    std::string expected;
};

TEST(JsonWriter, EscapesTable) {
    const EscapeCase cases[] = {
        {"plain text", "plain text"},
        {"quote \" and backslash \\", "quote \\\" and backslash \\\\"},
        {"line\nfeed\r\ttab", "line\\nfeed\\r\\ttab"},
        {std::string("nul\0byte", 8), "nul\\u0000byte"},
        {"\x01\x1f", "\\u0001\\u001f"},
        {"caf\xC3\xA9", "caf\xC3\xA9"},                            // valid 2-byte UTF-8 kept
        {"\xE2\x82\xAC euro", "\xE2\x82\xAC euro"},                // valid 3-byte
        {"\xF0\x9F\x98\x80", "\xF0\x9F\x98\x80"},                  // valid 4-byte (emoji)
        {"bad \xFF byte", "bad \xEF\xBF\xBD byte"},                // invalid byte -> U+FFFD
        {"\xC3", "\xEF\xBF\xBD"},                                  // truncated sequence
        {"\xC0\xAF", "\xEF\xBF\xBD\xEF\xBF\xBD"},                  // overlong '/'
        {"\xED\xA0\x80", "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD"},  // UTF-16 surrogate
        {"\xF4\x90\x80\x80", "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD"},  // > U+10FFFF
    };
    for (const auto& c : cases) {
        EXPECT_EQ(escaped(c.input), c.expected) << "input: " << c.input;
    }
}

TEST(JsonWriter, AnyBytesGiveValidJsonThatRoundTrips) {
    std::string all;
    for (int i = 0; i < 256; ++i)
        all.push_back(static_cast<char>(i));
    std::string doc;
    JsonWriter w(doc);
    w.begin_object();
    w.key("s");
    w.string(all);
    w.end_object();
    const auto parsed = nlohmann::json::parse(doc);  // throws on invalid JSON or UTF-8
    const std::string back = parsed["s"].get<std::string>();
    EXPECT_EQ(back.substr(0, 128), all.substr(0, 128));  // ASCII survives exactly
}

TEST(JsonWriter, NumbersBooleansNullAndNesting) {
    std::string doc;
    JsonWriter w(doc);
    w.begin_object();
    w.key("i");
    w.number(std::int64_t{-42});
    w.key("u");
    w.number(std::uint64_t{18446744073709551615ull});
    w.key("d");
    w.number(0.25);
    w.key("nan");
    w.number(std::nan(""));
    w.key("t");
    w.boolean(true);
    w.key("n");
    w.null();
    w.key("a");
    w.begin_array();
    w.number(std::int64_t{1});
    w.string("x");
    w.end_array();
    w.end_object();
    EXPECT_EQ(doc, R"({"i":-42,"u":18446744073709551615,"d":0.25,"nan":null,"t":true,"n":null,)"
                   R"("a":[1,"x"]})");
}

TEST(JsonWriter, Rfc3339Microseconds) {
    using namespace std::chrono;
    const sys_days day = year{2021} / November / 6;
    const auto t = day + hours{6} + minutes{16} + seconds{5} + microseconds{123456};
    EXPECT_EQ(format_rfc3339(t), "2021-11-06T06:16:05.123456Z");
    EXPECT_EQ(format_rfc3339(sys_days{year{1970} / January / 1}), "1970-01-01T00:00:00.000000Z");
}

}  // namespace
}  // namespace netfeed
