// Shares the decoder's templates and sampling rates with the other agents of a fleet
// (agent.fleet, docs/FLEET.md): each template is one entry of the fleet's shared state, keyed
// `<exporter>|v<version>|<domain>|<template id>` (sampling tables `...|sampling`), valued as a
// one-template snapshot in the templates.json format. Any agent then decodes an exporter's data
// from the first packet it receives, whoever received the template.
#pragma once

#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

#include "agent/fleet.hpp"
#include "collectors/netflow/decode_snapshot.hpp"

namespace netfeed::netflow {

class FleetTemplates {
  public:
    explicit FleetTemplates(FleetSharedState& shared) : shared_(shared) {}

    /// Publishes every entry of `snapshot` that differs from what was last published or taken
    /// under its key; returns how many were published.
    std::size_t publish(const DecoderSnapshot& snapshot);
    /// What another agent shared under `key`: the snapshot to import, or nothing when it is what
    /// this agent published or took already, or not a valid entry.
    std::optional<DecoderSnapshot> take(std::string_view key, std::string_view value);

    /// The entries of one snapshot as (key, value), each a one-entry snapshot.
    static std::map<std::string, std::string> entries(const DecoderSnapshot& snapshot);

  private:
    FleetSharedState& shared_;
    std::mutex mutex_;
    std::map<std::string, std::string, std::less<>> known_;  // key -> value last seen
};

}  // namespace netfeed::netflow
