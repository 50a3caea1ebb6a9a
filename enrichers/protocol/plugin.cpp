// The protocol enricher's registration: the name tables are read once, when it is built.
#include "enrichers/protocol/plugin.hpp"

#include "enrichers/protocol/protocol_enricher.hpp"
#include "enrichers/protocol/record_schema.hpp"

namespace netfeed::protocol {

void register_protocol_enricher(PluginRegistry& registry) {
    registry.add_enricher_fields("protocol", protocol_fields());
    registry.add_enricher<ProtocolOptions>(
        "protocol",
        "Protocol names, service names of well-known ports (/etc/services) and TCP flag letters "
        "beside the numbers of flow records.",
        [](const ProtocolOptions& options, const BuildContext& context) {
            std::string services = read_text_file(options.services_file.path);
            if (services.empty() && options.services) {
                context.state.warning_at(context.state.file(), 0, context.section.path,
                                         "cannot read " + options.services_file.path +
                                             "; using the built-in list of common services");
            }
            auto names = std::make_shared<const ProtocolNames>(
                read_text_file(options.protocols_file.path), services);
            return std::make_unique<ProtocolEnricher>(options, std::move(names));
        });
}

}  // namespace netfeed::protocol
