// The NX-API poller's option tables and per-device settings; see options.hpp.
#include "collectors/nxapi/options.hpp"

#include <algorithm>
#include <set>

#include "collectors/nxapi/table_shape.hpp"

namespace netfeed {

namespace {

// Kafka topic names: letters, digits, '.', '_' and '-', at most 249 characters.
bool valid_topic(const std::string& topic) {
    if (topic.empty() || topic.size() > 249 || topic == "." || topic == "..") return false;
    return std::all_of(topic.begin(), topic.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
               c == '.' || c == '_' || c == '-';
    });
}

void check_timing(const std::optional<Duration>& interval, const std::optional<Duration>& timeout,
                  std::vector<std::string>& errors) {
    if (interval && *interval < std::chrono::seconds(1))
        errors.push_back("interval must be at least 1s");
    if (timeout &&
        (*timeout < std::chrono::milliseconds(100) || *timeout > std::chrono::seconds(300)))
        errors.push_back("timeout must be between 100ms and 300s");
}

}  // namespace

std::optional<std::string> check_command_text(const std::string& command) {
    if (nxapi::canonical_command(command).empty()) return "command must not be empty";
    // ins_api joins commands with ';': one inside a command would split it.
    if (command.find(';') != std::string::npos) return "command must be one command (no ';')";
    return std::nullopt;
}

const OptionTable<NxapiCommandOptions>& NxapiCommandOptions::options() {
    static const auto table =
        OptionTable<NxapiCommandOptions>()
            .add("command", &NxapiCommandOptions::command,
                 "The show command, as typed on the switch (show version).", required())
            .add("topic", &NxapiCommandOptions::topic,
                 "Topic of its records (empty: nxapi.<command>, e.g. nxapi.show_version); used "
                 "by routes that leave their topic at the default.")
            .add("explode", &NxapiCommandOptions::explode,
                 "One record per row of the output's table (per interface, module, neighbour), "
                 "keyed by device and the row's key, instead of one record per answer.")
            .add("table", &NxapiCommandOptions::table,
                 "The table to explode (TABLE_inv or inv; empty: the first TABLE_x).")
            .add("row_key", &NxapiCommandOptions::row_key,
                 "Row fields that make the row's key (null: the command's known key, e.g. "
                 "interface for show interface, name for show inventory).")
            .add("numbers", &NxapiCommandOptions::numbers,
                 "Turn numeric strings into numbers (null: the collector's numbers).")
            .check([](const NxapiCommandOptions& o) -> std::optional<std::string> {
                std::vector<std::string> errors;
                if (auto problem = check_command_text(o.command)) errors.push_back(*problem);
                if (!o.topic.empty() && !valid_topic(o.topic))
                    errors.push_back("topic '" + o.topic +
                                     "' is not a Kafka topic name (a-z, A-Z, 0-9, '.', '_', '-')");
                return check_result(errors);
            });
    return table;
}

const OptionTable<NxapiDeviceOverride>& NxapiDeviceOverride::options() {
    static const auto table =
        OptionTable<NxapiDeviceOverride>()
            .add("device", &NxapiDeviceOverride::device, "Name of the device in devices:.",
                 required())
            .add("format", &NxapiDeviceOverride::format, "Request format for this device.")
            .add("jsonrpc_version", &NxapiDeviceOverride::jsonrpc_version,
                 "JSON-RPC params.version for this device.")
            .add("scheme", &NxapiDeviceOverride::scheme, "https or http for this device.")
            .add("port", &NxapiDeviceOverride::port, "TCP port of its NX-API.")
            .add("tls_verify", &NxapiDeviceOverride::tls_verify,
                 "Verify its certificate (false is logged once at start).")
            .add("timeout", &NxapiDeviceOverride::timeout, "Time allowed for one request.")
            .add("interval", &NxapiDeviceOverride::interval, "Poll interval.")
            .add("commands", &NxapiDeviceOverride::commands,
                 "Commands polled on this device instead of the collector's list; commands not "
                 "in that list take the defaults.")
            .check([](const NxapiDeviceOverride& o) -> std::optional<std::string> {
                std::vector<std::string> errors;
                if (o.port && *o.port == 0) errors.push_back("port must not be 0");
                check_timing(o.interval, o.timeout, errors);
                if (o.commands) {
                    for (const auto& c : *o.commands) {
                        if (nxapi::canonical_command(c).empty() || c.find(';') != std::string::npos)
                            errors.push_back("commands: '" + c + "' is not one command");
                    }
                }
                return check_result(errors);
            });
    return table;
}

const OptionTable<NxapiOptions>& NxapiOptions::options() {
    static const auto table =
        OptionTable<NxapiOptions>()
            .add("format", &NxapiOptions::format,
                 "Request format: jsonrpc (POST /ins, application/json-rpc, one batch of cli "
                 "calls) or ins_api (cli_show with the commands joined by ' ;').")
            .add("jsonrpc_version", &NxapiOptions::jsonrpc_version,
                 "params.version of JSON-RPC calls (1.2 or 1).")
            .add("scheme", &NxapiOptions::scheme,
                 "https or http (http sends the credentials in clear; logged once at start).")
            .add("port", &NxapiOptions::port, "TCP port of NX-API (0: 443 for https, 80 for http).")
            .add("path", &NxapiOptions::path, "Path of the NX-API endpoint.")
            .add("tls_verify", &NxapiOptions::tls_verify,
                 "Verify the switches' certificates and names (false is logged once at start).")
            .add("ca_file", &NxapiOptions::ca_file,
                 "PEM file of the CAs that sign the switches' certificates (empty: the system's).",
                 existing_file())
            .add("interval", &NxapiOptions::interval,
                 "Time between the starts of two polls of a device; first polls are spread "
                 "over one interval.")
            .add("jitter", &NxapiOptions::jitter,
                 "Each poll starts up to this fraction of the interval early or late.",
                 range(0, 0.5))
            .add("first_poll_spread", &NxapiOptions::first_poll_spread,
                 "First polls start at random within this long after start (null: each "
                 "device's interval; 0s: all at once, for benchmarks).")
            .add("timeout", &NxapiOptions::timeout,
                 "Time allowed for one request to a device, connecting included.")
            .add("max_connections", &NxapiOptions::max_connections,
                 "Connections open at once across all devices (idle keep-alive ones included); "
                 "more requests wait their turn.",
                 range(1, 10000))
            .add("max_response_bytes", &NxapiOptions::max_response_bytes,
                 "Longer answers are refused (error too_large).", range(1024, 1073741824))
            .add("numbers", &NxapiOptions::numbers,
                 "Turn numeric strings (\"42\") into numbers in every command's output.")
            .add("commands", &NxapiOptions::commands,
                 "Show commands polled on every device: strings, or maps {command, topic, "
                 "explode, table, row_key, numbers}.")
            .add("error_topic", &NxapiOptions::error_topic,
                 "Topic of the error records (one per device and failed command).")
            .add("device_overrides", &NxapiOptions::device_overrides,
                 "Per-device settings: [{device, format, jsonrpc_version, scheme, port, "
                 "tls_verify, timeout, interval, commands}].")
            .check([](const NxapiOptions& o) -> std::optional<std::string> {
                std::vector<std::string> errors;
                check_timing(o.interval, o.timeout, errors);
                if (o.commands.empty()) errors.push_back("commands must not be empty");
                std::set<std::string> seen;
                for (const auto& c : o.commands) {
                    if (!seen.insert(nxapi::canonical_command(c.command)).second)
                        errors.push_back("commands: '" + c.command + "' given twice");
                }
                if (!valid_topic(o.error_topic))
                    errors.push_back("error_topic '" + o.error_topic + "' is not a topic name");
                if (o.path.empty() || o.path[0] != '/') errors.push_back("path must start with /");
                std::set<std::string> devices;
                for (const auto& d : o.device_overrides) {
                    if (!devices.insert(d.device).second)
                        errors.push_back("device_overrides: device '" + d.device + "' given twice");
                }
                return check_result(errors);
            });
    return table;
}

namespace nxapi {

CommandSpec command_spec(const NxapiOptions& options, const NxapiCommandOptions& command) {
    CommandSpec s;
    s.command = canonical_command(command.command);
    s.topic = command.topic.empty() ? default_topic(s.command) : command.topic;
    s.explode = command.explode;
    s.table = command.table;
    s.row_key = command.row_key ? *command.row_key : default_row_key(s.command);
    s.numbers = command.numbers.value_or(options.numbers);
    return s;
}

DeviceSettings settings_for(const NxapiOptions& options, const std::string& device) {
    DeviceSettings s;
    s.format = options.format;
    s.jsonrpc_version = options.jsonrpc_version;
    s.scheme = options.scheme;
    s.path = options.path;
    s.tls_verify = options.tls_verify;
    s.timeout = options.timeout;
    s.interval = options.interval;
    std::uint16_t port = options.port;
    const NxapiDeviceOverride* override_ = nullptr;
    for (const auto& o : options.device_overrides) {
        if (o.device == device) override_ = &o;
    }
    if (override_ != nullptr) {
        const auto& o = *override_;
        if (o.format) s.format = *o.format;
        if (o.jsonrpc_version) s.jsonrpc_version = *o.jsonrpc_version;
        if (o.scheme) s.scheme = *o.scheme;
        if (o.port) port = *o.port;
        if (o.tls_verify) s.tls_verify = *o.tls_verify;
        if (o.timeout) s.timeout = *o.timeout;
        if (o.interval) s.interval = *o.interval;
    }
    s.port = port != 0 ? port : (s.scheme == Scheme::https ? 443 : 80);
    if (override_ != nullptr && override_->commands) {
        for (const auto& text : *override_->commands) {
            const std::string wanted = canonical_command(text);
            auto it = std::find_if(options.commands.begin(), options.commands.end(),
                                   [&](const NxapiCommandOptions& c) {
                                       return canonical_command(c.command) == wanted;
                                   });
            NxapiCommandOptions plain;
            plain.command = wanted;
            s.commands.push_back(command_spec(options, it != options.commands.end() ? *it : plain));
        }
    } else {
        for (const auto& c : options.commands)
            s.commands.push_back(command_spec(options, c));
    }
    return s;
}

bool is_vendor_default_login(std::string_view username, std::string_view password) {
    // Factory logins of Cisco and common lab images; a switch that still takes one is open to
    // anyone who reads the vendor's documentation.
    static constexpr std::pair<std::string_view, std::string_view> defaults[] = {
        {"cisco", "cisco"},    {"admin", "admin"},      {"admin", "cisco"},
        {"cisco", "cisco123"}, {"admin", "Cisco123"},   {"admin", "password"},
        {"admin", ""},         {"root", "root"},        {"admin", "Admin_1234!"},
        {"cisco", ""},         {"admin", "C1sco12345"},
    };
    for (const auto& [u, p] : defaults) {
        if (u == username && p == password) return true;
    }
    return false;
}

}  // namespace nxapi

}  // namespace netfeed
