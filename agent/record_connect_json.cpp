// The Kafka Connect JSON envelope; see record_connect_json.hpp.
#include "agent/record_connect_json.hpp"

#include <algorithm>
#include <limits>
#include <memory>
#include <span>
#include <unordered_map>
#include <utility>
#include <vector>

#include "agent/json_writer.hpp"
#include "agent/record_schema.hpp"

namespace netfeed {

namespace {

// ---------------------------------------------------------------------------------------------
// Schemas.

struct Schema {
    enum class Type { null, boolean, int64, float64, string, array, map, structure };
    Type type = Type::null;  // null: only nulls seen; written as an optional string
    std::vector<std::pair<std::string, Schema>> fields;  // structure
    std::shared_ptr<Schema> items;                       // array items, map values

    bool operator==(const Schema& o) const {
        if (type != o.type || fields != o.fields) return false;
        if ((items == nullptr) != (o.items == nullptr)) return false;
        return items == nullptr || *items == *o.items;
    }
};

Schema scalar(Schema::Type type) {
    Schema s;
    s.type = type;
    return s;
}
Schema string_map() {
    Schema s = scalar(Schema::Type::map);
    s.items = std::make_shared<Schema>(scalar(Schema::Type::string));
    return s;
}

// Two shapes seen for one place: their union where one exists, else JSON text (a string).
Schema merge(const Schema& a, const Schema& b) {
    using T = Schema::Type;
    if (a == b || b.type == T::null) return a;
    if (a.type == T::null) return b;
    if (a.type == T::int64 && b.type == T::float64) return b;
    if (a.type == T::float64 && b.type == T::int64) return a;
    // An object of uniform values was taken for a map; beside a struct of the same place it is
    // one more struct (a map derived from an object remembers its keys as fields).
    const auto as_struct = [](const Schema& m) {
        Schema out = m;
        out.type = T::structure;
        out.items.reset();
        return out;
    };
    if (a.type == T::structure && b.type == T::map && !b.fields.empty())
        return merge(a, as_struct(b));
    if (a.type == T::map && !a.fields.empty() && b.type == T::structure)
        return merge(as_struct(a), b);
    if (a.type == T::structure && b.type == T::structure) {
        Schema out = a;
        for (const auto& [name, schema] : b.fields) {
            auto it = std::find_if(out.fields.begin(), out.fields.end(),
                                   [&](const auto& f) { return f.first == name; });
            if (it == out.fields.end()) {
                out.fields.emplace_back(name, schema);
            } else {
                it->second = merge(it->second, schema);
            }
        }
        return out;
    }
    if ((a.type == T::array && b.type == T::array) || (a.type == T::map && b.type == T::map)) {
        Schema out = a;
        out.items = std::make_shared<Schema>(merge(*a.items, *b.items));
        if (a.type == T::map) {
            // Keep the keys as fields too, should a struct of the same place come later.
            Schema keys = merge(as_struct(a), as_struct(b));
            out.fields = std::move(keys.fields);
        }
        return out;
    }
    return scalar(T::string);
}

Schema derive(const Json& j) {
    using T = Schema::Type;
    switch (j.type()) {
        case Json::value_t::null:
            return scalar(T::null);
        case Json::value_t::boolean:
            return scalar(T::boolean);
        case Json::value_t::number_integer:
        case Json::value_t::number_unsigned:
            return scalar(T::int64);
        case Json::value_t::number_float:
            return scalar(T::float64);
        case Json::value_t::string:
            return scalar(T::string);
        case Json::value_t::array: {
            Schema s = scalar(T::array);
            Schema items = scalar(T::null);
            for (const auto& item : j)
                items = merge(items, derive(item));
            s.items = std::make_shared<Schema>(std::move(items));
            return s;
        }
        case Json::value_t::object: {
            // Keys that are data (sd-ids, "<enterprise>:<element>") rather than names make a
            // map when every value has one shape; differing shapes make a struct.
            Schema values = scalar(T::null);
            bool uniform = true;
            Schema first;
            bool have_first = false;
            for (const auto& [key, value] : j.items()) {
                Schema d = derive(value);
                if (!have_first) {
                    first = d;
                    have_first = true;
                } else if (!(d == first) && d.type != T::null && first.type != T::null) {
                    uniform = false;
                }
                values = merge(values, d);
            }
            if (!have_first) return string_map();
            Schema s = scalar(T::structure);
            for (const auto& [key, value] : j.items())
                s.fields.emplace_back(key, derive(value));
            if (uniform && values.type != T::structure) {
                s.type = T::map;
                s.items = std::make_shared<Schema>(std::move(values));
            }
            return s;
        }
        default:
            return scalar(T::string);
    }
}

const char* type_name(Schema::Type type) {
    switch (type) {
        case Schema::Type::boolean:
            return "boolean";
        case Schema::Type::int64:
            return "int64";
        case Schema::Type::float64:
            return "float64";
        case Schema::Type::array:
            return "array";
        case Schema::Type::map:
            return "map";
        case Schema::Type::structure:
            return "struct";
        case Schema::Type::null:
        case Schema::Type::string:
            break;
    }
    return "string";
}

// Writes a schema object; `field` names it inside a struct ("" for items, values, the root).
void write_schema(JsonWriter& w, const Schema& s, std::string_view field, bool optional) {
    w.begin_object();
    w.plain_key("type");
    w.string(type_name(s.type));
    if (s.type == Schema::Type::structure) {
        w.plain_key("fields");
        w.begin_array();
        for (const auto& [name, schema] : s.fields)
            write_schema(w, schema, name, true);
        w.end_array();
    } else if (s.type == Schema::Type::array) {
        w.plain_key("items");
        write_schema(w, *s.items, "", true);
    } else if (s.type == Schema::Type::map) {
        w.plain_key("keys");
        write_schema(w, scalar(Schema::Type::string), "", false);
        w.plain_key("values");
        write_schema(w, *s.items, "", true);
    }
    w.plain_key("optional");
    w.boolean(optional);
    if (!field.empty()) {
        w.plain_key("field");
        w.string(field);
    }
    w.end_object();
}

// ---------------------------------------------------------------------------------------------
// Payloads that always match their schema.

void write_int64(JsonWriter& w, std::uint64_t n) {
    // Connect has no unsigned type: counters past 2^63-1 are capped rather than wrapped.
    constexpr auto max = static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max());
    w.number(static_cast<std::int64_t>(n > max ? max : n));
}

void write_json(JsonWriter& w, const Schema& s, const Json& j) {
    using T = Schema::Type;
    if (j.is_null()) {
        w.null();
        return;
    }
    switch (s.type) {
        case T::null:
            w.null();
            return;
        case T::boolean:
            if (j.is_boolean()) return w.boolean(j.get<bool>());
            break;
        case T::int64:
            if (j.is_number_unsigned()) return write_int64(w, j.get<std::uint64_t>());
            if (j.is_number_integer()) return w.number(j.get<std::int64_t>());
            break;
        case T::float64:
            if (j.is_number()) return w.number(j.get<double>());
            break;
        case T::string:
            if (j.is_string()) return w.string(j.get_ref<const std::string&>());
            return w.string(j.dump(-1, ' ', false, Json::error_handler_t::replace));
        case T::array:
            if (!j.is_array()) break;
            w.begin_array();
            for (const auto& item : j)
                write_json(w, *s.items, item);
            w.end_array();
            return;
        case T::map:
            if (!j.is_object()) break;
            w.begin_object();
            for (const auto& [key, value] : j.items()) {
                w.key(key);
                write_json(w, *s.items, value);
            }
            w.end_object();
            return;
        case T::structure:
            if (!j.is_object()) break;
            w.begin_object();
            for (const auto& [name, schema] : s.fields) {
                w.key(name);
                auto it = j.find(name);
                if (it == j.end()) {
                    w.null();
                } else {
                    write_json(w, schema, *it);
                }
            }
            w.end_object();
            return;
    }
    w.null();  // a value of another type than its schema says: nothing right to write
}

void write_address(JsonWriter& w, const IpAddress& a) {
    w.string(a.to_string());
}

void write_value(JsonWriter& w, const Schema& s, const Value& v) {
    using T = Schema::Type;
    if (const Json* j = std::get_if<Json>(&v)) return write_json(w, s, *j);
    if (std::holds_alternative<std::monostate>(v)) return w.null();
    switch (s.type) {
        case T::boolean:
            if (const bool* b = std::get_if<bool>(&v)) return w.boolean(*b);
            break;
        case T::int64:
            if (const auto* u = std::get_if<std::uint64_t>(&v)) return write_int64(w, *u);
            if (const auto* i = std::get_if<std::int64_t>(&v)) return w.number(*i);
            break;
        case T::float64:
            if (const auto* d = std::get_if<double>(&v)) return w.number(*d);
            if (const auto* u = std::get_if<std::uint64_t>(&v))
                return w.number(static_cast<double>(*u));
            if (const auto* i = std::get_if<std::int64_t>(&v))
                return w.number(static_cast<double>(*i));
            break;
        case T::string:
            if (const auto* s2 = std::get_if<std::string>(&v)) return w.string(*s2);
            if (const auto* a = std::get_if<IpAddress>(&v)) return write_address(w, *a);
            return w.string(value_to_text(v));
        default:
            break;
    }
    w.null();
}

Schema schema_of(const Value& v) {
    using T = Schema::Type;
    struct Visitor {
        Schema operator()(std::monostate) const { return scalar(T::null); }
        Schema operator()(bool) const { return scalar(T::boolean); }
        Schema operator()(std::int64_t) const { return scalar(T::int64); }
        Schema operator()(std::uint64_t) const { return scalar(T::int64); }
        Schema operator()(double) const { return scalar(T::float64); }
        Schema operator()(const std::string&) const { return scalar(T::string); }
        Schema operator()(const IpAddress&) const { return scalar(T::string); }
        Schema operator()(const Json& j) const { return derive(j); }
    };
    return std::visit(Visitor{}, v);
}

// ---------------------------------------------------------------------------------------------
// The declared fields of each kind (agent/record_schema.hpp, registered by the plugins).

// Nested content (object, array) takes its Connect shape from the value.
bool shaped_by_value(FieldType type) {
    return type == FieldType::object || type == FieldType::array;
}

Schema declared_schema(FieldType type) {
    switch (type) {
        case FieldType::integer:
            return scalar(Schema::Type::int64);
        case FieldType::number:
            return scalar(Schema::Type::float64);
        case FieldType::boolean:
            return scalar(Schema::Type::boolean);
        case FieldType::string_map:
            return string_map();
        default:
            return scalar(Schema::Type::string);
    }
}

// What never changes for a kind's declaration, built once per sink thread: each declared field's
// schema text and where a field name sits in the table, so a record costs one hash per field and
// no schema building for its declared fields.
struct ConnectKind {
    const KindSchema* source = nullptr;  // the declaration snapshot this was built from
    std::unordered_map<std::string_view, std::size_t> index;
    std::vector<std::string> text;  // "" for fields whose schema comes from their value
    std::vector<Schema> schema;     // the declared schema of each field (unused when by value)
};

const ConnectKind& connect_kind(RecordKind kind) {
    // Per thread, so no lock; rebuilt if a plugin declared more fields since (only at start-up).
    thread_local std::vector<ConnectKind> cache(RecordKind::kMaxKinds);
    const KindSchema* source = kind_schema(kind);
    ConnectKind& ck = cache[kind.id() % RecordKind::kMaxKinds];
    if (ck.source == source) return ck;
    ck = ConnectKind{};
    ck.source = source;
    if (source == nullptr) return ck;
    for (std::size_t i = 0; i < source->fields.size(); ++i) {
        const SchemaField& f = source->fields[i];
        ck.index.emplace(f.name, i);
        std::string text;
        Schema schema;
        if (!shaped_by_value(f.type)) {
            schema = declared_schema(f.type);
            JsonWriter w(text);
            write_schema(w, schema, f.name, true);
        }
        ck.text.push_back(std::move(text));
        ck.schema.push_back(std::move(schema));
    }
    return ck;
}

}  // namespace

void append_record_connect_json(const Record& record, std::string& out) {
    // The struct's fields: the envelope, the documented fields, then what else the record has.
    struct Column {
        std::string_view name;
        const std::string* text;  // cached schema text, or nullptr: `schema` says
        const Schema* declared;   // the cached declared schema, or nullptr: `schema` says
        Schema schema;            // the shape of the value, for fields not declared by type
        const Value* value;       // nullptr: absent
        const Schema& shape() const { return declared != nullptr ? *declared : schema; }
    };
    const ConnectKind& ck = connect_kind(record.kind);
    const std::span<const SchemaField> docs = ck.source != nullptr
                                                  ? std::span<const SchemaField>(ck.source->fields)
                                                  : std::span<const SchemaField>();
    // Per-thread scratch: sinks serialize on their own threads, and this keeps a record from
    // costing allocations for its bookkeeping.
    thread_local std::vector<const Value*> documented_values;
    thread_local std::vector<const Field*> others;
    thread_local std::vector<Column> columns;
    documented_values.assign(docs.size(), nullptr);
    others.clear();
    columns.clear();
    for (const Field& f : record.fields) {
        auto it = ck.index.find(f.name.view());
        if (it != ck.index.end() && documented_values[it->second] == nullptr) {
            documented_values[it->second] = &f.value;
        } else {
            others.push_back(&f);
        }
    }
    for (std::size_t i = 0; i < docs.size(); ++i) {
        const Value* value = documented_values[i];
        if (shaped_by_value(docs[i].type)) {
            if (value == nullptr) continue;  // its shape is only known from a value
            columns.push_back({docs[i].name, nullptr, nullptr, schema_of(*value), value});
        } else {
            // Nothing built per record: the schema and its text were made once per thread.
            columns.push_back({docs[i].name, &ck.text[i], &ck.schema[i], Schema{}, value});
        }
    }
    for (const Field* f : others)
        columns.push_back({f->name.view(), nullptr, nullptr, schema_of(f->value), &f->value});

    JsonWriter w(out);
    w.begin_object();
    w.plain_key("schema");
    w.begin_object();
    w.plain_key("type");
    w.string("struct");
    w.plain_key("fields");
    w.begin_array();
    static const std::string envelope = [] {
        std::string text;
        JsonWriter e(text);
        const Schema string_schema = scalar(Schema::Type::string);
        write_schema(e, string_schema, "kind", false);
        write_schema(e, string_schema, "time", false);
        write_schema(e, string_schema, "time_received", false);
        write_schema(e, string_schema, "device", false);
        write_schema(e, string_schema, "device_address", true);
        return text;
    }();
    w.raw(envelope);
    for (const Column& c : columns) {
        if (c.text != nullptr) {
            w.raw(*c.text);
        } else {
            write_schema(w, c.shape(), c.name, true);
        }
    }
    w.end_array();
    w.plain_key("optional");
    w.boolean(false);
    out.append(",\"name\":\"netfeed.");
    out.append(to_string(record.kind));
    out.push_back('"');
    w.end_object();

    w.plain_key("payload");
    w.begin_object();
    w.plain_key("kind");
    w.string(to_string(record.kind));
    w.plain_key("time");
    w.timestamp(record.time);
    w.plain_key("time_received");
    w.timestamp(record.received);
    w.plain_key("device");
    w.string(record.device);
    w.plain_key("device_address");
    if (record.device_address.is_unspecified()) {
        w.null();
    } else {
        write_address(w, record.device_address);
    }
    for (const Column& c : columns) {
        w.key(c.name);
        if (c.value == nullptr) {
            w.null();
        } else {
            write_value(w, c.shape(), *c.value);
        }
    }
    w.end_object();
    w.end_object();
}

}  // namespace netfeed
