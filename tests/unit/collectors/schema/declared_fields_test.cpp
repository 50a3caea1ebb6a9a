// Every field a record builder writes is declared in its kind's table with the type its value
// has: the declarations are what `netfeed schema`, the Connect envelope and the docs publish, so
// a builder that grows a field without declaring it (or changes a field's type) fails here.
#include <gtest/gtest.h>

#include "agent/plugin_registry.hpp"
#include "agent/record_schema.hpp"
#include "collectors/netflow/netflow_record.hpp"
#include "collectors/netflow/record_schema.hpp"
#include "collectors/sflow/sflow_record.hpp"
#include "collectors/snmp/profile.hpp"
#include "collectors/snmp_trap/trap_record.hpp"
#include "collectors/syslog/syslog_record.hpp"

namespace netfeed {
namespace {

bool type_fits(const Value& value, const SchemaField& f) {
    struct Visitor {
        const SchemaField& f;
        bool operator()(std::monostate) const { return f.nullable; }
        bool operator()(bool) const { return f.type == FieldType::boolean; }
        bool operator()(std::int64_t) const { return f.type == FieldType::integer; }
        bool operator()(std::uint64_t) const { return f.type == FieldType::integer; }
        bool operator()(double) const { return f.type == FieldType::number; }
        bool operator()(const std::string&) const { return f.type == FieldType::string; }
        bool operator()(const IpAddress&) const { return f.type == FieldType::string; }
        bool operator()(const Json& j) const {
            if (j.is_object() && f.type == FieldType::string_map) {
                for (const auto& item : j)
                    if (!item.is_string()) return false;
                return true;
            }
            if (j.is_object()) return f.type == FieldType::object;
            if (j.is_array()) {
                if (f.type != FieldType::array) return false;
                for (const auto& item : j) {
                    if (!f.items) break;
                    const bool fits = *f.items == FieldType::integer  ? item.is_number_integer()
                                      : *f.items == FieldType::object ? item.is_object()
                                      : *f.items == FieldType::string ? item.is_string()
                                                                      : false;
                    if (!fits) return false;
                }
                return true;
            }
            if (j.is_string()) return f.type == FieldType::string;
            return false;
        }
    };
    return std::visit(Visitor{f}, value);
}

// Checks every field of `r` against the registered schema of its kind.
void expect_declared(const Record& r) {
    builtin_plugins();  // registers the built-in declarations
    const KindSchema* schema = kind_schema(r.kind);
    ASSERT_NE(schema, nullptr) << to_string(r.kind);
    for (const Field& f : r.fields) {
        const SchemaField* declared = schema->find(f.name.view());
        if (declared == nullptr) {
            ADD_FAILURE() << to_string(r.kind) << " field '" << f.name.view()
                          << "' is written but not declared";
            continue;
        }
        EXPECT_TRUE(type_fits(f.value, *declared))
            << to_string(r.kind) << " field '" << f.name.view() << "' is declared "
            << to_string(declared->type) << " but written as " << value_to_text(f.value);
    }
}

netflow::FlowRecord every_flow_field() {
    using namespace netflow;
    static const std::uint8_t v4[4] = {192, 0, 2, 1};
    FlowRecord f;
    f.version = 10;
    f.present = ~0ull;
    f.sampler_address = FlowAddress::v4(v4);
    f.src_addr = f.dst_addr = f.next_hop = f.bgp_next_hop = FlowAddress::v4(v4);
    f.nat_src_addr = f.nat_dst_addr = FlowAddress::v4(v4);
    f.sampling_rate = 100;
    f.username_length = 3;
    f.username = {'b', 'o', 'b'};
    f.application_name = std::make_shared<const std::string>("http");
    f.extra.push_back({9, 1234, std::string("\x01\x02", 2)});
    return f;
}

TEST(DeclaredFields, EveryNetflowFieldIsDeclaredWithItsType) {
    const Record r =
        netflow::make_flow_record(every_flow_field(), "r1", netflow::FlowKey::device, Timestamp{});
    expect_declared(r);
    // And the other way: a declared field no builder writes is a stale table.
    for (const SchemaField& f : netflow::flow_fields())
        EXPECT_NE(r.find(FieldName::intern(f.name)), nullptr) << f.name << " is never written";
}

TEST(DeclaredFields, EverySflowFlowFieldIsDeclaredWithItsType) {
    sflow::SflowFlow s;
    s.flow = every_flow_field();
    s.sflow.present = ~0u;
    s.sflow.as_path = {64500, 64501};
    s.sflow.communities = {1};
    const Record r = sflow::make_sflow_flow_record(s, "r1", netflow::FlowKey::device, Timestamp{});
    ASSERT_NE(r.find("flow_source"), nullptr);
    ASSERT_NE(r.find("as_path"), nullptr);
    expect_declared(r);
}

TEST(DeclaredFields, EverySflowCounterFieldIsDeclaredWithItsType) {
    sflow::SflowCounters c;
    c.has_interface = c.has_ethernet = true;
    sflow::SflowDatagram d;
    const std::uint8_t v4[4] = {192, 0, 2, 1};
    d.agent = netflow::FlowAddress::v4(v4);
    const Record r = sflow::make_interface_record(c, d, "r1", Timestamp{});
    EXPECT_GE(r.fields.size(), 40u);
    expect_declared(r);
}

TEST(DeclaredFields, EverySyslogFieldIsDeclaredWithItsType) {
    syslog::SyslogMessage m;
    m.format = syslog::SyslogFormat::rfc5424;
    m.version = 1;
    m.hostname = "h";
    m.app_name = "a";
    m.proc_id = "1";
    m.msg_id = "m";
    m.structured_data = Json{{"x@1", {{"k", "v"}}}};
    m.sequence = 7;
    m.node = "RP/0/RP0/CPU0";
    m.time_sync = "sync_lost";
    m.cisco_facility = "LINK";
    m.cisco_severity = 3;
    m.cisco_mnemonic = "UPDOWN";
    m.message = "text";
    m.parse_error = "none";
    syslog::SyslogSource source;
    source.file = "/var/log/x";
    source.truncated = true;
    const Record without_pri = syslog::make_syslog_record(syslog::SyslogMessage(m), source);
    ASSERT_NE(without_pri.find("severity"), nullptr);  // null: no PRI
    expect_declared(without_pri);
    m.facility = 23;
    m.severity = 5;
    expect_declared(syslog::make_syslog_record(std::move(m), source));
}

TEST(DeclaredFields, EveryTrapFieldIsDeclaredWithItsType) {
    for (auto version : {snmp_trap::SnmpVersion::v1, snmp_trap::SnmpVersion::v3}) {
        snmp_trap::Trap t;
        t.version = version;
        t.trap_oid = snmp::Oid{1, 3, 6, 1, 6, 3, 1, 1, 5, 3};
        t.uptime = 5;
        t.request_id = 9;
        t.context_name = "c";
        t.agent_address = std::array<std::uint8_t, 4>{192, 0, 2, 1};
        for (std::uint32_t column : {1u, 2u, 7u, 8u}) {
            snmp::VarBind vb;
            vb.oid = snmp::Oid{1, 3, 6, 1, 2, 1, 2, 2, 1, column, 3};
            if (column == 2) {
                vb.value.type = snmp::SnmpType::octets;
                vb.value.bytes = "eth0";
            } else {
                vb.value.type = snmp::SnmpType::integer;
                vb.value.integer = 1;
            }
            t.varbinds.push_back(vb);
        }
        for (std::uint32_t column : {1u, 18u}) {
            snmp::VarBind vb;
            vb.oid = snmp::Oid{1, 3, 6, 1, 2, 1, 31, 1, 1, 1, column, 3};
            vb.value.type = snmp::SnmpType::octets;
            vb.value.bytes = "x";
            t.varbinds.push_back(vb);
        }
        const Record r = snmp_trap::make_trap_record(t, "r1", IpAddress{}, Timestamp{});
        ASSERT_NE(r.find("if_descr"), nullptr);
        ASSERT_NE(r.find("if_alias"), nullptr);
        expect_declared(r);
    }
}

TEST(DeclaredFields, EveryBuiltInSnmpColumnIsDeclared) {
    builtin_plugins();
    const KindSchema* schema = kind_schema(RecordKind::snmp);
    ASSERT_NE(schema, nullptr);
    std::size_t names = 0;
    for (const snmp::Profile& p : snmp::builtin_profiles()) {
        for (const auto& g : p.groups) {
            for (const auto& s : g.scalars) {
                ++names;
                EXPECT_NE(schema->find(s.name.view()), nullptr) << s.name.view();
            }
        }
        for (const auto& t : p.tables) {
            for (const auto& i : t.index) {
                ++names;
                EXPECT_NE(schema->find(i.name.view()), nullptr) << i.name.view();
            }
            for (const auto& sub : t.subtrees) {
                for (const auto& c : sub.columns) {
                    ++names;
                    EXPECT_NE(schema->find(c.name.view()), nullptr) << c.name.view();
                }
            }
        }
    }
    EXPECT_GT(names, 60u);
}

TEST(DeclaredFields, TwoPluginsCannotDeclareOneFieldTwoWays) {
    static constexpr SchemaField kInteger[] = {{"clash_field", FieldType::integer, "a number"}};
    static constexpr SchemaField kText[] = {{"clash_field", FieldType::string, "a text"}};
    declare_kind_fields("clash_kind", {"tests/a", "a", kInteger});
    EXPECT_THROW(declare_kind_fields("clash_kind", {"tests/b", "b", kText}), std::logic_error);
    // The same table again (a registry built twice) is not a clash and adds nothing.
    declare_kind_fields("clash_kind", {"tests/a", "a", kInteger});
    EXPECT_EQ(kind_schema(*parse_record_kind("clash_kind"))->declarations.size(), 1u);
    static constexpr SchemaField kDotted[] = {{"clash.field", FieldType::string, "a path"}};
    EXPECT_THROW(declare_kind_fields("clash_kind", {"tests/c", "c", kDotted}), std::logic_error);
    static constexpr SchemaField kEnvelope[] = {{"device", FieldType::string, "again"}};
    EXPECT_THROW(declare_kind_fields("clash_kind", {"tests/d", "d", kEnvelope}), std::logic_error);
}

}  // namespace
}  // namespace netfeed
