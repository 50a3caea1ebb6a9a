// Row shaping of the SNMP poller: the records a round that succeeded yields (scalar groups,
// table rows with counter rates, the shared interface table); see snmp_poller_impl.hpp.
#include "agent/shared_tables.hpp"
#include "collectors/snmp/snmp_poller_impl.hpp"

namespace netfeed::snmp {

void SnmpPoller::Impl::shape_records(Device& d, Timestamp wall, std::vector<Record>& out) {
    // Scalars.
    std::map<Oid, const SnmpValue*> scalars;
    for (const auto& job : d.jobs) {
        if (job->kind != Job::Kind::get) continue;
        for (const auto& vb : job->got)
            scalars.emplace(vb.oid, &vb.value);
    }
    std::optional<std::uint32_t> uptime;
    if (auto it = scalars.find(sys_up_time_oid());
        it != scalars.end() && it->second->type == SnmpType::timeticks) {
        uptime = static_cast<std::uint32_t>(it->second->unsigned_);
    }
    const double now_s = steady_seconds(d.round_start);
    const bool restarted = d.uptime.update(uptime, now_s);
    const auto base = [&](std::string key, const std::string& table) {
        Record r;
        r.kind = RecordKind::snmp;
        r.time = r.received = wall;
        r.device = d.target.device;
        r.device_address = d.target.address;
        r.key = std::move(key);
        r.add("snmp_table", table);
        return r;
    };
    for (std::size_t p : d.target.profiles) {
        for (const auto& group : profiles[p].groups) {
            Record r = base(d.target.device + "|" + group.name, group.name);
            for (const auto& s : group.scalars) {
                auto it = scalars.find(s.oid);
                if (it != scalars.end()) r.add(s.name, to_record_value(*it->second));
            }
            if (r.fields.size() > 1) out.push_back(std::move(r));
        }
    }
    bool all_tables = true;
    for (std::size_t t = 0; t < d.tables.size(); ++t) {
        if (d.table_failed[t]) {
            all_tables = false;
            continue;
        }
        const TableSpec& spec = *d.table_specs[t];
        const TableAssembler& table = *d.tables[t];
        InterfaceTable::DeviceInterfaces published;
        const bool interfaces = spec.name == "interfaces";
        for (const auto& row : table.rows()) {
            Record r = base(row_key(d.target.device, spec.name, spec.index, row.index), spec.name);
            add_row_fields(table, row, spec.index, r);
            std::vector<CounterRates::Counter> counters;
            for (std::size_t c = 0; c < table.column_count(); ++c) {
                const auto& v = row.values[c];
                if (v && v->is_counter())
                    counters.push_back({c, v->unsigned_, v->type == SnmpType::counter64});
            }
            if (!counters.empty()) {
                for (const auto& rate : d.rates.update(r.key, now_s, restarted, counters)) {
                    auto name = rate_names.find(&table.column(rate.column));
                    if (name != rate_names.end()) r.add(name->second, rate.per_second);
                }
            }
            if (interfaces) collect_interface(r, row.index, published);
            out.push_back(std::move(r));
        }
        if (interfaces) {
            if (d.interfaces_published != nullptr)
                d.interfaces_published->set(static_cast<double>(published.size()));
            context->tables.interfaces.publish(d.target.device, std::move(published));
        }
    }
    if (all_tables) d.rates.sweep();
}

}  // namespace netfeed::snmp
