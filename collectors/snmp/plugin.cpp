// The SNMP poller's registration: resolves devices, credentials and profiles at load time.
#include "collectors/snmp/plugin.hpp"

#include "collectors/snmp/record_schema.hpp"
#include "collectors/snmp/snmp_collector.hpp"

namespace netfeed::snmp {

namespace {

std::unique_ptr<Collector> build(const SnmpOptions& options, const BuildContext& context) {
    std::vector<std::string> errors;
    std::vector<Profile> profiles = defined_profiles(options, errors);
    const auto profile_position = [&](const std::string& name) -> std::optional<std::size_t> {
        for (std::size_t i = 0; i < profiles.size(); ++i) {
            if (profiles[i].name == name) return i;
        }
        return std::nullopt;
    };
    std::vector<PollTarget> targets;
    const auto polled = context.devices->polled_by(context.section.name);
    const auto configured = context.devices->configured_for(context.section.name);
    for (const auto& o : options.device_overrides) {
        const bool known = std::any_of(configured.begin(), configured.end(),
                                       [&](const Device* d) { return d->name == o.device; });
        if (!known)
            errors.push_back("device_overrides: '" + o.device + "' is not a device with '" +
                             context.section.name + "' in its collectors");
    }
    for (const Device* device : polled) {
        PollTarget target;
        target.device = device->name;
        target.address = device->address;
        target.settings = settings_for(options, device->name);
        const std::string where = "device " + device->name + ": ";
        if (device->credentials == nullptr) {
            errors.push_back(where +
                             "no credentials (name an entry under credentials: with a "
                             "community or an SNMPv3 user)");
            continue;
        }
        target.credentials = *device->credentials;
        if (target.settings.version == SnmpVersion::v3) {
            if (target.credentials.username.empty())
                errors.push_back(where + "SNMPv3 needs a username in its credentials");
        } else if (target.credentials.community.empty()) {
            errors.push_back(where + "SNMP " + std::string(enum_name(target.settings.version)) +
                             " needs a community in its credentials");
        }
        for (const auto& name : target.settings.profiles) {
            if (auto p = profile_position(name)) target.profiles.push_back(*p);
        }
        targets.push_back(std::move(target));
    }
    if (!errors.empty()) {
        std::string message;
        for (const auto& e : errors)
            message += (message.empty() ? "" : "; ") + e;
        throw std::runtime_error(message);
    }
    PollerSettings settings{context.section.name, options.jitter, options.first_poll_spread,
                            options.max_requests_in_flight};
    const std::size_t count = targets.size();
    return std::make_unique<SnmpCollector>(
        std::make_unique<SnmpPoller>(std::move(settings), std::move(profiles), std::move(targets)),
        count);
}

}  // namespace

void register_snmp_collector(PluginRegistry& registry) {
    registry.add_record_fields("snmp", snmp_declaration());
    registry.add_record_fields("status", status_declaration());
    registry.add_collector<SnmpOptions>(
        "snmp",
        "SNMP v1/v2c/v3 poller: built-in system, interfaces, entity and LLDP profiles plus "
        "user-defined scalars and tables, one record per table row, with counter rates.",
        [](const SnmpOptions& options, const BuildContext& context) {
            return build(options, context);
        });
}

}  // namespace netfeed::snmp
