// Decides where each record goes: which routes take its kind, and for each the sink, topic and
// key. A record that no route takes is counted as dropped (reason no_route).
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "agent/config.hpp"
#include "agent/device_directory.hpp"
#include "agent/metrics.hpp"
#include "agent/sink.hpp"
#include "agent/state_keys.hpp"
#include "agent/collector.hpp"
#include "agent/template.hpp"

namespace netfeed {

class Router {
  public:
    /// @param sink_names the pipeline's sinks, in the order of the per-sink batches route() fills.
    /// @param state_keys where routes with `state: true` note their keys (nullptr: none do).
    Router(const Config& config, const std::vector<std::string>& sink_names,
           const DeviceDirectory& devices, MetricsRegistry& metrics,
           StateKeys* state_keys = nullptr);

    /// Appends one RoutedRecord per matching route to `per_sink[sink index]`; the record is
    /// moved into the last match. Returns false (and counts the drop) when no route takes it.
    bool route(Record&& record, std::vector<std::vector<RoutedRecord>>& per_sink);

    /// Topics known at start for one sink, with the partitions to create them with; those of
    /// `produced` kinds and those collectors name (`requested`) are marked required.
    std::vector<TopicPlan> topic_plan(std::size_t sink_index,
                                      const std::vector<RecordKind>& produced,
                                      const std::vector<TopicRequest>& requested = {}) const;
    /// Whether some route keeps current state (state: true).
    bool has_state_routes() const noexcept;

  private:
    struct CompiledRoute {
        RouteConfig config;
        RecordTemplate topic;
        RecordTemplate key;
        std::size_t sink_index = 0;
        std::uint32_t kind_mask = 0;
        Counter* routed = nullptr;
    };
    void fill_delivery(const CompiledRoute& route, const Record& record, Delivery& delivery);
    void note_state(const CompiledRoute& route, const Record& record, const Delivery& delivery);
    void tombstone_device(const std::string& device,
                          std::vector<std::vector<RoutedRecord>>& per_sink);

    const DeviceDirectory& devices_;
    std::vector<std::string> sink_names_;
    StateKeys* state_keys_;
    std::vector<CompiledRoute> routes_;
    Counter& no_route_;
    Counter& tombstones_;
};

}  // namespace netfeed
