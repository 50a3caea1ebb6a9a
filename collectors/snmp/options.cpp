// The SNMP poller's option tables and profile resolution; see options.hpp.
#include "collectors/snmp/options.hpp"

#include <algorithm>
#include <set>

#include "collectors/common/snmp_mib_names.hpp"

namespace netfeed {

const OptionTable<SnmpScalarGroupOptions>& SnmpScalarGroupOptions::options() {
    static const auto table =
        OptionTable<SnmpScalarGroupOptions>()
            .add("name", &SnmpScalarGroupOptions::name,
                 "Name of the group: its records' snmp_table, and what profiles: lists.",
                 required())
            .add("objects", &SnmpScalarGroupOptions::objects,
                 "Field name -> OID with its instance: numeric (1.3.6.1.4.1.9.2.1.58.0) or a "
                 "MIB name (SNMPv2-MIB::sysUpTime.0) found in mib_dirs.",
                 required());
    return table;
}

const OptionTable<SnmpTableOptions>& SnmpTableOptions::options() {
    static const auto table =
        OptionTable<SnmpTableOptions>()
            .add("name", &SnmpTableOptions::name,
                 "Name of the table: its records' snmp_table, and what profiles: lists.",
                 required())
            .add("oid", &SnmpTableOptions::oid,
                 "OID of the table entry (the ...Entry object): numeric (1.3.6.1.2.1.4.20.1) or "
                 "a MIB name (IP-MIB::ipAddrEntry) found in mib_dirs.",
                 required())
            .add("index", &SnmpTableOptions::index,
                 "Field names of the index parts, in order; each may end in :integer (the "
                 "default), :ipv4, :string (length-prefixed) or :implied (last part only).")
            .add("columns", &SnmpTableOptions::columns,
                 "Field name -> column number under the entry (5), full numeric OID, or MIB "
                 "name of the column (ipAdEntIfIndex).",
                 required());
    return table;
}

const OptionTable<SnmpDeviceOverride>& SnmpDeviceOverride::options() {
    static const auto table =
        OptionTable<SnmpDeviceOverride>()
            .add("device", &SnmpDeviceOverride::device, "Name of the device in devices:.",
                 required())
            .add("version", &SnmpDeviceOverride::version, "SNMP version for this device.")
            .add("port", &SnmpDeviceOverride::port, "UDP port of its agent.")
            .add("interval", &SnmpDeviceOverride::interval, "Poll interval.")
            .add("timeout", &SnmpDeviceOverride::timeout, "Time to wait for each reply.")
            .add("retries", &SnmpDeviceOverride::retries, "Resends after a timeout (0 to 10).")
            .add("max_repetitions", &SnmpDeviceOverride::max_repetitions,
                 "GETBULK max-repetitions (1 to 1000).")
            .add("max_outstanding", &SnmpDeviceOverride::max_outstanding,
                 "Requests in flight to this device at once (1 to 64).")
            .add("profiles", &SnmpDeviceOverride::profiles,
                 "Profiles polled on this device instead of the collector's list.")
            .check([](const SnmpDeviceOverride& o) -> std::optional<std::string> {
                std::vector<std::string> errors;
                if (o.port && *o.port == 0) errors.push_back("port must not be 0");
                if (o.interval && *o.interval < std::chrono::seconds(1))
                    errors.push_back("interval must be at least 1s");
                if (o.timeout && (*o.timeout < std::chrono::milliseconds(10) ||
                                  *o.timeout > std::chrono::seconds(60)))
                    errors.push_back("timeout must be between 10ms and 60s");
                if (o.retries && (*o.retries < 0 || *o.retries > 10))
                    errors.push_back("retries must be between 0 and 10");
                if (o.max_repetitions && (*o.max_repetitions < 1 || *o.max_repetitions > 1000))
                    errors.push_back("max_repetitions must be between 1 and 1000");
                if (o.max_outstanding && (*o.max_outstanding < 1 || *o.max_outstanding > 64))
                    errors.push_back("max_outstanding must be between 1 and 64");
                return check_result(errors);
            });
    return table;
}

const OptionTable<SnmpOptions>& SnmpOptions::options() {
    static const auto table =
        OptionTable<SnmpOptions>()
            .add("profiles", &SnmpOptions::profiles,
                 "What to poll on every device: built-in profiles (system, interfaces, entity, "
                 "lldp) and the names of user-defined scalars and tables.")
            .add("version", &SnmpOptions::version,
                 "SNMP version (v1 walks with GETNEXT, v2c and v3 with GETBULK); v3 takes the "
                 "user and keys from the device's credentials.")
            .add("port", &SnmpOptions::port, "UDP port of the devices' agents.", range(1, 65535))
            .add("interval", &SnmpOptions::interval,
                 "Time between the starts of two polls of a device; first polls are spread "
                 "over one interval.")
            .add("jitter", &SnmpOptions::jitter,
                 "Each poll starts up to this fraction of the interval early or late, so that "
                 "devices do not fall into step.",
                 range(0, 0.5))
            .add("first_poll_spread", &SnmpOptions::first_poll_spread,
                 "First polls start at random within this long after start (null: each "
                 "device's interval; 0s: all at once, for benchmarks).")
            .add("timeout", &SnmpOptions::timeout, "Time to wait for each reply before a resend.")
            .add("retries", &SnmpOptions::retries,
                 "Resends of a request after a timeout before the device counts as unreachable.",
                 range(0, 10))
            .add("max_repetitions", &SnmpOptions::max_repetitions,
                 "GETBULK max-repetitions (rows per column per request); halved for a device "
                 "that answers tooBig.",
                 range(1, 1000))
            .add("max_outstanding", &SnmpOptions::max_outstanding,
                 "Requests in flight to one device at once (its walks run in parallel up to "
                 "this).",
                 range(1, 64))
            .add("max_requests_in_flight", &SnmpOptions::max_requests_in_flight,
                 "Requests in flight across all devices; more wait their turn.", range(1, 100000))
            .add("scalars", &SnmpOptions::scalars,
                 "User-defined scalar groups: [{name, objects: {field: OID}}].")
            .add("tables", &SnmpOptions::tables,
                 "User-defined tables: [{name, oid, index: [field...], columns: {field: "
                 "column}}].")
            .add("mib_dirs", &SnmpOptions::mib_dirs,
                 "Directories whose MIB files name the OIDs of scalars: and tables: (read only "
                 "when a name is used; unset: net-snmp's default list, which on Debian includes "
                 "/usr/share/snmp/mibs and the ietf and iana folders of snmp-mibs-downloader).")
            .add("device_overrides", &SnmpOptions::device_overrides,
                 "Per-device settings: [{device, version, port, interval, timeout, retries, "
                 "max_repetitions, max_outstanding, profiles}].")
            .check([](const SnmpOptions& o) -> std::optional<std::string> {
                std::vector<std::string> errors;
                if (o.interval < std::chrono::seconds(1))
                    errors.push_back("interval must be at least 1s");
                if (o.timeout < std::chrono::milliseconds(10) ||
                    o.timeout > std::chrono::seconds(60))
                    errors.push_back("timeout must be between 10ms and 60s");
                const auto profiles = snmp::defined_profiles(o, errors);
                const auto known = [&](const std::string& name) {
                    return std::any_of(profiles.begin(), profiles.end(),
                                       [&](const snmp::Profile& p) { return p.name == name; });
                };
                std::string names;
                for (const auto& p : profiles)
                    names += (names.empty() ? "" : ", ") + p.name;
                const auto check_list = [&](const std::vector<std::string>& list,
                                            const std::string& where) {
                    for (const auto& name : list) {
                        if (!known(name))
                            errors.push_back(where + ": unknown profile '" + name +
                                             "'; defined: " + names);
                    }
                };
                check_list(o.profiles, "profiles");
                std::set<std::string> devices;
                for (const auto& d : o.device_overrides) {
                    if (!devices.insert(d.device).second)
                        errors.push_back("device_overrides: device '" + d.device + "' given twice");
                    if (d.profiles) check_list(*d.profiles, "device_overrides." + d.device);
                }
                return check_result(errors);
            });
    return table;
}

namespace snmp {

std::optional<std::string> check_field_name(const std::string& name) {
    static const std::set<std::string> reserved = {
        "kind", "time", "time_received", "device", "device_address", "snmp_table", "index"};
    if (name.empty()) return "a name must not be empty";
    for (char c : name) {
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_'))
            return "'" + name + "' is not snake_case (a-z, 0-9, _)";
    }
    if (reserved.contains(name)) return "'" + name + "' is reserved for the record itself";
    return std::nullopt;
}

PollSettings settings_for(const SnmpOptions& options, const std::string& device) {
    PollSettings s;
    s.version = options.version;
    s.port = options.port;
    s.interval = options.interval;
    s.timeout = options.timeout;
    s.retries = options.retries;
    s.max_repetitions = options.max_repetitions;
    s.max_outstanding = options.max_outstanding;
    s.profiles = options.profiles;
    for (const auto& o : options.device_overrides) {
        if (o.device != device) continue;
        if (o.version) s.version = *o.version;
        if (o.port) s.port = *o.port;
        if (o.interval) s.interval = *o.interval;
        if (o.timeout) s.timeout = *o.timeout;
        if (o.retries) s.retries = *o.retries;
        if (o.max_repetitions) s.max_repetitions = *o.max_repetitions;
        if (o.max_outstanding) s.max_outstanding = *o.max_outstanding;
        if (o.profiles) s.profiles = *o.profiles;
    }
    return s;
}

namespace {

bool parse_index_part(const std::string& text, std::string& name, IndexEncoding& encoding) {
    const auto colon = text.find(':');
    name = text.substr(0, colon);
    encoding = IndexEncoding::integer;
    if (colon == std::string::npos) return true;
    const std::string kind = text.substr(colon + 1);
    if (kind == "integer") return true;
    if (kind == "ipv4")
        encoding = IndexEncoding::ipv4;
    else if (kind == "string")
        encoding = IndexEncoding::string;
    else if (kind == "implied")
        encoding = IndexEncoding::implied;
    else
        return false;
    return true;
}

}  // namespace

std::vector<Profile> defined_profiles(const SnmpOptions& options,
                                      std::vector<std::string>& errors) {
    std::vector<Profile> out = builtin_profiles();
    // Numbers first; a name is looked up in the MIB files (read only when a name is used).
    std::optional<std::vector<std::string>> mib_dirs = options.mib_dirs;
    const auto resolve = [&](const std::string& text, Oid& oid, std::string& why) {
        if (parse_oid(text, oid)) return true;
        if (!mib_dirs) mib_dirs = default_mib_dirs();
        return oid_from_mib_name(text, *mib_dirs, oid, why);
    };
    std::set<std::string> names;
    for (const auto& p : out)
        names.insert(p.name);
    const auto check_name = [&](const std::string& where, const std::string& name) {
        if (auto problem = check_field_name(name)) {
            errors.push_back(where + ": " + *problem);
            return false;
        }
        return true;
    };
    for (const auto& group : options.scalars) {
        const std::string where = "scalars." + group.name;
        if (!check_name("scalars", group.name)) continue;
        if (!names.insert(group.name).second) {
            errors.push_back(where + ": the name '" + group.name + "' is taken");
            continue;
        }
        ScalarGroupSpec spec{group.name, {}};
        for (const auto& [field, text] : group.objects) {
            Oid oid;
            std::string why;
            if (!check_name(where, field)) continue;
            if (!resolve(text, oid, why)) {
                errors.push_back(where + "." + field + ": " + why);
                continue;
            }
            if (oid.size() < 2) {
                errors.push_back(where + "." + field + ": '" + text + "' is too short an OID");
                continue;
            }
            spec.scalars.push_back({oid, FieldName::intern(field)});
        }
        if (spec.scalars.empty()) errors.push_back(where + ": no objects");
        out.push_back({group.name, {std::move(spec)}, {}});
    }
    for (const auto& table : options.tables) {
        const std::string where = "tables." + table.name;
        if (!check_name("tables", table.name)) continue;
        if (!names.insert(table.name).second) {
            errors.push_back(where + ": the name '" + table.name + "' is taken");
            continue;
        }
        Oid entry;
        std::string why;
        if (!resolve(table.oid, entry, why)) {
            errors.push_back(where + ".oid: " + why);
            continue;
        }
        if (entry.size() < 2) {
            errors.push_back(where + ".oid: '" + table.oid + "' is too short an OID");
            continue;
        }
        TableSpec spec{table.name, {}, {{entry, {}}}};
        std::set<std::string> fields;
        for (std::size_t i = 0; i < table.index.size(); ++i) {
            std::string name;
            IndexEncoding encoding = IndexEncoding::integer;
            if (!parse_index_part(table.index[i], name, encoding)) {
                errors.push_back(where + ".index: '" + table.index[i] +
                                 "': the encoding is one of integer, ipv4, string, implied");
                continue;
            }
            if (encoding == IndexEncoding::implied && i + 1 != table.index.size())
                errors.push_back(where + ".index: only the last part may be implied");
            if (!check_name(where + ".index", name)) continue;
            fields.insert(name);
            spec.index.push_back({FieldName::intern(name), encoding});
        }
        for (const auto& [field, text] : table.columns) {
            if (!check_name(where + ".columns", field)) continue;
            if (!fields.insert(field).second) {
                errors.push_back(where + ".columns." + field + ": also an index part");
                continue;
            }
            Oid oid;
            std::uint32_t number = 0;
            if (!resolve(text, oid, why)) {
                errors.push_back(where + ".columns." + field + ": " + why);
                continue;
            }
            if (oid.size() == 1) {
                number = oid[0];
            } else if (oid.size() == entry.size() + 1 && oid_has_prefix(oid, entry)) {
                number = oid.back();
            } else {
                errors.push_back(where + ".columns." + field + ": " + text +
                                 " is not a column of " + table.oid);
                continue;
            }
            spec.subtrees[0].columns.push_back({number, FieldName::intern(field)});
        }
        if (spec.subtrees[0].columns.empty()) errors.push_back(where + ": no columns");
        out.push_back({table.name, {}, {std::move(spec)}});
    }
    return out;
}

}  // namespace snmp

}  // namespace netfeed
