// Counter baselines on disk; see baseline_store.hpp.
#include "collectors/snmp/baseline_store.hpp"

#include <spdlog/spdlog.h>

#include <chrono>
#include <filesystem>
#include <map>

#include "agent/state_file.hpp"
#include "collectors/snmp/counter_state.hpp"

namespace netfeed::snmp {

namespace {

double wall_seconds() {
    return std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch())
        .count();
}

}  // namespace

std::string profile_fingerprint(const std::vector<Profile>& profiles,
                                const std::vector<std::size_t>& used) {
    // FNV-1a over the names: short in the file, and any change of a column's place shows.
    std::uint64_t hash = 0xcbf29ce484222325ull;
    const auto add = [&](std::string_view text) {
        for (const char c : text) {
            hash ^= static_cast<unsigned char>(c);
            hash *= 0x100000001b3ull;
        }
        hash ^= 0xff;  // a separator, so "ab","c" differs from "a","bc"
        hash *= 0x100000001b3ull;
    };
    for (const std::size_t p : used) {
        add(profiles[p].name);
        for (const auto& table : profiles[p].tables) {
            add(table.name);
            for (const auto& subtree : table.subtrees) {
                for (const auto& column : subtree.columns)
                    add(column.name.view());
            }
        }
    }
    char text[17];
    std::snprintf(text, sizeof text, "%016llx", static_cast<unsigned long long>(hash));
    return text;
}

BaselineStore::BaselineStore(const std::string& directory, CollectorContext& context)
    : path_((std::filesystem::path(directory) / "counter-baselines.json").string()),
      context_(context),
      saves_(state_saves_counter(context.metrics)),
      save_errors_(context.metrics.errors("state_save_failed")) {}

void BaselineStore::load(const std::vector<BaselineSlot>& slots, double steady_now) {
    std::string text;
    std::string error;
    const StateRead read = read_state_file(path_, text, error);
    if (read == StateRead::missing) {
        context_.log->info("snmp: no saved counter baselines in {} yet", path_);
        return;
    }
    std::optional<std::vector<DeviceBaseline>> saved;
    if (read == StateRead::ok) saved = baselines_from_json(text, error);
    if (!saved) {
        state_load_errors_counter(context_.metrics).inc();
        std::error_code ec;
        std::filesystem::rename(path_, path_ + ".corrupt", ec);
        context_.log->warn(
            "snmp: ignoring saved counter baselines in {} ({}); moved to "
            "{}.corrupt, rates start from the second round",
            path_, error, path_);
        return;
    }
    std::map<std::string_view, const DeviceBaseline*> by_device;
    for (const auto& d : *saved)
        by_device.emplace(d.device, &d);
    const double wall_now = wall_seconds();
    std::size_t restored = 0, rows = 0, too_old = 0, changed = 0;
    for (const BaselineSlot& slot : slots) {
        const auto it = by_device.find(*slot.device);
        if (it == by_device.end()) continue;
        const std::size_t before = slot.rates->rows();
        switch (restore_baseline(*it->second, slot.fingerprint, slot.max_age, wall_now, steady_now,
                                 *slot.rates, *slot.uptime)) {
            case BaselineRestore::restored:
                ++restored;
                rows += slot.rates->rows() - before;
                break;
            case BaselineRestore::too_old:
                ++too_old;
                break;
            case BaselineRestore::profile_changed:
                ++changed;
                break;
        }
    }
    context_.log->info(
        "snmp: restored counter baselines of {} devices ({} rows) from {} ({} "
        "older than twice their interval, {} polled with other profiles now)",
        restored, rows, path_, too_old, changed);
}

void BaselineStore::save(const std::vector<BaselineSlot>& slots, double steady_now) {
    const double wall_now = wall_seconds();
    std::vector<DeviceBaseline> devices;
    devices.reserve(slots.size());
    for (const BaselineSlot& slot : slots) {
        if (slot.rates->rows() == 0 && !slot.uptime->saved()) continue;
        devices.push_back(capture_baseline(*slot.device, slot.fingerprint, *slot.rates,
                                           *slot.uptime, wall_now, steady_now));
    }
    const std::string error = write_state_file(path_, baselines_to_json(devices, wall_now));
    if (!error.empty()) {
        save_errors_.inc();
        context_.log->warn("snmp: cannot save counter baselines: {}", error);
        return;
    }
    saves_.inc();
}

}  // namespace netfeed::snmp
