// The geoip enricher's registration: the databases are opened when it is built, so a missing or
// broken file fails `netfeed validate` with its name.
#include "enrichers/geoip/plugin.hpp"

#include "enrichers/geoip/geoip_enricher.hpp"
#include "enrichers/geoip/record_schema.hpp"

namespace netfeed::geoip {

void register_geoip_enricher(PluginRegistry& registry) {
    registry.add_enricher_fields("geoip", geoip_fields());
    registry.add_enricher<GeoipOptions>(
        "geoip",
        "Country and autonomous system of a flow's public addresses from MaxMind database files "
        "(libmaxminddb).",
        [](const GeoipOptions& options, const BuildContext&) {
            std::vector<std::shared_ptr<const GeoipDatabase>> databases;
            for (const auto& path : options.databases)
                databases.push_back(std::make_shared<const GeoipDatabase>(path.path));
            return std::make_unique<GeoipEnricher>(options, std::move(databases));
        });
}

}  // namespace netfeed::geoip
