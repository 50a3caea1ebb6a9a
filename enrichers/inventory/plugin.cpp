// The inventory enricher's registration: the factory reads the file once, so that
// `netfeed validate` reports its findings and a file that cannot be used fails the load.
#include "enrichers/inventory/plugin.hpp"

#include <stdexcept>

#include "enrichers/inventory/inventory_enricher.hpp"
#include "enrichers/inventory/record_schema.hpp"

namespace netfeed::inventory {

void register_inventory_enricher(PluginRegistry& registry) {
    registry.add_enricher_fields("inventory", inventory_fields());
    registry.add_settings_section<InventorySettings>("inventory");
    registry.add_enricher<InventoryOptions>(
        "inventory",
        "Joins a CSV inventory (by device name or address, secondary addresses too) to every "
        "record, names unknown devices, reloads when the file changes.",
        [](const InventoryOptions& options, const BuildContext& context) {
            // Elasticsearch, ClickHouse and Kafka Connect read a dot as a path into objects.
            if (options.prefix.find('.') != std::string::npos) {
                throw std::runtime_error("prefix '" + options.prefix +
                                         "' has a '.': enriched fields are flat names, write '" +
                                         options.prefix.substr(0, options.prefix.find('.')) +
                                         "_' instead");
            }
            const std::string path =
                options.path.empty()
                    ? section_settings<InventorySettings>(context.config, "inventory").path.path
                    : options.path.path;
            if (path.empty()) {
                throw std::runtime_error(
                    "no inventory file: set path: here or inventory: {path: ...} at the top "
                    "level");
            }
            InventoryBuild build = load_inventory(path, options.layout());
            if (!build.table) throw std::runtime_error("inventory " + path + ": " + *build.error);
            for (const auto& finding : build.findings) {
                context.state.warning_at(path, finding.line, context.section.path, finding.message);
            }
            return std::make_unique<InventoryEnricher>(options, path, std::move(build),
                                                       context.devices);
        });
}

}  // namespace netfeed::inventory
