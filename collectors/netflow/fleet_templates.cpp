// Templates shared across a fleet; see fleet_templates.hpp.
#include "collectors/netflow/fleet_templates.hpp"

#include <nlohmann/json.hpp>

#include "collectors/netflow/snapshot_json.hpp"

namespace netfeed::netflow {

namespace {

// One line: a Kafka value that `kcat -C` prints as one line, like every other netfeed value.
std::string one_line(const DecoderSnapshot& snapshot) {
    return nlohmann::json::parse(snapshot_to_json(snapshot, 0)).dump();
}

}  // namespace

std::map<std::string, std::string> FleetTemplates::entries(const DecoderSnapshot& snapshot) {
    std::map<std::string, std::string> out;
    // saved_at 0 (one_line): the same template always gives the same text, so unchanged ones
    // are not sent again.
    for (const TemplateSnapshot& t : snapshot.templates) {
        DecoderSnapshot one;
        one.templates.push_back(t);
        out[exporter_text(t.exporter) + "|" + std::to_string(t.template_id)] =
            one_line(one);
    }
    for (const SamplingSnapshot& s : snapshot.sampling) {
        DecoderSnapshot one;
        one.sampling.push_back(s);
        out[exporter_text(s.exporter) + "|sampling"] = one_line(one);
    }
    return out;
}

std::size_t FleetTemplates::publish(const DecoderSnapshot& snapshot) {
    std::size_t published = 0;
    for (auto& [key, value] : entries(snapshot)) {
        {
            std::lock_guard lock(mutex_);
            auto it = known_.find(key);
            if (it != known_.end() && it->second == value) continue;
            known_.insert_or_assign(key, value);
        }
        shared_.publish(key, value);
        ++published;
    }
    return published;
}

std::optional<DecoderSnapshot> FleetTemplates::take(std::string_view key, std::string_view value) {
    {
        std::lock_guard lock(mutex_);
        auto it = known_.find(key);
        if (it != known_.end() && it->second == value) return std::nullopt;
        known_.insert_or_assign(std::string(key), std::string(value));
    }
    std::string error;
    return snapshot_from_json(value, error);
}

}  // namespace netfeed::netflow
