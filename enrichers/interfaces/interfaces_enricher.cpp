// Interface facts on flows; see interfaces_enricher.hpp.
#include "enrichers/interfaces/interfaces_enricher.hpp"

#include "enrichers/interfaces/record_schema.hpp"

namespace netfeed::interfaces {

const OptionTable<InterfacesOptions>& InterfacesOptions::options() {
    static const auto table =
        OptionTable<InterfacesOptions>()
            .add("names", &InterfacesOptions::names, "Add in_if_name and out_if_name (ifName).")
            .add("aliases", &InterfacesOptions::aliases,
                 "Add in_if_alias and out_if_alias (ifAlias, the operator's description), when "
                 "not empty.")
            .add("speeds", &InterfacesOptions::speeds,
                 "Add in_if_speed_mbps and out_if_speed_mbps (ifHighSpeed), when not 0.")
            .add("refresh_every", &InterfacesOptions::refresh_every,
                 "Records of one device between two looks at the SNMP collector's newest table.",
                 range(1, 1e9));
    return table;
}

void InterfacesEnricher::start(EnricherContext& context) {
    shared_ = &context.tables.interfaces;
    unknown_ = &context.metrics.registry().counter(
        "netfeed_interfaces_unknown_total",
        "ifIndexes of flows that the exporter's interface table does not have (or no table yet)",
        context.metrics.labels());
}

const InterfaceTable::DeviceInterfaces* InterfacesEnricher::device_table(
    const std::string& device) noexcept {
    try {
        if (last_ == nullptr || device != last_name_) {
            last_ = &devices_[device];
            last_name_ = device;
            last_->uses = 0;  // look now: this may be the first record of a device in a while
        }
        // A device with no table yet (not polled so far) is looked at more often, so its first
        // poll is seen soon.
        const std::uint32_t every = last_->table ? options_.refresh_every : 16;
        if (last_->uses++ % every == 0) last_->table = shared_->device(device);
        return last_->table.get();
    } catch (...) {
        last_ = nullptr;
        return nullptr;
    }
}

void InterfacesEnricher::add(Record& record, const InterfaceInfo& info, bool input) {
    if (options_.names && !info.name.empty())
        record.add(input ? FieldName("in_if_name") : FieldName("out_if_name"), info.name);
    if (options_.aliases && !info.alias.empty())
        record.add(input ? FieldName("in_if_alias") : FieldName("out_if_alias"), info.alias);
    if (options_.speeds && info.speed_mbps != 0) {
        record.add(input ? FieldName("in_if_speed_mbps") : FieldName("out_if_speed_mbps"),
                   info.speed_mbps);
    }
}

bool InterfacesEnricher::enrich(Record& record) noexcept {
    if (shared_ == nullptr) return true;
    const Value* in = record.find("in_if");
    const Value* out = record.find("out_if");
    const std::uint64_t* in_index = in != nullptr ? std::get_if<std::uint64_t>(in) : nullptr;
    const std::uint64_t* out_index = out != nullptr ? std::get_if<std::uint64_t>(out) : nullptr;
    if (in_index == nullptr && out_index == nullptr) return true;
    // Copied: adding fields may move the values these point into.
    const std::uint64_t indexes[2] = {in_index != nullptr ? *in_index : ~0ull,
                                      out_index != nullptr ? *out_index : ~0ull};
    const auto* table = device_table(record.device);
    try {
        for (int i = 0; i < 2; ++i) {
            if (indexes[i] == ~0ull || indexes[i] == 0) continue;  // 0: not known to the exporter
            const InterfaceInfo* info = nullptr;
            if (table != nullptr && indexes[i] <= 0xFFFFFFFFull) {
                auto it = table->find(static_cast<std::uint32_t>(indexes[i]));
                if (it != table->end()) info = &it->second;
            }
            if (info == nullptr) {
                if (unknown_ != nullptr) unknown_->inc();
                continue;
            }
            add(record, *info, i == 0);
        }
    } catch (...) {
        // Allocation failed: the record goes on with what it has.
    }
    return true;
}

std::vector<SchemaField> InterfacesEnricher::added_fields() const {
    std::vector<SchemaField> out;
    for (const SchemaField& f : interfaces_fields()) {
        const bool on = f.name.ends_with("_name")    ? options_.names
                        : f.name.ends_with("_alias") ? options_.aliases
                                                     : options_.speeds;
        if (on) out.push_back(f);
    }
    return out;
}

}  // namespace netfeed::interfaces
