// The decoder's saved state as a JSON document (`<state_dir>/<collector>/templates.json`):
// readable by an operator, versioned, and checked field by field when read back.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "collectors/netflow/decode_snapshot.hpp"

namespace netfeed::netflow {

/// The format's version: a file of another version is refused (the collector starts without it).
inline constexpr int kSnapshotFormatVersion = 1;

/// `<address>|v<version>|<domain>`: an exporter domain as text, for keys.
std::string exporter_text(const ExporterKey& exporter);

std::string snapshot_to_json(const DecoderSnapshot& snapshot, std::uint64_t saved_at_ns);

/// The snapshot in `text`, or nothing with `error` saying what is wrong (not JSON, another
/// version, a field missing or out of range). Never throws.
std::optional<DecoderSnapshot> snapshot_from_json(std::string_view text, std::string& error);

}  // namespace netfeed::netflow
