// Markdown field tables; see record_schema_markdown.hpp.
#include "agent/record_schema_markdown.hpp"

namespace netfeed {

namespace {

// Table cells cannot hold a bare '|'.
std::string cell(std::string_view text) {
    std::string out;
    for (char c : text) {
        if (c == '|') out += '\\';
        out += c;
    }
    return out;
}

std::string type_cell(const SchemaField& f) {
    std::string out(to_string(f.type));
    if (f.type == FieldType::array && f.items) out += " of " + std::string(to_string(*f.items));
    if (f.nullable) out += " or null";
    return out;
}

std::string row(const SchemaField& f) {
    return "| `" + cell(f.name) + "` | " + type_cell(f) + " | " + cell(f.unit) + " | " +
           cell(f.meaning) + " | " + (f.present.empty() ? "always" : cell(f.present)) + " |\n";
}

}  // namespace

std::string fields_markdown(std::span<const SchemaField> fields) {
    std::string out = "| field | type | unit | meaning | present |\n|---|---|---|---|---|\n";
    for (const SchemaField& f : fields)
        out += row(f);
    return out;
}

std::string kind_markdown(const KindSchema& schema) {
    std::string out;
    for (const KindDeclaration& d : schema.declarations) {
        if (!out.empty()) out += "\n";
        out += "From `" + std::string(d.owner) + "`: " + cell(d.summary) + ".\n\n";
        out += fields_markdown(d.fields);
    }
    if (schema.open) {
        out +=
            "\nRecords of this kind also carry fields named at run time (see above); the "
            "schema allows them.\n";
    }
    return out;
}

std::string enrichers_markdown(const std::map<std::string, std::span<const SchemaField>>& fields) {
    std::string out =
        "| field | enricher | type | unit | meaning | present |\n|---|---|---|---|---|---|\n";
    for (const auto& [enricher, list] : fields) {
        for (const SchemaField& f : list) {
            out += "| `" + cell(f.name) + "` | " + enricher + " | " + type_cell(f) + " | " +
                   cell(f.unit) + " | " + cell(f.meaning) + " | " +
                   (f.present.empty() ? "always" : cell(f.present)) + " |\n";
        }
    }
    return out;
}

}  // namespace netfeed
