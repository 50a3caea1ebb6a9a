// Options of the inventory enricher, and of the top-level `inventory:` section it declares.
#pragma once

#include <string>
#include <vector>

#include "agent/option_table.hpp"
#include "enrichers/inventory/inventory_table.hpp"

namespace netfeed {

template <>
struct EnumNames<inventory::KeyType> {
    static constexpr std::pair<std::string_view, inventory::KeyType> values[] = {
        {"name", inventory::KeyType::name}, {"address", inventory::KeyType::address}};
};

namespace inventory {

/// The top-level `inventory:` section: the file every inventory enricher without its own path
/// reads.
struct InventorySettings {
    FilePath path;
    static const OptionTable<InventorySettings>& options();
};

struct InventoryOptions {
    FilePath path;  // empty: the top-level inventory.path
    std::string key_column = "hostname";
    KeyType key_type = KeyType::name;
    std::string name_column = "hostname";
    std::string addresses_column;
    std::string addresses_separator = ";";
    std::vector<std::string> columns;
    std::string prefix = "inventory_";
    std::string match_field = "inventory_match";
    bool drop_unmatched = false;
    bool name_devices = true;
    bool reverse_dns = false;
    Duration dns_timeout = std::chrono::seconds(2);
    Duration dns_ttl = std::chrono::hours(1);
    Duration dns_negative_ttl = std::chrono::minutes(5);
    bool watch = true;
    static const OptionTable<InventoryOptions>& options();

    InventoryLayout layout() const;
};

}  // namespace inventory
}  // namespace netfeed
