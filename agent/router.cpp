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
               const DeviceDirectory& devices, MetricsRegistry& metrics, StateKeys* state_keys)
    : devices_(devices),
      sink_names_(sink_names),
      state_keys_(state_keys),
      no_route_(metrics.counter("netfeed_component_dropped_total",
                                "Records a component dropped, by reason",
                                {{"stage", "router"},
                                 {"component", "router"},
                                 {"type", "router"},
                                 {"reason", "no_route"}})),
      tombstones_(metrics.counter("netfeed_state_tombstones_total",
                                  "Tombstones sent for keys of devices that left the device list")) {
    for (const auto& route : config.routes) {
        CompiledRoute compiled;
        compiled.config = route;
        // Templates were checked when the config was loaded.
        RecordTemplate::compile(route.topic.empty() ? "netfeed.{kind}" : route.topic,
                                compiled.topic);
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
    if (route.config.topic.empty() && !record.topic.empty()) {
        delivery.topic = record.topic;
    } else {
        route.topic.render(record, devices_, "unknown", delivery.topic);
    }
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

void Router::note_state(const CompiledRoute& route, const Record& record,
                        const Delivery& delivery) {
    if (!route.config.state || state_keys_ == nullptr || record.device.empty()) return;
    if (record.tombstone) {
        state_keys_->forget(record.device, delivery.topic, delivery.key);
        return;
    }
    state_keys_->remember(record.device, StateKey{route.config.sink, delivery.topic, delivery.key,
                                                  record.kind, delivery.partitioner,
                                                  delivery.key_encoding});
}

void Router::tombstone_device(const std::string& device,
                              std::vector<std::vector<RoutedRecord>>& per_sink) {
    if (state_keys_ == nullptr) return;
    for (StateKey& key : state_keys_->take(device)) {
        auto it = std::find(sink_names_.begin(), sink_names_.end(), key.sink);
        if (it == sink_names_.end()) {
            // Its sink is gone from the config: nowhere to send the tombstone.
            no_route_.inc();
            continue;
        }
        RoutedRecord routed;
        routed.record.kind = key.kind;
        routed.record.device = device;
        routed.record.key = key.key;
        routed.record.tombstone = true;
        routed.record.time = routed.record.received = Clock::now();
        routed.delivery.topic = std::move(key.topic);
        routed.delivery.key = std::move(key.key);
        routed.delivery.has_key = true;
        routed.delivery.partitioner = key.partitioner;
        routed.delivery.key_encoding = key.key_encoding;
        per_sink[static_cast<std::size_t>(it - sink_names_.begin())].push_back(std::move(routed));
        tombstones_.inc();
    }
}

bool Router::has_state_routes() const noexcept {
    return std::any_of(routes_.begin(), routes_.end(),
                       [](const CompiledRoute& r) { return r.config.state; });
}

bool Router::route(Record&& record, std::vector<std::vector<RoutedRecord>>& per_sink) {
    if (record.forget_device) {
        tombstone_device(record.device, per_sink);
        return true;
    }
    const std::uint32_t bit = kind_bit(record.kind);
    const CompiledRoute* last = nullptr;
    for (const auto& route : routes_) {
        if ((route.kind_mask & bit) == 0) continue;
        if (last != nullptr) {
            // Every earlier match gets a copy; the last one takes the record itself.
            RoutedRecord copy{record, {}};
            fill_delivery(*last, copy.record, copy.delivery);
            note_state(*last, copy.record, copy.delivery);
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
    note_state(*last, routed.record, routed.delivery);
    per_sink[last->sink_index].push_back(std::move(routed));
    last->routed->inc();
    return true;
}

std::vector<TopicPlan> Router::topic_plan(std::size_t sink_index,
                                          const std::vector<RecordKind>& produced,
                                          const std::vector<TopicRequest>& requested) const {
    std::vector<TopicPlan> plan;
    auto add = [&](std::string name, const CompiledRoute& route, bool required) {
        sanitize_topic(name);
        for (auto& p : plan) {
            if (p.name != name) continue;
            p.required = p.required || required;
            p.compact = p.compact || route.config.state;
            return;
        }
        plan.push_back({std::move(name), route.config.partitions, route.config.partitioner,
                        required, route.config.state});
    };
    for (const auto& route : routes_) {
        if (route.sink_index != sink_index) continue;
        std::vector<RecordKind> kinds = route.config.kinds;
        if (kinds.empty()) kinds = all_record_kinds();
        const bool takes_record_topic = route.config.topic.empty();
        for (const auto& request : requested) {
            if (!takes_record_topic || request.topic.empty()) continue;
            if (std::find(kinds.begin(), kinds.end(), request.kind) == kinds.end()) continue;
            add(request.topic, route, true);
        }
        if (!route.topic.depends_only_on_kind()) continue;
        for (RecordKind kind : kinds) {
            // A kind whose collector names its own topics may never use this one: planned,
            // not required.
            const bool produced_here =
                std::find(produced.begin(), produced.end(), kind) != produced.end();
            const bool named_by_collector =
                takes_record_topic && produced_here &&
                std::any_of(requested.begin(), requested.end(),
                            [&](const TopicRequest& r) { return r.kind == kind; });
            add(route.topic.render_for_kind(kind), route, produced_here && !named_by_collector);
        }
    }
    return plan;
}

}  // namespace netfeed
