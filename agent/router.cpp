// Route matching and topic/key rendering; see router.hpp.
#include "agent/router.hpp"

#include <algorithm>
#include <set>

namespace netfeed {

namespace {
std::uint32_t kind_bit(RecordKind kind) {
    return 1u << static_cast<unsigned>(kind);
}
}  // namespace

Router::Router(const Config& config, const std::vector<std::string>& sink_names,
               const DeviceDirectory& devices, MetricsRegistry& metrics)
    : devices_(devices),
      no_route_(metrics.counter("netfeed_component_dropped_total",
                                "Records a component dropped, by reason",
                                {{"stage", "router"},
                                 {"component", "router"},
                                 {"type", "router"},
                                 {"reason", "no_route"}})) {
    for (const auto& route : config.routes) {
        CompiledRoute compiled;
        compiled.config = route;
        // Templates were checked when the config was loaded.
        RecordTemplate::compile(route.topic, compiled.topic);
        RecordTemplate::compile(route.key, compiled.key);
        auto it = std::find(sink_names.begin(), sink_names.end(), route.sink);
        compiled.sink_index = static_cast<std::size_t>(it - sink_names.begin());
        if (route.kinds.empty()) {
            compiled.kind_mask = ~0u;
        } else {
            for (RecordKind kind : route.kinds)
                compiled.kind_mask |= kind_bit(kind);
        }
        compiled.routed =
            &metrics.counter("netfeed_route_records_total", "Records each route sent to its sink",
                             {{"route", route.name}, {"sink", route.sink}});
        routes_.push_back(std::move(compiled));
    }
}

void Router::fill_delivery(const CompiledRoute& route, const Record& record, Delivery& delivery) {
    route.topic.render(record, devices_, "unknown", delivery.topic);
    sanitize_topic(delivery.topic);
    if (!route.key.empty()) {
        route.key.render(record, devices_, "", delivery.key);
    } else if (!record.key.empty()) {
        delivery.key = record.key;
    } else {
        delivery.key = record.device;
    }
    // A tombstone must keep its key even when empty; otherwise an empty key means unkeyed.
    delivery.has_key = !delivery.key.empty() || record.tombstone;
    delivery.partitioner = route.config.partitioner;
    delivery.key_encoding = route.config.key_encoding;
    delivery.format = route.config.format;
}

bool Router::route(Record&& record, std::vector<std::vector<RoutedRecord>>& per_sink) {
    const std::uint32_t bit = kind_bit(record.kind);
    const CompiledRoute* last = nullptr;
    for (const auto& route : routes_) {
        if ((route.kind_mask & bit) == 0) continue;
        if (last != nullptr) {
            // Every earlier match gets a copy; the last one takes the record itself.
            RoutedRecord copy{record, {}};
            fill_delivery(*last, copy.record, copy.delivery);
            per_sink[last->sink_index].push_back(std::move(copy));
            last->routed->inc();
        }
        last = &route;
    }
    if (last == nullptr) {
        no_route_.inc();
        return false;
    }
    RoutedRecord routed{std::move(record), {}};
    fill_delivery(*last, routed.record, routed.delivery);
    per_sink[last->sink_index].push_back(std::move(routed));
    last->routed->inc();
    return true;
}

std::vector<TopicPlan> Router::topic_plan(std::size_t sink_index,
                                          const std::vector<RecordKind>& produced) const {
    std::vector<TopicPlan> plan;
    std::set<std::string> seen;
    for (const auto& route : routes_) {
        if (route.sink_index != sink_index || !route.topic.depends_only_on_kind()) continue;
        std::vector<RecordKind> kinds = route.config.kinds;
        if (kinds.empty()) kinds.assign(std::begin(kAllRecordKinds), std::end(kAllRecordKinds));
        for (RecordKind kind : kinds) {
            std::string name = route.topic.render_for_kind(kind);
            sanitize_topic(name);
            const bool required =
                std::find(produced.begin(), produced.end(), kind) != produced.end();
            if (seen.insert(name).second) {
                plan.push_back({name, route.config.partitions, route.config.partitioner, required});
            } else if (required) {
                for (auto& p : plan) {
                    if (p.name == name) p.required = true;
                }
            }
        }
    }
    return plan;
}

}  // namespace netfeed
