// The inventory enricher's option table.
#include "enrichers/inventory/options.hpp"

namespace netfeed::inventory {

const OptionTable<InventorySettings>& InventorySettings::options() {
    static const auto table = OptionTable<InventorySettings>().add(
        "path", &InventorySettings::path,
        "CSV inventory joined to records (site, role, address, ...); relative to this file.",
        existing_file());
    return table;
}

const OptionTable<InventoryOptions>& InventoryOptions::options() {
    static const auto table =
        OptionTable<InventoryOptions>()
            .add("path", &InventoryOptions::path,
                 "The CSV file (header row first); empty: the top-level inventory.path.")
            .add("key_column", &InventoryOptions::key_column, "The column records are joined on.")
            .add("key_type", &InventoryOptions::key_type,
                 "What the key column holds: name (matched against the record's device name) or "
                 "address (a management IP, matched against the address the record came from).")
            .add("name_column", &InventoryOptions::name_column,
                 "The column naming a device that is found by address and not in the device "
                 "list; empty: such devices keep their address as name.")
            .add("addresses_column", &InventoryOptions::addresses_column,
                 "A column listing more addresses of each device (loopbacks, interface "
                 "addresses), so a record from any of them finds the row; empty: none.")
            .add("addresses_separator", &InventoryOptions::addresses_separator,
                 "The character between addresses in addresses_column.")
            .add("columns", &InventoryOptions::columns,
                 "Columns added to records, in this order; empty: every column (extra fields "
                 "included as column_N).")
            .add("prefix", &InventoryOptions::prefix,
                 "Put before each column name to make the field name; no '.', so that sinks "
                 "and their readers see one flat field, not a path (docs/records.md).")
            .add("match_field", &InventoryOptions::match_field,
                 "Boolean field saying whether the record found its row; empty: not added.")
            .add("drop_unmatched", &InventoryOptions::drop_unmatched,
                 "Drop records that match no row (counted as dropped, reason filtered) instead "
                 "of delivering them with match_field false.")
            .add("name_devices", &InventoryOptions::name_devices,
                 "Name devices that are not in the device list from the inventory (name_column) "
                 "or reverse DNS.")
            .add("reverse_dns", &InventoryOptions::reverse_dns,
                 "Name devices found neither in the device list nor in the inventory by reverse "
                 "DNS, resolved in the background: records go out with the address until the "
                 "name is known.")
            .add("dns_timeout", &InventoryOptions::dns_timeout,
                 "Time for one reverse DNS query (whole seconds, at least 1).")
            .add("dns_ttl", &InventoryOptions::dns_ttl, "How long a name from DNS is kept.")
            .add("dns_negative_ttl", &InventoryOptions::dns_negative_ttl,
                 "How long an address without a name is not asked again.")
            .add("watch", &InventoryOptions::watch,
                 "Reload the file when it changes (inotify on its directory); SIGHUP reloads it "
                 "either way.")
            .check([](const InventoryOptions& o) -> std::optional<std::string> {
                if (o.addresses_separator.size() != 1)
                    return "addresses_separator must be one character";
                if (o.key_column.empty()) return "key_column must not be empty";
                return std::nullopt;
            });
    return table;
}

InventoryLayout InventoryOptions::layout() const {
    InventoryLayout layout;
    layout.key_column = key_column;
    layout.key_type = key_type;
    layout.name_column = name_column;
    layout.addresses_column = addresses_column;
    layout.addresses_separator = addresses_separator.empty() ? ';' : addresses_separator[0];
    layout.columns = columns;
    layout.prefix = prefix;
    return layout;
}

}  // namespace netfeed::inventory
