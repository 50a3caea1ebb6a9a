// `netfeed schema`; see schema_command.hpp.
#include "agent/schema_command.hpp"

#include <iostream>

#include "agent/built_config.hpp"
#include "agent/record_schema_markdown.hpp"

namespace netfeed {

std::vector<EnrichedFields> configured_enricher_fields(const std::string& path,
                                                       const PluginRegistry& registry) {
    const BuiltConfig built = load_and_build(path, registry);
    std::vector<EnrichedFields> out;
    for (const auto& e : built.enrichers)
        out.push_back({e.section.name, e.section.kinds, e.instance->added_fields()});
    return out;
}

int print_record_schemas(const std::string& kind, const std::string& config_path) {
    const PluginRegistry& registry = builtin_plugins();
    std::vector<EnrichedFields> enriched;
    if (!config_path.empty()) {
        try {
            enriched = configured_enricher_fields(config_path, registry);
        } catch (const ConfigError& e) {
            for (const auto& issue : e.issues())
                std::cerr << issue.to_string() << "\n";
            return 2;
        }
    }
    if (kind.empty()) {
        std::cout << record_json_schemas(enriched).dump(2) << "\n";
        return 0;
    }
    const auto parsed = parse_record_kind(kind);
    if (!parsed || kind_schema(*parsed) == nullptr) {
        std::cerr << "no record kind '" << kind << "' (known: ";
        bool first = true;
        for (const auto& [name, schema] : record_json_schemas().items()) {
            std::cerr << (first ? "" : ", ") << name;
            first = false;
        }
        std::cerr << ")\n";
        return 2;
    }
    std::cout << record_json_schema(*parsed, enriched).dump(2) << "\n";
    return 0;
}

int print_record_schema_markdown(const std::string& what) {
    const PluginRegistry& registry = builtin_plugins();
    if (what == "envelope") {
        std::cout << fields_markdown(envelope_fields());
        return 0;
    }
    if (what == "enrichers") {
        std::cout << enrichers_markdown(registry.enricher_fields());
        return 0;
    }
    const auto kind = parse_record_kind(what);
    const KindSchema* schema = kind ? kind_schema(*kind) : nullptr;
    if (schema == nullptr) {
        std::cerr << "no record kind '" << what << "' (or write envelope or enrichers)\n";
        return 2;
    }
    std::cout << kind_markdown(*schema);
    return 0;
}

}  // namespace netfeed
