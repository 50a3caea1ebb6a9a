// Options of the SNMP poller: what to poll (built-in profiles, user scalars and tables), how
// (version, timeout, retries, GETBULK size, interval, concurrency), and per-device overrides.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "agent/option_table.hpp"
#include "collectors/snmp/profile.hpp"

namespace netfeed {

enum class SnmpVersion { v1, v2c, v3 };
template <>
struct EnumNames<SnmpVersion> {
    static constexpr std::pair<std::string_view, SnmpVersion> values[] = {
        {"v1", SnmpVersion::v1}, {"v2c", SnmpVersion::v2c}, {"v3", SnmpVersion::v3}};
};

/// User-defined scalars sent as one record.
struct SnmpScalarGroupOptions {
    std::string name;
    std::map<std::string, std::string> objects;  // field name -> numeric OID with instance
    static const OptionTable<SnmpScalarGroupOptions>& options();
};

/// A user-defined table.
struct SnmpTableOptions {
    std::string name;
    std::string oid;                             // the table entry, e.g. 1.3.6.1.2.1.4.20.1
    std::vector<std::string> index;              // "name" or "name:ipv4|string|implied|integer"
    std::map<std::string, std::string> columns;  // field name -> column number or full OID
    static const OptionTable<SnmpTableOptions>& options();
};

/// How one device is polled; unset values come from the collector's options.
struct SnmpDeviceOverride {
    std::string device;
    std::optional<SnmpVersion> version;
    std::optional<std::uint16_t> port;
    std::optional<Duration> interval;
    std::optional<Duration> timeout;
    std::optional<int> retries;
    std::optional<int> max_repetitions;
    std::optional<int> max_outstanding;
    std::optional<std::vector<std::string>> profiles;
    static const OptionTable<SnmpDeviceOverride>& options();
};

struct SnmpOptions {
    std::vector<std::string> profiles{"system", "interfaces"};
    SnmpVersion version = SnmpVersion::v2c;
    std::uint16_t port = 161;
    Duration interval = std::chrono::seconds(60);
    double jitter = 0.1;
    std::optional<Duration> first_poll_spread;
    Duration timeout = std::chrono::seconds(2);
    int retries = 1;
    int max_repetitions = 25;
    int max_outstanding = 4;
    int max_requests_in_flight = 2000;
    std::vector<SnmpScalarGroupOptions> scalars;
    std::vector<SnmpTableOptions> tables;
    std::vector<SnmpDeviceOverride> device_overrides;
    /// Where MIB names in scalars: and tables: are looked up; unset: net-snmp's default list.
    std::optional<std::vector<std::string>> mib_dirs;
    static const OptionTable<SnmpOptions>& options();
};

namespace snmp {

/// Everything about how one device is polled, with overrides applied.
struct PollSettings {
    SnmpVersion version = SnmpVersion::v2c;
    std::uint16_t port = 161;
    Duration interval = std::chrono::seconds(60);
    Duration timeout = std::chrono::seconds(2);
    int retries = 1;
    int max_repetitions = 25;
    int max_outstanding = 4;
    std::vector<std::string> profiles;
};

/// The settings of `device` (its override, if any, over the collector's options).
PollSettings settings_for(const SnmpOptions& options, const std::string& device);

/// The profiles the options define: the built-ins plus the user's scalars and tables. Field
/// names are interned here, so call it at load time. Problems are appended to `errors`.
std::vector<Profile> defined_profiles(const SnmpOptions& options, std::vector<std::string>& errors);

/// Checks a user table or scalar group name, or a field name: snake_case, not an envelope field.
std::optional<std::string> check_field_name(const std::string& name);

}  // namespace snmp

}  // namespace netfeed
