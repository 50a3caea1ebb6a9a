// A test-only collector plugin with a record kind of its own ("probe"), written the way a new
// plugin would be: its options, its field table and its registration, all in this folder. It
// proves a kind needs nothing in agent/ beyond the registration line (here: the test's call).
#pragma once

#include <memory>

#include "agent/plugin_registry.hpp"

namespace netfeed::probe {

struct ProbeOptions {
    std::uint64_t count = 1;
    static const OptionTable<ProbeOptions>& options() {
        static const auto table = OptionTable<ProbeOptions>().add(
            "count", &ProbeOptions::count, "Records per round.", range(1, 1000));
        return table;
    }
};

inline constexpr SchemaField kProbeFields[] = {
    {"round_trip_us", FieldType::integer, "time the probe took", "µs"},
    {"target", FieldType::string, "what was probed"},
    {"loss", FieldType::number, "share of probes lost", "", "when any were sent"},
    {"labels", FieldType::string_map, "free-form labels", "", "when configured"},
};

inline KindDeclaration probe_declaration() {
    return {"tests/unit/plugins/probe", "one record per probe round", kProbeFields};
}

class ProbeCollector final : public Collector {
  public:
    explicit ProbeCollector(RecordKind kind) : kind_(kind) {}
    std::vector<RecordKind> kinds() const override { return {kind_}; }
    void start(CollectorContext&) override {}
    void stop() override {}

  private:
    RecordKind kind_;
};

/// The plugin's one registration function, as collectors/<name>/plugin.hpp declares them.
inline void register_probe_collector(PluginRegistry& registry) {
    const RecordKind kind = registry.add_record_fields("probe", probe_declaration());
    registry.add_collector<ProbeOptions>("probe", "Test-only: a kind of its own.",
                                         [kind](const ProbeOptions&, const BuildContext&) {
                                             return std::make_unique<ProbeCollector>(kind);
                                         });
}

}  // namespace netfeed::probe
