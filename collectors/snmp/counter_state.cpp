// Counter baselines across restarts; see counter_state.hpp.
#include "collectors/snmp/counter_state.hpp"

#include <nlohmann/json.hpp>
#include <stdexcept>

namespace netfeed::snmp {

namespace {

using nlohmann::json;

constexpr std::string_view kFormatName = "netfeed-snmp-counter-baselines";

bool usable(double time, double max_age, double wall_now) {
    return time <= wall_now + 1.0 && wall_now - time <= max_age;  // 1 s of clock slack
}

}  // namespace

DeviceBaseline capture_baseline(std::string device, std::string fingerprint,
                                const CounterRates& rates, const UptimeTracker& uptime,
                                double wall_now, double steady_now) {
    const double to_wall = wall_now - steady_now;
    DeviceBaseline out{std::move(device), std::move(fingerprint), uptime.saved(),
                       rates.baselines()};
    if (out.uptime) out.uptime->time += to_wall;
    for (auto& row : out.rows)
        row.time += to_wall;
    return out;
}

BaselineRestore restore_baseline(const DeviceBaseline& saved, std::string_view fingerprint,
                                 double max_age, double wall_now, double steady_now,
                                 CounterRates& rates, UptimeTracker& uptime) {
    if (saved.profile_fingerprint != fingerprint) return BaselineRestore::profile_changed;
    // Without the sysUpTime that went with them, counters cannot tell a device restart from
    // a wrap: a device that answered sysUpTime before is restored only with it.
    if (saved.uptime && !usable(saved.uptime->time, max_age, wall_now)) {
        return BaselineRestore::too_old;
    }
    const double to_steady = steady_now - wall_now;
    bool any = false;
    for (const auto& row : saved.rows) {
        if (!usable(row.time, max_age, wall_now)) continue;
        CounterRates::Baseline b = row;
        b.time += to_steady;
        rates.restore(std::move(b));
        any = true;
    }
    if (!any && !saved.rows.empty()) return BaselineRestore::too_old;
    if (saved.uptime) uptime.restore({saved.uptime->uptime, saved.uptime->time + to_steady});
    return BaselineRestore::restored;
}

std::string baselines_to_json(const std::vector<DeviceBaseline>& devices, double saved_at) {
    json list = json::array();
    for (const auto& d : devices) {
        json rows = json::array();
        for (const auto& row : d.rows) {
            json counters = json::array();
            // [column, value, counter64]
            for (const auto& c : row.counters)
                counters.push_back({c.column, c.value, c.counter64});
            rows.push_back(
                {{"row", row.row}, {"time", row.time}, {"counters", std::move(counters)}});
        }
        json device = {
            {"device", d.device}, {"profiles", d.profile_fingerprint}, {"rows", std::move(rows)}};
        if (d.uptime) {
            device["sys_uptime"] = d.uptime->uptime;
            device["sys_uptime_time"] = d.uptime->time;
        }
        list.push_back(std::move(device));
    }
    const json document = {{"format", kFormatName},
                           {"version", kBaselineFormatVersion},
                           {"saved_at", saved_at},
                           {"devices", std::move(list)}};
    return document.dump(1) + "\n";
}

std::optional<std::vector<DeviceBaseline>> baselines_from_json(std::string_view text,
                                                               std::string& error) {
    try {
        const json document = json::parse(text);
        if (document.at("format").get<std::string>() != kFormatName) {
            error = "not an SNMP counter baseline file";
            return std::nullopt;
        }
        const int version = document.at("version").get<int>();
        if (version != kBaselineFormatVersion) {
            error = "format version " + std::to_string(version) + " (this build reads " +
                    std::to_string(kBaselineFormatVersion) + ")";
            return std::nullopt;
        }
        std::vector<DeviceBaseline> out;
        for (const json& d : document.at("devices")) {
            DeviceBaseline device;
            device.device = d.at("device").get<std::string>();
            device.profile_fingerprint = d.at("profiles").get<std::string>();
            if (d.contains("sys_uptime")) {
                device.uptime = UptimeTracker::Saved{d.at("sys_uptime").get<std::uint32_t>(),
                                                     d.at("sys_uptime_time").get<double>()};
            }
            for (const json& r : d.at("rows")) {
                CounterRates::Baseline row;
                row.row = r.at("row").get<std::string>();
                row.time = r.at("time").get<double>();
                for (const json& c : r.at("counters")) {
                    if (!c.is_array() || c.size() != 3 || !c.at(1).is_number_unsigned())
                        throw std::invalid_argument("bad counter in row " + row.row);
                    row.counters.push_back({c.at(0).get<std::size_t>(),
                                            c.at(1).get<std::uint64_t>(), c.at(2).get<bool>()});
                }
                device.rows.push_back(std::move(row));
            }
            out.push_back(std::move(device));
        }
        return out;
    } catch (const std::exception& e) {
        error = e.what();
        return std::nullopt;
    }
}

}  // namespace netfeed::snmp
