// Record -> JSON: the envelope, every value type, and that any kafka consumer can json.loads it.
#include "agent/record_json.hpp"

#include <gtest/gtest.h>

namespace netfeed {
namespace {

Record sample() {
    using namespace std::chrono;
    Record r;
    r.kind = RecordKind::flow;
    r.time = sys_days{year{2026} / November / 23} + hours{1};
    r.received = r.time + milliseconds{5};
    r.device = "lax-cor-r1";
    r.device_address = boost::asio::ip::make_address("10.0.0.1");
    r.add("src_addr", boost::asio::ip::make_address("192.0.2.10"));
    r.add("dst_addr", boost::asio::ip::make_address("2001:db8::1"));
    r.add("src_port", std::uint64_t{443});
    r.add("delta", std::int64_t{-3});
    r.add("ratio", 0.5);
    r.add("up", true);
    r.add("note", std::string("say \"hi\"\n"));
    r.add("missing", std::monostate{});
    r.add("sd", Json{{"origin", {{"ip", "10.0.0.1"}}}});
    return r;
}

TEST(RecordJson, EnvelopeAndFieldsInOrder) {
    EXPECT_EQ(record_json(sample()),
              R"({"kind":"flow","time":"2026-11-23T01:00:00.000000Z",)"
              R"("time_received":"2026-11-23T01:00:00.005000Z","device":"lax-cor-r1",)"
              R"("device_address":"10.0.0.1","src_addr":"192.0.2.10","dst_addr":"2001:db8::1",)"
              R"("src_port":443,"delta":-3,"ratio":0.5,"up":true,"note":"say \"hi\"\n",)"
              R"("missing":null,"sd":{"origin":{"ip":"10.0.0.1"}}})");
}

TEST(RecordJson, ParsesBackWithTypes) {
    const auto parsed = Json::parse(record_json(sample()));
    EXPECT_EQ(parsed["src_port"].get<std::uint64_t>(), 443u);
    EXPECT_TRUE(parsed["up"].get<bool>());
    EXPECT_TRUE(parsed["missing"].is_null());
    EXPECT_EQ(parsed["sd"]["origin"]["ip"], "10.0.0.1");
}

TEST(RecordJson, UnsetAddressIsNullAndBadUtf8IsRepaired) {
    Record r;
    r.kind = RecordKind::syslog;
    r.device = "r\xFF";
    r.add("message", std::string("\xC3("));
    r.add("nested", Json{{"bad", std::string("\xFF")}});
    const auto parsed = Json::parse(record_json(r));
    EXPECT_TRUE(parsed["device_address"].is_null());
    EXPECT_EQ(parsed["device"], "r\xEF\xBF\xBD");
    EXPECT_EQ(parsed["message"], "\xEF\xBF\xBD(");
    EXPECT_EQ(parsed["nested"]["bad"], "\xEF\xBF\xBD");
}

TEST(RecordJson, NamesThatNeedEscapingAreEscaped) {
    Record r;
    const FieldName odd = FieldName::intern("we\"ird name");
    EXPECT_FALSE(odd.plain());
    EXPECT_TRUE(FieldName("src_addr").plain());
    r.add(odd, std::uint64_t{1});
    EXPECT_EQ(Json::parse(record_json(r))["we\"ird name"], 1);
}

TEST(Record, SetReplacesFindAndErase) {
    Record r;
    r.add("a", std::uint64_t{1});
    r.set("a", std::uint64_t{2});
    r.set(FieldName::intern(std::string("b")), std::string("x"));
    ASSERT_EQ(r.fields.size(), 2u);
    EXPECT_EQ(std::get<std::uint64_t>(*r.find("a")), 2u);
    EXPECT_EQ(std::get<std::string>(*r.find("b")), "x");
    EXPECT_TRUE(r.erase("a"));
    EXPECT_EQ(r.find("a"), nullptr);
    EXPECT_FALSE(r.erase("a"));
}

TEST(Record, KindNamesRoundTrip) {
    for (RecordKind kind : all_record_kinds()) {
        EXPECT_EQ(parse_record_kind(to_string(kind)), kind);
    }
    EXPECT_FALSE(parse_record_kind("flows").has_value());
}

}  // namespace
}  // namespace netfeed
