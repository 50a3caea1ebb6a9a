// Options of the NX-API poller: which commands (with topic, explode and number settings), how
// (format, JSON-RPC version, scheme, port, TLS, timeout, interval, connections), and per-device
// overrides; and the settings of one device with its override applied.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "agent/option_table.hpp"
#include "collectors/nxapi/model.hpp"

namespace netfeed {

template <>
struct EnumNames<nxapi::RequestFormat> {
    static constexpr std::pair<std::string_view, nxapi::RequestFormat> values[] = {
        {"jsonrpc", nxapi::RequestFormat::jsonrpc}, {"ins_api", nxapi::RequestFormat::ins_api}};
};
template <>
struct EnumNames<nxapi::RpcVersion> {
    static constexpr std::pair<std::string_view, nxapi::RpcVersion> values[] = {
        {"1.2", nxapi::RpcVersion::v1_2},
        {"1", nxapi::RpcVersion::v1},
        {"1.0", nxapi::RpcVersion::v1}};
};

namespace nxapi {
enum class Scheme : std::uint8_t { https, http };
}
template <>
struct EnumNames<nxapi::Scheme> {
    static constexpr std::pair<std::string_view, nxapi::Scheme> values[] = {
        {"https", nxapi::Scheme::https}, {"http", nxapi::Scheme::http}};
};

/// One show command: written as a plain string, or as a map for its settings.
struct NxapiCommandOptions {
    std::string command;
    std::string topic;  // empty: nxapi.<command with '_' for blanks>
    bool explode = false;
    std::string table;                                // empty: the first TABLE_x of the output
    std::optional<std::vector<std::string>> row_key;  // null: the command's known natural key
    std::optional<bool> numbers;                      // null: the collector's `numbers`
    static const OptionTable<NxapiCommandOptions>& options();
};

/// Why `command` is not one show command, if it is not.
std::optional<std::string> check_command_text(const std::string& command);

/// A command list entry parses from a string or a map.
template <>
struct OptionValue<NxapiCommandOptions> {
    static constexpr const char* type_name = "map";
    static bool parse(const YAML::Node& node, NxapiCommandOptions& out, ParseState& state,
                      const std::string& key) {
        if (node.IsScalar()) {
            out = NxapiCommandOptions{};
            out.command = node.Scalar();
            // The map form's checks, for the string form.
            if (auto problem = check_command_text(out.command)) {
                state.error(node, key, *problem);
                return false;
            }
            return true;
        }
        return NxapiCommandOptions::options().parse(node, out, state, key);
    }
    static nlohmann::json to_json(const NxapiCommandOptions& value) {
        if (value.topic.empty() && !value.explode && value.table.empty() && !value.row_key &&
            !value.numbers) {
            return value.command;
        }
        nlohmann::json out = nlohmann::json::object();
        for (const auto& e : NxapiCommandOptions::options().entries())
            out[e.name] = e.to_json(value);
        return out;
    }
};

/// How one device is polled; unset values come from the collector's options.
struct NxapiDeviceOverride {
    std::string device;
    std::optional<nxapi::RequestFormat> format;
    std::optional<nxapi::RpcVersion> jsonrpc_version;
    std::optional<nxapi::Scheme> scheme;
    std::optional<std::uint16_t> port;
    std::optional<bool> tls_verify;
    std::optional<Duration> timeout;
    std::optional<Duration> interval;
    std::optional<std::vector<std::string>> commands;
    static const OptionTable<NxapiDeviceOverride>& options();
};

struct NxapiOptions {
    nxapi::RequestFormat format = nxapi::RequestFormat::jsonrpc;
    nxapi::RpcVersion jsonrpc_version = nxapi::RpcVersion::v1_2;
    nxapi::Scheme scheme = nxapi::Scheme::https;
    std::uint16_t port = 0;
    std::string path = "/ins";
    bool tls_verify = true;
    FilePath ca_file;
    Duration interval = std::chrono::seconds(60);
    double jitter = 0.1;
    std::optional<Duration> first_poll_spread;
    Duration timeout = std::chrono::seconds(10);
    int max_connections = 100;
    std::size_t max_response_bytes = 16 * 1024 * 1024;
    bool numbers = false;
    std::vector<NxapiCommandOptions> commands{{"show version"}, {"show inventory"}};
    std::string error_topic = "nxapi.errors";
    std::vector<NxapiDeviceOverride> device_overrides;
    static const OptionTable<NxapiOptions>& options();
};

namespace nxapi {

/// One command as polled: everything resolved.
struct CommandSpec {
    std::string command;  // canonical text sent to the switch
    std::string topic;
    bool explode = false;
    std::string table;
    std::vector<std::string> row_key;
    bool numbers = false;
};

/// Everything about how one device is polled, with its override applied.
struct DeviceSettings {
    RequestFormat format = RequestFormat::jsonrpc;
    RpcVersion jsonrpc_version = RpcVersion::v1_2;
    Scheme scheme = Scheme::https;
    std::uint16_t port = 443;
    std::string path = "/ins";
    bool tls_verify = true;
    Duration timeout = std::chrono::seconds(10);
    Duration interval = std::chrono::seconds(60);
    std::vector<CommandSpec> commands;
};

/// The settings of `device` (its override, if any, over the collector's options).
DeviceSettings settings_for(const NxapiOptions& options, const std::string& device);

/// A command of the collector's list (or one an override names) with defaults filled in.
CommandSpec command_spec(const NxapiOptions& options, const NxapiCommandOptions& command);

/// Whether `username`/`password` is a vendor default that should never reach production.
bool is_vendor_default_login(std::string_view username, std::string_view password);

}  // namespace nxapi

}  // namespace netfeed
