// netfeed's command line: run, validate, options, schema, replay, version, and the subcommands
// plugins add (the Kafka plugin's broker).
#include <CLI/CLI.hpp>
#include <functional>
#include <iostream>
#include <utility>
#include <vector>

#include "agent/app.hpp"
#include "agent/options_markdown.hpp"
#include "agent/plugin_registry.hpp"
#include "agent/schema_command.hpp"

int main(int argc, char** argv) {
    using namespace netfeed;
    CLI::App cli{
        "netfeed collects syslog, NetFlow/IPFIX, SNMP and NX-API data from network devices,\n"
        "adds inventory context, and publishes keyed JSON records to Kafka.\n\n"
        "  netfeed run -c config/netfeed.yaml       start the agent\n"
        "  netfeed validate -c config/netfeed.yaml  check a config and exit\n"
        "  netfeed options --json                   every plugin's options, as JSON\n",
        "netfeed"};
    cli.require_subcommand(1);
    cli.set_version_flag("--version", NETFEED_VERSION);

    std::string config_path = "/etc/netfeed/netfeed.yaml";
    std::string log_level;

    auto* run = cli.add_subcommand("run",
                                   "Run the agent until SIGTERM or Ctrl-C (SIGHUP reloads "
                                   "the config).");
    run->add_option("-c,--config", config_path, "Config file")->capture_default_str();
    run->add_option("--log-level", log_level,
                    "trace, debug, info, warn, error or off (overrides agent.log_level)")
        ->check(CLI::IsMember({"trace", "debug", "info", "warn", "error", "off"}));

    auto* validate = cli.add_subcommand(
        "validate",
        "Check a config file: every problem is printed with file:line:column and the "
        "key; exits 2 when there is any.");
    validate->add_option("-c,--config", config_path, "Config file")->capture_default_str();

    auto* options = cli.add_subcommand("options", "Print the options of every plugin.");
    bool as_json = false;
    std::string markdown_of;
    options->add_flag("--json", as_json, "As JSON");
    options->add_option("--markdown", markdown_of,
                        "The options table of one plugin (e.g. sinks/kafka), as its README has it");

    auto* schema_command = cli.add_subcommand(
        "schema",
        "Print the JSON Schema (draft 2020-12) of every record kind, or of one; with -c, "
        "including the fields the config's enrichers add.");
    std::string schema_kind;
    std::string schema_config;
    std::string schema_markdown;
    schema_command->add_option("kind", schema_kind, "One kind (flow, syslog, ...)");
    schema_command->add_option("-c,--config", schema_config,
                               "Config whose enrichers' fields to add");
    schema_command->add_option(
        "--markdown", schema_markdown,
        "The field table of a kind, of the envelope or of the enrichers, as the "
        "docs have it");

    RunOptions replay_options;
    auto* replay = cli.add_subcommand(
        "replay",
        "Feed the UDP payloads of a capture (NetFlow, IPFIX, syslog: by destination port) through "
        "the collectors of a config, then stop once everything is delivered.");
    replay->add_option("capture", replay_options.replay_file, "The .pcap or .pcapng file")
        ->required()
        ->check(CLI::ExistingFile);
    replay->add_option("-c,--config", config_path, "Config file")->capture_default_str();
    replay->add_flag("--capture-pace", replay_options.replay_at_capture_pace,
                     "Keep the capture's own timing instead of going as fast as possible");
    replay->add_option("--speed", replay_options.replay_speed,
                       "With --capture-pace: play this many times faster")
        ->check(CLI::PositiveNumber)
        ->capture_default_str();
    replay->add_option("--log-level", log_level, "trace, debug, info, warn, error or off")
        ->check(CLI::IsMember({"trace", "debug", "info", "warn", "error", "off"}));

    auto* version = cli.add_subcommand("version", "Print the version.");

    // Each plugin command's subcommand and what runs it, in registration order.
    std::vector<std::pair<CLI::App*, std::function<int()>>> plugin_commands;
    for (const auto& command : builtin_plugins().commands()) {
        auto* sub = cli.add_subcommand(command.name, command.description);
        plugin_commands.emplace_back(sub, command.define(*sub));
    }

    CLI11_PARSE(cli, argc, argv);

    if (*version) {
        std::cout << "netfeed " << NETFEED_VERSION << "\n";
        return 0;
    }
    if (*validate) return validate_config(config_path);
    if (*schema_command) {
        if (!schema_markdown.empty()) return print_record_schema_markdown(schema_markdown);
        return print_record_schemas(schema_kind, schema_config);
    }
    if (*options) {
        const auto schema = builtin_plugins().describe();
        if (!markdown_of.empty()) {
            const auto slash = markdown_of.find('/');
            const std::string group = markdown_of.substr(0, slash);
            const std::string type =
                slash == std::string::npos ? "" : markdown_of.substr(slash + 1);
            if (!schema.contains(group) || !schema[group].contains(type)) {
                std::cerr << "no plugin " << markdown_of << " (write collectors/NAME, "
                          << "enrichers/NAME or sinks/NAME)\n";
                return 2;
            }
            std::cout << options_markdown(schema[group][type]["options"]);
            return 0;
        }
        if (as_json) {
            std::cout << schema.dump(2) << "\n";
        } else {
            for (const auto& [group, plugins] : schema.items()) {
                for (const auto& [type, plugin] : plugins.items()) {
                    std::cout << group << "/" << type << ": "
                              << plugin["summary"].get<std::string>() << "\n";
                    for (const auto& option : plugin["options"]) {
                        std::cout << "  " << option["name"].get<std::string>() << " ("
                                  << option["type"].get<std::string>() << ")  "
                                  << option["doc"].get<std::string>() << "\n";
                    }
                }
            }
        }
        return 0;
    }
    for (const auto& [sub, run_command] : plugin_commands) {
        if (*sub) return run_command();
    }

    RunOptions run_options = *replay ? replay_options : RunOptions{};
    run_options.config_path = config_path;
    if (!log_level.empty()) run_options.log_level = enum_from_name<LogLevel>(log_level);
    return run_agent(run_options);
}
