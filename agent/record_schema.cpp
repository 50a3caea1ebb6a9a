// The registered kind schemas; see record_schema.hpp.
#include "agent/record_schema.hpp"

#include <array>
#include <atomic>
#include <deque>
#include <mutex>
#include <stdexcept>
#include <string>

namespace netfeed {

namespace {

// Each kind's current schema is an immutable snapshot; a declaration publishes a new one.
// Snapshots are kept for the program's life, so a pointer a sink read stays valid.
struct Registry {
    std::mutex mutex;
    std::deque<KindSchema> snapshots;
    std::array<std::atomic<const KindSchema*>, RecordKind::kMaxKinds> current{};
};

Registry& registry() {
    static Registry r;
    return r;
}

constexpr SchemaField kEnvelope[] = {
    {"kind", FieldType::string, "the record's kind (its schema's name)"},
    {"time", FieldType::string,
     "when the event happened, by the device's clock where the protocol carries one",
     "RFC 3339 UTC, microseconds"},
    {"time_received", FieldType::string, "when the agent received it",
     "RFC 3339 UTC, microseconds"},
    {"device", FieldType::string,
     "the device's name from the device list; its address when it is not listed"},
    {"device_address", FieldType::string,
     "the address it came from or was polled at; null for records the agent makes itself", "", "",
     true},
};

// Flat snake_case: sinks' readers (Elasticsearch, ClickHouse, Connect) take '.' for a path.
bool snake_case(std::string_view name) {
    if (name.empty()) return false;
    for (char c : name) {
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_')) return false;
    }
    return true;
}

}  // namespace

std::string_view to_string(FieldType type) noexcept {
    switch (type) {
        case FieldType::integer:
            return "integer";
        case FieldType::number:
            return "number";
        case FieldType::string:
            return "string";
        case FieldType::boolean:
            return "boolean";
        case FieldType::object:
            return "object";
        case FieldType::array:
            return "array";
        case FieldType::string_map:
            return "object of strings";
    }
    return "?";
}

const SchemaField* KindSchema::find(std::string_view name) const noexcept {
    for (const SchemaField& f : fields) {
        if (f.name == name) return &f;
    }
    return nullptr;
}

RecordKind declare_kind_fields(std::string_view kind_name, const KindDeclaration& declaration) {
    const RecordKind kind = RecordKind::define(kind_name);
    Registry& r = registry();
    std::lock_guard lock(r.mutex);
    const KindSchema* old = r.current[kind.id()].load(std::memory_order_acquire);
    if (old != nullptr) {
        // A registry built twice (tests build their own) declares the same table again.
        for (const KindDeclaration& d : old->declarations) {
            if (d.owner == declaration.owner && d.fields.data() == declaration.fields.data())
                return kind;
        }
    }
    KindSchema next = old != nullptr ? *old : KindSchema{kind, {}, false, {}};
    for (const SchemaField& f : declaration.fields) {
        if (!snake_case(f.name)) {
            throw std::logic_error(std::string(declaration.owner) + " declares '" +
                                   std::string(f.name) + "': field names are snake_case");
        }
        for (const SchemaField& e : envelope_fields()) {
            if (e.name == f.name) {
                throw std::logic_error(std::string(declaration.owner) + " declares '" +
                                       std::string(f.name) + "', an envelope field");
            }
        }
        if (const SchemaField* known = next.find(f.name)) {
            if (known->type != f.type) {
                throw std::logic_error(
                    std::string(declaration.owner) + " declares " + std::string(kind_name) +
                    " field '" + std::string(f.name) + "' as " + std::string(to_string(f.type)) +
                    ", another plugin as " + std::string(to_string(known->type)));
            }
            continue;
        }
        next.fields.push_back(f);
    }
    next.declarations.push_back(declaration);
    next.open = next.open || declaration.open;
    r.snapshots.push_back(std::move(next));
    r.current[kind.id()].store(&r.snapshots.back(), std::memory_order_release);
    return kind;
}

const KindSchema* kind_schema(RecordKind kind) noexcept {
    if (kind.id() >= RecordKind::kMaxKinds) return nullptr;
    return registry().current[kind.id()].load(std::memory_order_acquire);
}

std::span<const SchemaField> envelope_fields() noexcept {
    return kEnvelope;
}

}  // namespace netfeed
