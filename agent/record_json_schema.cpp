// JSON Schema from the declared fields; see record_json_schema.hpp.
#include "agent/record_json_schema.hpp"

#include <algorithm>

#include "agent/record_json.hpp"

namespace netfeed {

namespace {

nlohmann::json type_schema(const SchemaField& f) {
    nlohmann::json out = nlohmann::json::object();
    switch (f.type) {
        case FieldType::string_map:
            out["type"] = "object";
            out["additionalProperties"] = {{"type", "string"}};
            break;
        default:
            out["type"] = std::string(to_string(f.type));
            break;
    }
    if (f.type == FieldType::array && f.items) {
        SchemaField item{};
        item.type = *f.items;
        out["items"] = type_schema(item);
    }
    // NaN and infinities are written as null (docs/records.md, Value types).
    if (f.nullable || f.type == FieldType::number)
        out["type"] = nlohmann::json::array({out["type"], "null"});
    return out;
}

nlohmann::json field_schema(const SchemaField& f) {
    nlohmann::json out = type_schema(f);
    out["description"] = std::string(f.meaning);
    if (!f.unit.empty()) out["x-unit"] = std::string(f.unit);
    if (!f.present.empty()) out["x-present"] = std::string(f.present);
    return out;
}

}  // namespace

nlohmann::json record_json_schema(RecordKind kind, std::span<const EnrichedFields> enriched) {
    const std::string name(to_string(kind));
    nlohmann::json properties = nlohmann::json::object();
    nlohmann::json required = nlohmann::json::array();
    for (const SchemaField& f : envelope_fields()) {
        nlohmann::json p = field_schema(f);
        if (f.name == "kind") p["const"] = name;
        if (f.name.starts_with("time")) p["format"] = "date-time";
        properties[std::string(f.name)] = std::move(p);
        required.push_back(std::string(f.name));
    }
    std::string description;
    if (const KindSchema* schema = kind_schema(kind)) {
        for (const KindDeclaration& d : schema->declarations) {
            if (!description.empty()) description += "; ";
            description += std::string(d.owner) + ": " + std::string(d.summary);
        }
        for (const SchemaField& f : schema->fields)
            properties[std::string(f.name)] = field_schema(f);
    }
    for (const EnrichedFields& e : enriched) {
        const bool applies =
            e.kinds.empty() || std::find(e.kinds.begin(), e.kinds.end(), kind) != e.kinds.end();
        if (!applies) continue;
        for (const SchemaField& f : e.fields) {
            const std::string field(f.name);
            if (properties.contains(field)) continue;  // the collector's declaration stands
            nlohmann::json p = field_schema(f);
            p["x-enricher"] = e.enricher;
            properties[field] = std::move(p);
        }
    }
    return {{"$schema", "https://json-schema.org/draft/2020-12/schema"},
            {"$id", "urn:netfeed:record:" + name},
            {"title", "netfeed " + name + " record"},
            {"description", description},
            {"x-schema-version", kRecordSchemaVersion},
            {"type", "object"},
            {"properties", std::move(properties)},
            {"required", std::move(required)},
            {"additionalProperties", true}};
}

nlohmann::json record_json_schemas(std::span<const EnrichedFields> enriched) {
    nlohmann::json out = nlohmann::json::object();
    for (RecordKind kind : all_record_kinds()) {
        if (kind_schema(kind) != nullptr)
            out[std::string(to_string(kind))] = record_json_schema(kind, enriched);
    }
    return out;
}

}  // namespace netfeed
