// The core knows no plugin by name: plugins declare their top-level config sections and their
// subcommands through the registry, and the plugin interfaces do not pull in the YAML parser.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <regex>
#include <set>

#include "agent/config.hpp"
#include "agent/plugin_registry.hpp"

namespace netfeed {
namespace {

using ::testing::ElementsAre;

// Settings a test plugin keeps under its own top-level section.
struct ProbeSettings {
    int rate = 5;
    std::string label;
    static const OptionTable<ProbeSettings>& options() {
        static const auto table =
            OptionTable<ProbeSettings>()
                .add("rate", &ProbeSettings::rate, "Probes per second.", range(1, 100))
                .add("label", &ProbeSettings::label, "A label.");
        return table;
    }
};

ConfigSections probe_sections() {
    PluginRegistry registry;
    registry.add_settings_section<ProbeSettings>("probing");
    registry.add_sink_section("outbox", "stdout");
    return registry.config_sections();
}

// The default route sends to a sink named kafka, which these sections do not declare: each
// config gives its routes (none) so that only the sections' own problems are reported.
std::vector<std::string> issues_of(const std::string& yaml, const ConfigSections& sections) {
    ParseState state("test.yaml");
    parse_config_text(yaml + "routes: []\n", state, sections);
    std::vector<std::string> out;
    for (const auto& issue : state.issues())
        out.push_back(issue.to_string());
    return out;
}

TEST(PluginAgnostic, ASettingsSectionIsParsedByItsPluginsTable) {
    ParseState state("test.yaml");
    const Config config =
        parse_config_text("probing:\n  rate: 7\n  label: x\nroutes: []\n", state, probe_sections());
    EXPECT_TRUE(state.issues().empty());
    const auto settings = section_settings<ProbeSettings>(config, "probing");
    EXPECT_EQ(settings.rate, 7);
    EXPECT_EQ(settings.label, "x");
    // Absent from the file: the defaults.
    const Config empty = parse_config_text("routes: []\n", state, probe_sections());
    EXPECT_EQ(section_settings<ProbeSettings>(empty, "probing").rate, 5);
}

TEST(PluginAgnostic, ASettingsSectionsMistakesNameFileLineAndKey) {
    EXPECT_THAT(issues_of("agent: {}\nprobing:\n  rate: 700\n  lable: x\n", probe_sections()),
                ElementsAre("test.yaml:3:9: probing.rate: 700 is out of range (1 to 100)",
                            "test.yaml:4:3: probing.lable: unknown key; did you mean 'label'?"));
    ParseState state("test.yaml");
    const Config config = parse_config_text("probing: {rate: 0}\n", state, probe_sections());
    EXPECT_TRUE(config.sections_with_errors.contains("probing"));
    EXPECT_TRUE(references_have_errors(config)) << "a plugin section a factory may resolve";
}

TEST(PluginAgnostic, ASinkSectionBecomesASinkNamedAfterIt) {
    ParseState state("test.yaml");
    const Config config = parse_config_text(
        "outbox:\n  pretty: true\nsinks:\n  - {type: file, name: other}\nroutes: []\n", state,
        probe_sections());
    EXPECT_TRUE(state.issues().empty());
    ASSERT_EQ(config.sinks.size(), 2u);
    EXPECT_EQ(config.sinks[0].name, "outbox");
    EXPECT_EQ(config.sinks[0].type, "stdout");
    EXPECT_EQ(config.sinks[0].path, "outbox");
    EXPECT_TRUE(config.sinks[0].node["pretty"].as<bool>());
    EXPECT_EQ(config.sinks[1].name, "other");
    EXPECT_THAT(issues_of("sinks:\n  - {type: file, name: outbox}\n", probe_sections()),
                ElementsAre("test.yaml:2:5: sinks: the name 'outbox' belongs to the outbox: "
                            "section"));
}

TEST(PluginAgnostic, AnUndeclaredSectionIsUnknownAndTheHintListsTheDeclaredOnes) {
    EXPECT_THAT(issues_of("kafka: {}\n", probe_sections()),
                ElementsAre("test.yaml:1:1: kafka: unknown section; sections are agent, probing, "
                            "outbox, credentials, devices, collectors, enrichers, sinks, routes"));
    EXPECT_THAT(issues_of("probin: {}\n", probe_sections()),
                ElementsAre("test.yaml:1:1: probin: unknown section; did you mean 'probing'?"));
}

TEST(PluginAgnostic, TheBuiltInPluginsDeclareKafkaInventoryAndTheBrokerCommand) {
    std::set<std::string> keys;
    for (const auto& section : builtin_plugins().config_sections())
        keys.insert(section.key);
    EXPECT_EQ(keys, (std::set<std::string>{"inventory", "kafka"}));
    std::vector<std::string> commands;
    for (const auto& command : builtin_plugins().commands())
        commands.push_back(command.name);
    EXPECT_THAT(commands, ElementsAre("broker"));
}

// The agent/ headers a header includes, directly or through other agent/ headers.
std::set<std::string> includes_of(const std::string& header) {
    const auto root = std::filesystem::path(NETFEED_SOURCE_DIR);
    const std::regex include_line(R"(^\s*#\s*include\s*[<"]([^>"]+)[>"])");
    std::set<std::string> seen;
    std::vector<std::string> todo{header};
    while (!todo.empty()) {
        const std::string file = todo.back();
        todo.pop_back();
        std::ifstream in(root / file);
        EXPECT_TRUE(in.good()) << file;
        std::string line;
        while (std::getline(in, line)) {
            std::smatch match;
            if (!std::regex_search(line, match, include_line)) continue;
            const std::string included = match[1];
            if (!seen.insert(included).second) continue;
            if (included.starts_with("agent/")) todo.push_back(included);
        }
    }
    return seen;
}

TEST(PluginAgnostic, CollectorAndSinkInterfacesDoNotPullInYamlCpp) {
    for (const std::string header : {"agent/collector.hpp", "agent/sink.hpp"}) {
        const auto included = includes_of(header);
        EXPECT_TRUE(included.contains("agent/config_types.hpp") ||
                    included.contains("agent/device_directory.hpp"))
            << header << ": the include scan found nothing; is the path right?";
        for (const auto& file : included) {
            EXPECT_FALSE(file.starts_with("yaml-cpp/")) << header << " includes " << file;
            EXPECT_NE(file, "agent/config.hpp") << header;
        }
    }
}

TEST(PluginAgnostic, MainNamesNoPlugin) {
    for (const auto& file : includes_of("agent/main.cpp")) {
        EXPECT_FALSE(file.starts_with("sinks/") || file.starts_with("collectors/") ||
                     file.starts_with("enrichers/"))
            << "agent/main.cpp includes " << file;
    }
}

}  // namespace
}  // namespace netfeed
