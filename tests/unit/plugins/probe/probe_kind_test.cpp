// A kind added by a plugin outside agent/ (tests/unit/plugins/probe) is a kind like the built-in
// ones: it parses in routes, routes by kind, has a JSON Schema, and the Connect envelope types
// its declared fields from its table.
#include <gtest/gtest.h>

#include "agent/built_config.hpp"
#include "agent/record_connect_json.hpp"
#include "agent/record_json_schema.hpp"
#include "tests/unit/plugins/probe/probe_plugin.hpp"

namespace netfeed {
namespace {

PluginRegistry probe_registry() {
    PluginRegistry r;
    probe::register_probe_collector(r);
    return r;
}

TEST(ProbeKind, RegisteringThePluginDefinesTheKind) {
    const PluginRegistry registry = probe_registry();
    const auto kind = parse_record_kind("probe");
    ASSERT_TRUE(kind.has_value());
    EXPECT_EQ(to_string(*kind), "probe");
    ASSERT_NE(kind_schema(*kind), nullptr);
    EXPECT_EQ(kind_schema(*kind)->fields.size(), std::size(probe::kProbeFields));
    EXPECT_GT(kind->id(), RecordKind::test.id());  // numbered after the built-in kinds
}

TEST(ProbeKind, AConfigRoutesItAndBuildsItsCollector) {
    const PluginRegistry registry = probe_registry();
    ParseState state("test.yaml");
    Config config = parse_config_text(
        "collectors:\n  - {name: p, type: probe, count: 3}\n"
        "sinks:\n  - {name: out, type: stdout}\n"
        "routes:\n  - {kinds: [probe], sink: out, topic: probes}\n",
        state);
    ASSERT_EQ(config.routes.size(), 1u);
    ASSERT_EQ(config.routes[0].kinds.size(), 1u);
    EXPECT_EQ(to_string(config.routes[0].kinds[0]), "probe");
    const auto& section = config.collectors.at(0);
    BuildContext context{config, section, state, std::make_shared<DeviceSnapshot>()};
    const CollectorPtr collector = registry.build_collector(context);
    ASSERT_NE(collector, nullptr);
    EXPECT_EQ(collector->kinds(), std::vector<RecordKind>{config.routes[0].kinds[0]});
}

TEST(ProbeKind, ItsJsonSchemaListsItsFields) {
    const PluginRegistry registry = probe_registry();
    const auto schema = record_json_schema(*parse_record_kind("probe"));
    EXPECT_EQ(schema["$schema"], "https://json-schema.org/draft/2020-12/schema");
    EXPECT_EQ(schema["properties"]["kind"]["const"], "probe");
    EXPECT_EQ(schema["properties"]["round_trip_us"]["type"], "integer");
    EXPECT_EQ(schema["properties"]["round_trip_us"]["x-unit"], "µs");
    EXPECT_EQ(schema["properties"]["loss"]["type"], nlohmann::json::array({"number", "null"}));
    EXPECT_EQ(schema["properties"]["labels"]["additionalProperties"]["type"], "string");
    EXPECT_TRUE(record_json_schemas().contains("probe"));
}

TEST(ProbeKind, TheConnectEnvelopeTypesItsFieldsFromTheTable) {
    const PluginRegistry registry = probe_registry();
    Record r;
    r.kind = *parse_record_kind("probe");
    r.device = "d";
    r.add("target", std::string("192.0.2.1"));
    std::string out;
    append_record_connect_json(r, out);
    const auto j = nlohmann::json::parse(out);
    EXPECT_EQ(j["schema"]["name"], "netfeed.probe");
    std::map<std::string, std::string> types;
    for (const auto& f : j["schema"]["fields"])
        types[f["field"].get<std::string>()] = f["type"].get<std::string>();
    // Absent fields are still in the schema with their declared type.
    EXPECT_EQ(types["round_trip_us"], "int64");
    EXPECT_EQ(types["loss"], "float64");
    EXPECT_EQ(types["labels"], "map");
    EXPECT_EQ(j["payload"]["round_trip_us"], nullptr);
    EXPECT_EQ(j["payload"]["target"], "192.0.2.1");
}

}  // namespace
}  // namespace netfeed
