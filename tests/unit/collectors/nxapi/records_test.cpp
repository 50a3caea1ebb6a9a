// NX-API records: one per answer (normalized body, keyed by device), one per row when
// exploded (row fields at the top level, keyed by device and row key), error records.
#include <gtest/gtest.h>

#include "agent/record_json.hpp"
#include "collectors/nxapi/nxapi_records.hpp"

namespace netfeed::nxapi {
namespace {

const DeviceIdentity kDevice{"lab-n9k-1", boost::asio::ip::make_address("192.0.2.10")};

CommandSpec spec(std::string command, bool explode) {
    CommandSpec s;
    s.command = std::move(command);
    s.topic = "nxapi.test";
    s.explode = explode;
    return s;
}

TEST(NxapiRecords, OneRecordPerAnswerWithTheNormalizedBody) {
    RecordBuilder builder("nxapi.errors");
    std::vector<Record> out;
    builder.add_output(kDevice, spec("show inventory", false),
                       Json::parse(R"({"TABLE_inv":{"ROW_inv":{"name":"\"Chassis\""}}})"),
                       Timestamp{}, out);
    ASSERT_EQ(out.size(), 1u);
    const Record& r = out[0];
    EXPECT_EQ(r.kind, RecordKind::nxapi);
    EXPECT_EQ(r.key, "lab-n9k-1");
    const Json j = Json::parse(record_json(r));
    EXPECT_EQ(j["command"], "show inventory");
    EXPECT_TRUE(j["body"]["TABLE_inv"]["ROW_inv"].is_array());
    EXPECT_EQ(j["device"], "lab-n9k-1");
    EXPECT_EQ(r.topic, "nxapi.test");
}

TEST(NxapiRecords, ExplodedRowsHaveTheirFieldsAtTheTopLevel) {
    RecordBuilder builder("nxapi.errors");
    CommandSpec s = spec("show interface", true);
    s.row_key = {"interface"};
    s.numbers = true;
    std::vector<Record> out;
    builder.add_output(kDevice, s, Json::parse(R"({"TABLE_interface":{"ROW_interface":[
        {"interface":"mgmt0","eth_mtu":"1500","time":"shadow","TABLE_x":{"ROW_x":{"a":1}}},
        {"interface":"Ethernet1/1","eth_inbytes":123456789012,"desc":"uplink 1"}]}})"),
                       Timestamp{}, out);
    ASSERT_EQ(out.size(), 2u);
    EXPECT_EQ(out[0].key, "lab-n9k-1|mgmt0");
    EXPECT_EQ(out[1].key, "lab-n9k-1|Ethernet1/1");
    const Json a = Json::parse(record_json(out[0]));
    EXPECT_EQ(a["row_key"], "mgmt0");
    EXPECT_EQ(a["interface"], "mgmt0");
    EXPECT_EQ(a["eth_mtu"], 1500);
    EXPECT_EQ(a["nxapi_time"], "shadow") << "a row field never replaces the envelope";
    EXPECT_NE(a["time"], "shadow");
    EXPECT_TRUE(a["TABLE_x"]["ROW_x"].is_array());
    const Json b = Json::parse(record_json(out[1]));
    EXPECT_EQ(b["eth_inbytes"], 123456789012);
    EXPECT_EQ(b["desc"], "uplink 1");
}

TEST(NxapiRecords, FieldNamesAreBounded) {
    RecordBuilder builder("nxapi.errors", 2);
    CommandSpec s = spec("show x", true);
    std::vector<Record> out;
    builder.add_output(kDevice, s, Json::parse(R"({"TABLE_x":{"ROW_x":{"a":1,"b":2,"c":3}}})"),
                       Timestamp{}, out);
    ASSERT_EQ(out.size(), 1u);
    const Json j = Json::parse(record_json(out[0]));
    EXPECT_EQ(j["a"], 1);
    EXPECT_EQ(j["b"], 2);
    EXPECT_EQ(j["extra_fields"]["c"], 3);
    EXPECT_EQ(j["row_key"], "#0");
}

TEST(NxapiRecords, ErrorRecord) {
    RecordBuilder builder("nxapi.errors");
    const Record r = builder.error_record(
        kDevice, spec("show bogus", false),
        CommandError{ErrorType::bad_command, "Input CLI command error", 200, "-32602"},
        Timestamp{});
    EXPECT_EQ(r.key, "lab-n9k-1|show bogus");
    const Json j = Json::parse(record_json(r));
    EXPECT_EQ(j["command"], "show bogus");
    EXPECT_EQ(j["error_type"], "bad_command");
    EXPECT_EQ(j["error"], "Input CLI command error");
    EXPECT_EQ(j["http_status"], 200);
    EXPECT_EQ(j["error_code"], "-32602");
    EXPECT_EQ(j["command_topic"], "nxapi.test");
    EXPECT_EQ(r.topic, "nxapi.errors");
    const Record timeout =
        builder.error_record(kDevice, spec("show version", false),
                             CommandError{ErrorType::timeout, "t", 0, {}}, Timestamp{});
    const Json t = Json::parse(record_json(timeout));
    EXPECT_FALSE(t.contains("http_status"));
    EXPECT_FALSE(t.contains("error_code"));
}

}  // namespace
}  // namespace netfeed::nxapi
