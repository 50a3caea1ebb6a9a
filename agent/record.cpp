// Record helpers and the field-name intern pool.
#include "agent/record.hpp"

#include <array>
#include <atomic>
#include <charconv>
#include <deque>
#include <mutex>
#include <stdexcept>
#include <string>
#include <unordered_set>

#include "agent/field_pool.hpp"

namespace netfeed {

FieldName FieldName::intern(std::string_view name) {
    // Node-based containers keep element addresses stable, so the views handed out stay valid.
    static std::mutex mutex;
    static std::unordered_set<std::string> pool;
    std::lock_guard lock(mutex);
    auto it = pool.emplace(name).first;
    return FieldName(Interned{}, std::string_view(*it));
}

namespace {

// Kind names by id. Built-in kinds come first; define() appends. Names are interned, so the
// views handed out stay valid; a reader sees a slot only after its name is stored (release/
// acquire on the count), so lookups on sink threads take no lock.
struct KindNames {
    std::mutex mutex;
    std::array<std::string_view, RecordKind::kMaxKinds> names{"syslog", "flow",   "snmp", "trap",
                                                              "nxapi",  "status", "test"};
    std::atomic<std::size_t> count{7};
};

KindNames& kind_names() {
    static KindNames names;
    return names;
}

}  // namespace

RecordKind RecordKind::define(std::string_view name) {
    if (auto known = parse_record_kind(name)) return *known;
    KindNames& k = kind_names();
    std::lock_guard lock(k.mutex);
    const std::size_t n = k.count.load(std::memory_order_relaxed);
    for (std::size_t i = 0; i < n; ++i) {
        if (k.names[i] == name) return RecordKind(static_cast<std::uint8_t>(i));
    }
    if (n == kMaxKinds) throw std::length_error("more than 32 record kinds defined");
    k.names[n] = FieldName::intern(name).view();
    k.count.store(n + 1, std::memory_order_release);
    return RecordKind(static_cast<std::uint8_t>(n));
}

std::vector<RecordKind> all_record_kinds() {
    std::vector<RecordKind> out;
    const std::size_t n = kind_names().count.load(std::memory_order_acquire);
    for (std::size_t i = 0; i < n; ++i)
        out.push_back(RecordKindIds::make(static_cast<std::uint8_t>(i)));
    return out;
}

std::string_view to_string(RecordKind kind) noexcept {
    KindNames& k = kind_names();
    return kind.id() < k.count.load(std::memory_order_acquire) ? k.names[kind.id()]
                                                               : std::string_view("unknown");
}

std::optional<RecordKind> parse_record_kind(std::string_view name) noexcept {
    KindNames& k = kind_names();
    const std::size_t n = k.count.load(std::memory_order_acquire);
    for (std::size_t i = 0; i < n; ++i) {
        if (k.names[i] == name) return RecordKindIds::make(static_cast<std::uint8_t>(i));
    }
    return std::nullopt;
}

Record::~Record() {
    recycle_field_vector(std::move(fields));
}

void Record::set(FieldName name, Value value) {
    if (Value* existing = find(name)) {
        *existing = std::move(value);
    } else {
        fields.push_back({name, std::move(value)});
    }
}

const Value* Record::find(FieldName name) const noexcept {
    for (const Field& field : fields) {
        if (field.name == name) return &field.value;
    }
    return nullptr;
}

Value* Record::find(FieldName name) noexcept {
    for (Field& field : fields) {
        if (field.name == name) return &field.value;
    }
    return nullptr;
}

bool Record::erase(FieldName name) noexcept {
    for (auto it = fields.begin(); it != fields.end(); ++it) {
        if (it->name == name) {
            fields.erase(it);
            return true;
        }
    }
    return false;
}

namespace {
template <class Number>
std::string number_text(Number number) {
    std::array<char, 32> buffer{};
    auto [end, ec] = std::to_chars(buffer.data(), buffer.data() + buffer.size(), number);
    return ec == std::errc{} ? std::string(buffer.data(), end) : std::string();
}
}  // namespace

std::string value_to_text(const Value& value) {
    struct Visitor {
        std::string operator()(std::monostate) const { return {}; }
        std::string operator()(bool b) const { return b ? "true" : "false"; }
        std::string operator()(std::int64_t n) const { return number_text(n); }
        std::string operator()(std::uint64_t n) const { return number_text(n); }
        std::string operator()(double d) const { return number_text(d); }
        std::string operator()(const std::string& s) const { return s; }
        std::string operator()(const IpAddress& a) const { return a.to_string(); }
        std::string operator()(const Json& j) const {
            return j.is_string() ? j.get<std::string>() : j.dump();
        }
    };
    return std::visit(Visitor{}, value);
}

}  // namespace netfeed
