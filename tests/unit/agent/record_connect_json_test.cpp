// The connect_json envelope of every record kind, checked by a validator of the Kafka Connect
// JSON schema rules written here from the JsonConverter's format (types, optional, struct
// fields, arrays, maps), independently of the serializer.
#include "agent/record_connect_json.hpp"

#include <gtest/gtest.h>

#include <limits>
#include <set>

#include "agent/plugin_registry.hpp"
#include "agent/record_value.hpp"

namespace netfeed {
namespace {

// Returns "" when `payload` is valid for `schema`, else what is wrong and where.
std::string validate(const Json& schema, const Json& payload, const std::string& at) {
    static const std::set<std::string> kTypes = {"int8",    "int16",   "int32",   "int64",
                                                 "float32", "float64", "boolean", "string",
                                                 "bytes",   "array",   "map",     "struct"};
    static const std::set<std::string> kKeys = {"type",    "optional", "field",   "fields",
                                                "items",   "keys",     "values",  "name",
                                                "version", "doc",      "default", "parameters"};
    if (!schema.is_object()) return at + ": schema is not an object";
    for (const auto& [key, value] : schema.items()) {
        if (!kKeys.contains(key)) return at + ": unknown schema key " + key;
    }
    if (!schema.contains("type") || !schema["type"].is_string()) return at + ": schema has no type";
    const std::string type = schema["type"];
    if (!kTypes.contains(type)) return at + ": unknown type " + type;
    if (schema.contains("optional") && !schema["optional"].is_boolean())
        return at + ": optional is not a boolean";
    const bool optional = schema.value("optional", false);
    if (payload.is_null()) return optional ? "" : at + ": null for a required " + type;
    if (type == "int8" || type == "int16" || type == "int32" || type == "int64") {
        if (!payload.is_number_integer()) return at + ": " + type + " but " + payload.dump();
        if (payload.is_number_unsigned() &&
            payload.get<std::uint64_t>() >
                static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max()))
            return at + ": int64 out of range " + payload.dump();
        return "";
    }
    if (type == "float32" || type == "float64")
        return payload.is_number() ? "" : at + ": float but " + payload.dump();
    if (type == "boolean")
        return payload.is_boolean() ? "" : at + ": boolean but " + payload.dump();
    if (type == "string" || type == "bytes")
        return payload.is_string() ? "" : at + ": string but " + payload.dump();
    if (type == "array") {
        if (!schema.contains("items")) return at + ": array without items";
        if (!payload.is_array()) return at + ": array but " + payload.dump();
        for (std::size_t i = 0; i < payload.size(); ++i) {
            auto e = validate(schema["items"], payload[i], at + "[" + std::to_string(i) + "]");
            if (!e.empty()) return e;
        }
        return "";
    }
    if (type == "map") {
        if (!schema.contains("keys") || !schema.contains("values"))
            return at + ": map without keys or values";
        if (schema["keys"]["type"] != "string") return at + ": only string-keyed maps expected";
        if (!payload.is_object()) return at + ": map but " + payload.dump();
        for (const auto& [key, value] : payload.items()) {
            auto e = validate(schema["values"], value, at + "{" + key + "}");
            if (!e.empty()) return e;
        }
        return "";
    }
    // struct
    if (!schema.contains("fields") || !schema["fields"].is_array())
        return at + ": struct without fields";
    if (!payload.is_object()) return at + ": struct but " + payload.dump();
    std::set<std::string> names;
    for (const auto& field : schema["fields"]) {
        if (!field.contains("field") || !field["field"].is_string())
            return at + ": struct field without a name";
        const std::string name = field["field"];
        if (!names.insert(name).second) return at + ": field " + name + " twice";
        auto e = validate(field, payload.contains(name) ? payload[name] : Json(nullptr),
                          at + "." + name);
        if (!e.empty()) return e;
    }
    for (const auto& [key, value] : payload.items()) {
        if (!names.contains(key)) return at + ": payload field " + key + " not in the schema";
    }
    return "";
}

Json envelope(const Record& record) {
    std::string out;
    append_record_value(record, ValueFormat::connect_json, out);
    EXPECT_EQ(out.find('\n'), std::string::npos);
    return Json::parse(out);
}

void expect_valid(const Json& message) {
    ASSERT_TRUE(message.is_object());
    ASSERT_EQ(message.size(), 2u) << message.dump();
    ASSERT_TRUE(message.contains("schema"));
    ASSERT_TRUE(message.contains("payload"));
    EXPECT_EQ(message["schema"]["type"], "struct");
    EXPECT_EQ(message["schema"]["optional"], false);
    EXPECT_EQ(validate(message["schema"], message["payload"], "$"), "");
}

const Json* schema_field(const Json& message, const std::string& name) {
    for (const auto& f : message["schema"]["fields"]) {
        if (f["field"] == name) return &f;
    }
    return nullptr;
}

Record base(RecordKind kind) {
    builtin_plugins();  // the plugins declare the fields the schema lists
    Record r;
    r.kind = kind;
    r.time = r.received = Timestamp(std::chrono::seconds(1'700'000'000));
    r.device = "lax-cor-r1";
    r.device_address = boost::asio::ip::make_address("192.0.2.1");
    return r;
}

TEST(ConnectJson, Flow) {
    Record r = base(RecordKind::flow);
    r.add("flow_version", std::uint64_t{10});
    r.add("src_addr", boost::asio::ip::make_address("2001:db8::1"));
    r.add("bytes", std::numeric_limits<std::uint64_t>::max());  // past int64: capped
    r.add("extra", Json{{"0:200", "0a0b"}, {"9:1", "ff"}});
    r.add("inventory_match", true);
    r.add("inventory_city", std::string("Los Angeles"));
    const Json m = envelope(r);
    expect_valid(m);
    EXPECT_EQ(m["schema"]["name"], "netfeed.flow");
    EXPECT_EQ((*schema_field(m, "kind"))["optional"], false);
    EXPECT_EQ((*schema_field(m, "device_address"))["optional"], true);
    EXPECT_EQ((*schema_field(m, "bytes"))["type"], "int64");
    EXPECT_EQ((*schema_field(m, "vlan_id"))["type"], "int64");  // documented, absent: null
    EXPECT_TRUE(m["payload"]["vlan_id"].is_null());
    EXPECT_EQ((*schema_field(m, "src_addr"))["type"], "string");
    EXPECT_EQ(m["payload"]["src_addr"], "2001:db8::1");
    EXPECT_EQ(m["payload"]["bytes"].get<std::int64_t>(), std::numeric_limits<std::int64_t>::max());
    EXPECT_EQ((*schema_field(m, "extra"))["type"], "map");
    EXPECT_EQ(m["payload"]["extra"]["9:1"], "ff");
    EXPECT_EQ((*schema_field(m, "inventory_match"))["type"], "boolean");
    EXPECT_EQ((*schema_field(m, "inventory_city"))["type"], "string");
    EXPECT_EQ(m["payload"]["device"], "lax-cor-r1");
    EXPECT_EQ(m["payload"]["time"], "2023-11-14T22:13:20.000000Z");
}

TEST(ConnectJson, SyslogWithStructuredData) {
    Record r = base(RecordKind::syslog);
    r.add("severity", std::uint64_t{3});
    r.add("message", std::string("link down"));
    r.add("structured_data", Json{{"origin", {{"ip", "192.0.2.1"}}},
                                  {"meta", {{"sequenceId", "7"}, {"x", {"a", "b"}}}}});
    const Json m = envelope(r);
    expect_valid(m);
    EXPECT_EQ((*schema_field(m, "severity"))["type"], "int64");
    EXPECT_TRUE(m["payload"]["facility"].is_null());
    const Json& sd = *schema_field(m, "structured_data");
    // Params of differing shapes (a repeated param is an array) make nested structs.
    EXPECT_EQ(sd["type"], "struct");
    EXPECT_EQ(m["payload"]["structured_data"]["origin"]["ip"], "192.0.2.1");
}

TEST(ConnectJson, TrapWithMixedVarbinds) {
    Record r = base(RecordKind::trap);
    r.add("snmp_version", std::string("2c"));
    r.add("inform", false);
    r.add("varbinds",
          Json::array({Json{{"oid", "1.3.6.1.2.1.1.3.0"}, {"type", "timeticks"}, {"value", 12345}},
                       Json{{"oid", "1.3.6.1.2.1.2.2.1.1.3"},
                            {"name", "ifIndex"},
                            {"type", "integer"},
                            {"value", 3}},
                       Json{{"oid", "1.3.6.1.2.1.2.2.1.2.3"},
                            {"type", "octets"},
                            {"value", "Ethernet1/3"}}}));
    const Json m = envelope(r);
    expect_valid(m);
    const Json& vb = *schema_field(m, "varbinds");
    EXPECT_EQ(vb["type"], "array");
    EXPECT_EQ(vb["items"]["type"], "struct");  // the union of every varbind's fields
    // 12345 and "Ethernet1/3" share no type: the value is sent as JSON text.
    EXPECT_EQ(m["payload"]["varbinds"][0]["value"], "12345");
    EXPECT_EQ(m["payload"]["varbinds"][2]["value"], "Ethernet1/3");
    EXPECT_TRUE(m["payload"]["varbinds"][0]["name"].is_null());
}

TEST(ConnectJson, SnmpStatusTestAndNxapi) {
    Record snmp = base(RecordKind::snmp);
    snmp.add("snmp_table", std::string("interfaces"));
    snmp.add("if_index", std::uint64_t{3});
    snmp.add("if_hc_in_octets_rate", 1234.5);
    snmp.add("if_name", std::string("Ethernet1/3"));
    Json m = envelope(snmp);
    expect_valid(m);
    EXPECT_EQ((*schema_field(m, "if_hc_in_octets_rate"))["type"], "float64");

    Record status = base(RecordKind::status);
    status.device_address = IpAddress();
    status.add("state", std::string("unreachable"));
    m = envelope(status);
    expect_valid(m);
    EXPECT_TRUE(m["payload"]["device_address"].is_null());

    Record test = base(RecordKind::test);
    test.add("seq", std::uint64_t{0});
    test.add("message", std::string("abc"));
    expect_valid(envelope(test));

    Record nxapi = base(RecordKind::nxapi);
    nxapi.add("command", std::string("show inventory"));
    nxapi.add("row", Json{{"name", "Chassis"},
                          {"desc", "Nexus9000"},
                          {"slot", 1},
                          {"empty", Json::object()},
                          {"list", Json::array()},
                          {"deep", {{"a", {{"b", 1.5}}}}}});
    nxapi.add("nothing", std::monostate{});
    m = envelope(nxapi);
    expect_valid(m);
    EXPECT_EQ((*schema_field(m, "row"))["type"], "struct");
    EXPECT_EQ((*schema_field(m, "http_status"))["type"], "int64");  // documented, absent
    EXPECT_TRUE(m["payload"]["http_status"].is_null());
    EXPECT_EQ(schema_field(m, "body"), nullptr);  // its shape is only known from a value
}

TEST(ConnectJson, TheValidatorRejectsWhatConnectWould) {
    // The validator itself must fail on broken envelopes, or the tests above prove nothing.
    const Json schema = Json::parse(
        R"({"type":"struct","optional":false,"fields":[{"type":"int64","optional":false,"field":"n"},)"
        R"({"type":"array","items":{"type":"string","optional":true},"optional":true,"field":"a"}]})");
    EXPECT_EQ(validate(schema, Json::parse(R"({"n":1,"a":["x",null]})"), "$"), "");
    EXPECT_NE(validate(schema, Json::parse(R"({"a":[]})"), "$"), "");         // required null
    EXPECT_NE(validate(schema, Json::parse(R"({"n":"1"})"), "$"), "");        // wrong type
    EXPECT_NE(validate(schema, Json::parse(R"({"n":1,"a":[1]})"), "$"), "");  // item type
    EXPECT_NE(validate(schema, Json::parse(R"({"n":1,"z":1})"), "$"), "");    // extra field
    EXPECT_NE(validate(schema, Json::parse(R"({"n":18446744073709551615})"), "$"), "");
    EXPECT_NE(validate(Json::parse(R"({"type":"uint64"})"), 1, "$"), "");
}

TEST(ConnectJson, JsonFormatIsUnchanged) {
    Record r = base(RecordKind::test);
    r.add("seq", std::uint64_t{1});
    std::string via_value;
    append_record_value(r, ValueFormat::json, via_value);
    EXPECT_EQ(via_value, record_json(r));
}

}  // namespace
}  // namespace netfeed
