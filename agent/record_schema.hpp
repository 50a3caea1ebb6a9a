// The record schema contract: each plugin declares the fields it writes (name, JSON type, unit,
// meaning, when present) in a table in its own folder, registered with the plugin. The Connect
// envelope, `netfeed schema`, the generated docs and the tests all read these tables, so a field
// name is written once.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string_view>
#include <vector>

#include "agent/record.hpp"

namespace netfeed {

/// The JSON type of a field's value in the flat record (docs/records.md, "Value types").
enum class FieldType : std::uint8_t {
    integer,  // a JSON integer (counters up to 2^64-1)
    number,   // a JSON number; NaN and infinities are written as null
    string,   // text, addresses, times that do not end in _ns
    boolean,
    object,      // nested content whose shape depends on the input (syslog structured data)
    array,       // a list whose items depend on the input (trap varbinds)
    string_map,  // an object whose values are all strings (flow `extra`)
};

std::string_view to_string(FieldType type) noexcept;

/// One field a plugin writes. A unit test per builder checks that every name it writes is in its
/// table, so the table cannot fall behind the code.
struct SchemaField {
    std::string_view name;
    FieldType type;
    std::string_view meaning;
    std::string_view unit = {};     // "" when the value has none (codes, names, text)
    std::string_view present = {};  // when the field is there; "" means in every record
    bool nullable = false;          // the value may be null (a field present without a value)
    std::optional<FieldType> items = std::nullopt;  // an array's items, when they share a type
};

/// What one plugin declares for one kind. Several plugins may write one kind (netflow and sflow
/// write flows); the kind's schema is the union of their declarations.
struct KindDeclaration {
    std::string_view owner;    // the plugin folder, e.g. "collectors/netflow"
    std::string_view summary;  // what one record of the kind is, for the docs
    std::span<const SchemaField> fields;
    /// The kind also carries fields named only at run time (user-defined SNMP columns, NX-API
    /// row fields): readers must accept fields the schema does not list.
    bool open = false;
};

/// A kind's registered schema: every declaration, in registration order.
struct KindSchema {
    RecordKind kind;
    std::vector<KindDeclaration> declarations;
    bool open = false;
    /// Every field once, in declaration order (the first declaration of a name wins).
    std::vector<SchemaField> fields;
    const SchemaField* find(std::string_view name) const noexcept;
};

/// Declares fields of `kind`, defining the kind if it is new. Called when plugins are registered,
/// before records flow. Throws std::logic_error when a name is declared twice with another type
/// (two plugins would write one field two ways), is not snake_case, or is an envelope field.
RecordKind declare_kind_fields(std::string_view kind, const KindDeclaration& declaration);

/// The kind's schema; nullptr when no plugin declared it. Lock-free: sinks call it per record.
const KindSchema* kind_schema(RecordKind kind) noexcept;

/// The fields every record carries before its body (record_json.hpp writes them).
std::span<const SchemaField> envelope_fields() noexcept;

}  // namespace netfeed
