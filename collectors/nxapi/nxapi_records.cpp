// NX-API records; see nxapi_records.hpp and docs/nxapi.md for the fields.
#include "collectors/nxapi/nxapi_records.hpp"

#include "agent/record_json.hpp"
#include "collectors/nxapi/table_shape.hpp"

namespace netfeed::nxapi {

namespace {

Record base(const DeviceIdentity& device, const CommandSpec& command, Timestamp now) {
    Record r;
    r.kind = RecordKind::nxapi;
    r.time = r.received = now;
    r.device = device.name;
    r.device_address = device.address;
    r.add("command", command.command);
    return r;
}

bool reserved(std::string_view name) {
    for (const char* e : kEnvelopeFields) {
        if (name == e) return true;
    }
    return name == "command" || name == "row_key" || name == "extra_fields";
}

}  // namespace

RecordBuilder::RecordBuilder(std::string error_topic, std::size_t max_field_names)
    : error_topic_(std::move(error_topic)), max_field_names_(max_field_names) {}

std::optional<FieldName> RecordBuilder::row_field_name(const std::string& name) {
    if (auto it = names_.find(name); it != names_.end()) return it->second;
    if (names_.size() >= max_field_names_) return std::nullopt;
    // A row field that would shadow the envelope keeps its value under a prefixed name.
    const FieldName field = FieldName::intern(reserved(name) ? "nxapi_" + name : name);
    names_.emplace(name, field);
    return field;
}

void RecordBuilder::add_output(const DeviceIdentity& device, const CommandSpec& command, Json body,
                               Timestamp now, std::vector<Record>& out) {
    normalize_tables(body);
    if (command.numbers) convert_numbers(body);
    if (!command.explode) {
        Record r = base(device, command, now);
        r.key = device.name;
        r.topic = command.topic;  // routes without a topic of their own use it
        r.add("body", std::move(body));
        out.push_back(std::move(r));
        return;
    }
    for (auto& row : explode_rows(body, command.table, command.row_key)) {
        Record r = base(device, command, now);
        r.key = device.name + "|" + row.key;
        r.topic = command.topic;  // routes without a topic of their own use it
        r.add("row_key", row.key);
        Json extra;
        for (auto& [name, value] : row.fields.items()) {
            if (auto field = row_field_name(name)) {
                Value v;
                if (value.is_string()) {
                    v = value.get<std::string>();
                } else if (value.is_number_unsigned()) {
                    v = value.get<std::uint64_t>();
                } else if (value.is_number_integer()) {
                    v = value.get<std::int64_t>();
                } else if (value.is_number_float()) {
                    v = value.get<double>();
                } else if (value.is_boolean()) {
                    v = value.get<bool>();
                } else if (value.is_null()) {
                    v = std::monostate{};
                } else {
                    v = std::move(value);
                }
                r.add(*field, std::move(v));
            } else {
                extra[name] = std::move(value);
            }
        }
        if (!extra.is_null()) r.add("extra_fields", std::move(extra));
        out.push_back(std::move(r));
    }
}

Record RecordBuilder::error_record(const DeviceIdentity& device, const CommandSpec& command,
                                   const CommandError& error, Timestamp now) const {
    Record r = base(device, command, now);
    r.key = device.name + "|" + command.command;
    r.topic = error_topic_;
    r.add("error_type", std::string(error_type_name(error.type)));
    r.add("error", error.detail);
    if (error.http_status != 0) r.add("http_status", static_cast<std::int64_t>(error.http_status));
    if (!error.code.empty()) r.add("error_code", error.code);
    r.add("command_topic", command.topic);
    return r;
}

}  // namespace netfeed::nxapi
