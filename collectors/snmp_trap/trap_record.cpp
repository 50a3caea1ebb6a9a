// Trap -> Record; see trap_record.hpp and docs/records.md.
#include "collectors/snmp_trap/trap_record.hpp"

#include <algorithm>

#include "collectors/snmp_trap/trap_names.hpp"

namespace netfeed::snmp_trap {

namespace {

Json to_json(const Value& value) {
    return std::visit(
        [](const auto& v) -> Json {
            using T = std::decay_t<decltype(v)>;
            if constexpr (std::is_same_v<T, std::monostate>) {
                return nullptr;
            } else if constexpr (std::is_same_v<T, IpAddress>) {
                return v.to_string();
            } else {
                return v;
            }
        },
        value);
}

std::string engine_id_text(const std::vector<std::uint8_t>& id) {
    static const char digits[] = "0123456789abcdef";
    std::string s;
    s.reserve(2 * id.size());
    for (std::uint8_t b : id) {
        s.push_back(digits[b >> 4]);
        s.push_back(digits[b & 15]);
    }
    return s;
}

}  // namespace

IpAddress agent_address_of(const Trap& trap) {
    if (!trap.agent_address) return {};
    return boost::asio::ip::address_v4(*trap.agent_address);
}

Record make_trap_record(const Trap& trap, std::string device, const IpAddress& source,
                        Timestamp received) {
    Record r;
    r.kind = RecordKind::trap;
    // A trap carries the sender's uptime, not a wall-clock time.
    r.time = received;
    r.received = received;
    r.device = std::move(device);
    r.device_address = source;
    r.fields.reserve(16);
    r.add("snmp_version", std::string(to_string(trap.version)));
    r.add("inform", trap.inform);
    if (!trap.trap_oid.empty()) {
        r.add("trap_oid", snmp::oid_to_string(trap.trap_oid));
        const std::string_view name = notification_name(trap.trap_oid);
        if (!name.empty()) r.add("trap_name", std::string(name));
    }
    if (trap.uptime) r.add("uptime", *trap.uptime);
    if (trap.request_id) r.add("request_id", *trap.request_id);
    if (trap.version == SnmpVersion::v3) {
        r.add("snmp_user", trap.user);
        r.add("snmp_engine_id", engine_id_text(trap.engine_id));
        r.add("snmp_security_level", trap.security_level);
        if (!trap.context_name.empty()) r.add("snmp_context", trap.context_name);
    }
    if (trap.version == SnmpVersion::v1) {
        r.add("enterprise", snmp::oid_to_string(trap.enterprise));
        r.add("agent_address", agent_address_of(trap));
        r.add("generic_trap", trap.generic_trap);
        r.add("specific_trap", trap.specific_trap);
    }
    Json varbinds = Json::array();
    std::optional<std::uint64_t> if_index;
    std::optional<std::uint64_t> instance_index;
    std::vector<Field> flat;
    for (const snmp::VarBind& vb : trap.varbinds) {
        Json item = Json::object();
        item["oid"] = snmp::oid_to_string(vb.oid);
        const auto object = object_name(vb.oid);
        if (object) item["name"] = std::string(object->name);
        item["type"] = std::string(snmp::to_string(vb.value.type));
        const bool secret = object && is_secret_object(object->name);
        const Value value = secret ? Value{} : snmp::to_record_value(vb.value);
        item["value"] = to_json(value);
        varbinds.push_back(std::move(item));
        if (!object || !object->flat || secret) continue;
        if (object->flat->view() == "if_index") {
            if (vb.value.type == snmp::SnmpType::integer && vb.value.integer >= 0 && !if_index) {
                if_index = static_cast<std::uint64_t>(vb.value.integer);
            }
            continue;
        }
        // ifOperStatus.3 is interface 3's, whether or not ifIndex itself was sent.
        if (vb.oid.size() == object->object_length + 1 && !instance_index) {
            instance_index = vb.oid.back();
        }
        const bool taken = std::any_of(flat.begin(), flat.end(),
                                       [&](const Field& f) { return f.name == *object->flat; });
        if (!taken) flat.push_back({*object->flat, value});
    }
    if (if_index) {
        r.add("if_index", *if_index);
    } else if (instance_index) {
        r.add("if_index", *instance_index);
    }
    for (Field& f : flat)
        r.add(f.name, std::move(f.value));
    r.add("varbinds", std::move(varbinds));
    return r;
}

}  // namespace netfeed::snmp_trap
