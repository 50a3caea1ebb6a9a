// The poller's counter baselines on disk: loads them at start and saves them now and then, with
// the collector's log lines and metrics (the format and the rules are in counter_state.hpp).
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "agent/collector.hpp"
#include "collectors/snmp/counter_rate.hpp"
#include "collectors/snmp/profile.hpp"

namespace netfeed::snmp {

/// One device's baselines as the poller holds them.
struct BaselineSlot {
    const std::string* device;
    std::string fingerprint;  // profile_fingerprint() of its profiles
    double max_age = 0;       // seconds a saved baseline stays usable: twice its interval
    CounterRates* rates;
    UptimeTracker* uptime;
};

/// What the counters of a device's rows mean: its profiles' tables and columns, in order.
std::string profile_fingerprint(const std::vector<Profile>& profiles,
                                const std::vector<std::size_t>& used);

class BaselineStore {
  public:
    /// `directory`: the collector's state_dir; the file is counter-baselines.json in it.
    BaselineStore(const std::string& directory, CollectorContext& context);

    /// Restores what is still usable (missing file: nothing; corrupt: warned, counted, moved
    /// aside). Call before the first round; `steady_now` is the poller's clock in seconds.
    void load(const std::vector<BaselineSlot>& slots, double steady_now);
    /// Writes every device's baselines (crash-consistently).
    void save(const std::vector<BaselineSlot>& slots, double steady_now);

  private:
    std::string path_;
    CollectorContext& context_;
    Counter& saves_;
    Counter& save_errors_;
};

}  // namespace netfeed::snmp
