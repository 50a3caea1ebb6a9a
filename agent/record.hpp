// The one record type that every stage shares: collectors fill it, enrichers add to it,
// the router picks its topic and key, sinks serialize it.
#pragma once

#include <boost/asio/ip/address.hpp>
#include <chrono>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "agent/field_name.hpp"

namespace netfeed {

/// What a record describes; it picks the default topic (`netfeed.{kind}`) and the documented
/// fields.
enum class RecordKind : std::uint8_t { syslog, flow, snmp, trap, nxapi, status, test };

inline constexpr RecordKind kAllRecordKinds[] = {
    RecordKind::syslog, RecordKind::flow,   RecordKind::snmp, RecordKind::trap,
    RecordKind::nxapi,  RecordKind::status, RecordKind::test};

std::string_view to_string(RecordKind kind) noexcept;
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
