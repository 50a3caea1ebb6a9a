// The one record type that every stage shares: collectors fill it, enrichers add to it,
// the router picks its topic and key, sinks serialize it.
#pragma once

#include <boost/asio/ip/address.hpp>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "agent/field_name.hpp"

namespace netfeed {

/// What a record describes; it picks the default topic (`netfeed.{kind}`) and the record's
/// schema. The built-in kinds are named here; a plugin adds a kind with define() when it is
/// registered (agent/record_schema.hpp), so a new kind needs no change to this file. An id fits
/// a 32-bit mask, which routes and enricher scopes use.
class RecordKind {
  public:
    static const RecordKind syslog, flow, snmp, trap, nxapi, status, test;
    static constexpr std::size_t kMaxKinds = 32;

    constexpr RecordKind() noexcept = default;
    /// The kind named `name`, made when first asked for (at registration, not per record).
    /// Throws std::length_error past kMaxKinds kinds.
    static RecordKind define(std::string_view name);

    constexpr std::uint8_t id() const noexcept { return id_; }
    explicit constexpr operator unsigned() const noexcept { return id_; }
    constexpr bool operator==(const RecordKind&) const noexcept = default;

  private:
    friend struct RecordKindIds;
    explicit constexpr RecordKind(std::uint8_t id) noexcept : id_(id) {}
    std::uint8_t id_ = 6;  // test
};

/// The built-in kinds' ids; define() numbers further kinds after them.
struct RecordKindIds {
    static constexpr RecordKind make(std::uint8_t id) { return RecordKind(id); }
};
inline constexpr RecordKind RecordKind::syslog = RecordKindIds::make(0);
inline constexpr RecordKind RecordKind::flow = RecordKindIds::make(1);
inline constexpr RecordKind RecordKind::snmp = RecordKindIds::make(2);
inline constexpr RecordKind RecordKind::trap = RecordKindIds::make(3);
inline constexpr RecordKind RecordKind::nxapi = RecordKindIds::make(4);
inline constexpr RecordKind RecordKind::status = RecordKindIds::make(5);
inline constexpr RecordKind RecordKind::test = RecordKindIds::make(6);

/// Every kind defined so far, in id order.
std::vector<RecordKind> all_record_kinds();
std::string_view to_string(RecordKind kind) noexcept;
/// The kind of that name, if one is defined.
std::optional<RecordKind> parse_record_kind(std::string_view name) noexcept;

using Clock = std::chrono::system_clock;
using Timestamp = Clock::time_point;
using IpAddress = boost::asio::ip::address;
using Json = nlohmann::json;

/// A field value. Scalars stay flat so that a flow costs no JSON tree; `Json` is for content that
/// is nested by nature (syslog structured data, NX-API tables).
using Value = std::variant<std::monostate, bool, std::int64_t, std::uint64_t, double, std::string,
                           IpAddress, Json>;

struct Field {
    FieldName name;
    Value value;
};

struct Record {
    RecordKind kind = RecordKind::test;
    /// When the event happened, by the device's clock where the protocol carries one.
    Timestamp time{};
    /// When the agent received it.
    Timestamp received{};
    /// The configured device name; the address text when the device is not in the device list.
    std::string device;
    /// The address the record came from (or was polled at).
    IpAddress device_address{};
    /// A key chosen by the collector (for example a table row's natural key); empty lets the
    /// route's key template decide.
    std::string key;
    /// A topic chosen by the collector (the nxapi collector's topic per command); empty, or a
    /// route that names its own topic, leaves the choice to the route.
    std::string topic;
    /// Body fields in insertion order; names are unique (set() replaces).
    std::vector<Field> fields;
    /// A tombstone carries a key and no value (compacted topics forget the key).
    bool tombstone = false;
    /// Agent-internal: the device left the device list; the router turns this marker into a
    /// tombstone for every key the device sent to a state topic (it queues behind the device's
    /// last records, so none of them can bring a key back after its tombstone).
    bool forget_device = false;

    Record() = default;
    Record(const Record&) = default;
    Record(Record&&) noexcept = default;
    Record& operator=(const Record&) = default;
    Record& operator=(Record&&) noexcept = default;
    /// Gives the field vector's storage back for the next record (agent/field_pool.hpp).
    ~Record();

    /// Appends without looking for an existing field: the collector fast path for fresh records.
    void add(FieldName name, Value value) { fields.push_back({name, std::move(value)}); }
    /// Replaces the field if present, else appends.
    void set(FieldName name, Value value);
    const Value* find(FieldName name) const noexcept;
    Value* find(FieldName name) noexcept;
    bool erase(FieldName name) noexcept;
};

/// Text of a scalar value as placeholders and keys use it ("" for null, JSON text for Json).
std::string value_to_text(const Value& value);

}  // namespace netfeed
