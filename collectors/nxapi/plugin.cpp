// The NX-API poller's registration: resolves devices, credentials and commands at load time.
#include "collectors/nxapi/plugin.hpp"

#include <algorithm>
#include <set>

#include "collectors/nxapi/nxapi_collector.hpp"
#include "collectors/nxapi/record_schema.hpp"

namespace netfeed::nxapi {

namespace {

std::string name_list(const std::vector<std::string>& names) {
    std::string out;
    for (std::size_t i = 0; i < names.size() && i < 20; ++i)
        out += (out.empty() ? "" : ", ") + names[i];
    if (names.size() > 20) out += " and " + std::to_string(names.size() - 20) + " more";
    return out;
}

std::unique_ptr<Collector> build(const NxapiOptions& options, const BuildContext& context) {
    std::vector<std::string> errors;
    const std::string& component = context.section.name;
    const auto polled = context.devices->polled_by(component);
    const auto configured = context.devices->configured_for(component);
    for (const auto& o : options.device_overrides) {
        const bool known = std::any_of(configured.begin(), configured.end(),
                                       [&](const Device* d) { return d->name == o.device; });
        if (!known)
            errors.push_back("device_overrides: '" + o.device + "' is not a device with '" +
                             component + "' in its collectors");
    }
    std::vector<PollTarget> targets;
    std::vector<std::string> clear_text, unverified, vendor_defaults;
    for (const Device* device : polled) {
        const std::string where = "device " + device->name + ": ";
        if (device->credentials == nullptr) {
            errors.push_back(where +
                             "no credentials (name an entry under credentials: with a username "
                             "and a password)");
            continue;
        }
        if (device->credentials->username.empty() || device->credentials->password.empty()) {
            errors.push_back(where + "NX-API needs a username and a password in its credentials");
            continue;
        }
        PollTarget target;
        target.device = device->name;
        target.address = device->address;
        target.settings = settings_for(options, device->name);
        target.username = device->credentials->username;
        target.password = device->credentials->password;
        if (target.settings.scheme == Scheme::http) clear_text.push_back(device->name);
        if (target.settings.scheme == Scheme::https && !target.settings.tls_verify)
            unverified.push_back(device->name);
        if (is_vendor_default_login(target.username, target.password.reveal()))
            vendor_defaults.push_back(device->name);
        targets.push_back(std::move(target));
    }
    if (!errors.empty()) {
        std::string message;
        for (const auto& e : errors)
            message += (message.empty() ? "" : "; ") + e;
        throw std::runtime_error(message);
    }
    std::vector<std::string> warnings;
    const std::string prefix = "nxapi " + component + ": ";
    if (!clear_text.empty())
        warnings.push_back(prefix + "plain http to " + name_list(clear_text) +
                           ": their NX-API passwords and session cookies travel in clear "
                           "(use scheme: https)");
    if (!unverified.empty())
        warnings.push_back(prefix + "tls_verify is false for " + name_list(unverified) +
                           ": anyone on the path can pose as these switches and take their "
                           "credentials");
    if (!vendor_defaults.empty())
        warnings.push_back(prefix + "vendor default password in use on " +
                           name_list(vendor_defaults) + ": change it on the switch");
    PollerSettings settings;
    settings.component = component;
    settings.jitter = options.jitter;
    settings.first_poll_spread = options.first_poll_spread;
    settings.max_connections = options.max_connections;
    settings.max_response_bytes = options.max_response_bytes;
    settings.ca_file = options.ca_file.path;
    settings.error_topic = options.error_topic;
    std::set<std::string> topics{options.error_topic};
    for (const auto& t : targets) {
        for (const auto& c : t.settings.commands)
            topics.insert(c.topic);
    }
    const std::size_t count = targets.size();
    return std::make_unique<NxapiCollector>(
        std::make_unique<NxapiPoller>(std::move(settings), std::move(targets)), count,
        std::move(warnings), std::vector<std::string>(topics.begin(), topics.end()));
}

}  // namespace

void register_nxapi_collector(PluginRegistry& registry) {
    registry.add_record_fields("nxapi", nxapi_declaration());
    registry.add_collector<NxapiOptions>(
        "nxapi",
        "Cisco NX-API poller: show commands over HTTP(S) as JSON-RPC or ins_api, TABLE/ROW "
        "output normalized, tables optionally exploded into one record per row.",
        [](const NxapiOptions& options, const BuildContext& context) {
            return build(options, context);
        });
}

}  // namespace netfeed::nxapi
