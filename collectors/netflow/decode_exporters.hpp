// What the decoder remembers about each exporter between packets, apart from templates:
// sequence expectations, sampling rates and system init time per domain, and the data sets
// held per exporter address until their template arrives.
#pragma once

#include <cstdint>
#include <functional>
#include <span>
#include <unordered_map>
#include <vector>

#include "collectors/netflow/decode_flows.hpp"
#include "collectors/netflow/flow_applications.hpp"
#include "collectors/netflow/flow_exporter_key.hpp"

namespace netfeed::netflow {

/// The expected next sequence number of one exporter domain (mod 2^32).
class SequenceTracker {
  public:
    /// How many units (flows, packets or records) were lost before a packet numbered `sequence`
    /// arrived. A jump backwards is never loss: within `reorder_window` it is a late packet and
    /// the expectation stays; beyond, the exporter restarted and the next advance() resyncs.
    std::uint32_t lost_before(std::uint32_t sequence, std::uint32_t reorder_window) noexcept;
    /// The packet numbered `sequence` carried `units`: expect sequence + units next.
    void advance(std::uint32_t sequence, std::uint32_t units) noexcept;
    /// The packet's unit count is not known (data held, a bad set): do not judge the next one.
    void forget() noexcept;

  private:
    bool known_ = false;
    bool late_ = false;  // the packet being read came late: advance() must not move back
    std::uint32_t next_ = 0;
};

/// Sampling rates learnt from options data: per sampler id, and one for the whole domain.
class SamplingTable {
  public:
    struct Sampler {
        std::uint64_t id;
        std::uint64_t rate;

        bool operator==(const Sampler&) const = default;
    };
    /// Everything the table knows, as a plain value (saved across restarts).
    struct Snapshot {
        std::vector<Sampler> samplers;
        std::uint64_t domain_rate = 0;
        bool domain_rate_explicit = false;

        bool operator==(const Snapshot&) const = default;
    };

    /// Records that sampler `id` (or the whole domain when `has_id` is false) samples 1 in `rate`.
    void learn(bool has_id, std::uint64_t id, std::uint64_t rate);
    /// The rate for a flow of sampler `id`; unknown ids get the domain-wide rate (0: unknown).
    std::uint64_t rate_for(std::uint64_t id) const noexcept;
    std::uint64_t domain_rate() const noexcept { return domain_rate_; }
    /// How many times learn() changed a rate: a saver compares it instead of the whole table.
    std::uint64_t changes() const noexcept { return changes_; }
    bool empty() const noexcept { return samplers_.empty() && domain_rate_ == 0; }

    Snapshot snapshot() const;
    /// Replaces the table with a saved one (at most kMaxSamplers samplers are taken).
    void restore(const Snapshot& saved);

  private:
    static constexpr std::size_t kMaxSamplers = 64;  // routers have a handful
    std::vector<Sampler> samplers_;
    std::uint64_t domain_rate_ = 0;
    bool domain_rate_explicit_ = false;  // learnt from a record without a sampler id
    std::size_t next_evict_ = 0;
    std::uint64_t changes_ = 0;
};

/// The export header fields a data record needs, kept with held data so that it decodes later
/// exactly as it would have at once.
struct ExportContext {
    std::uint8_t version = 0;
    std::uint32_t domain = 0;
    std::uint32_t sequence = 0;
    std::uint64_t received_ns = 0;
    std::int64_t export_ms = 0;   // the header's export time, in ms since the Unix epoch
    std::uint32_t uptime_ms = 0;  // v9: the header's sysUptime (IPFIX has none)
};

struct ExporterState;

struct DomainState {
    ExporterState* exporter = nullptr;
    SequenceTracker sequence;
    SamplingTable sampling;
    bool has_system_init = false;
    std::uint64_t system_init_ms = 0;  // IPFIX systemInitTimeMilliseconds (160)
    ApplicationNames applications;     // applicationId -> applicationName, from options data
    std::uint64_t last_seen_ns = 0;
};

/// A data set that came before its template.
struct HeldSet {
    ExportContext context;
    std::uint16_t template_id = 0;
    std::uint64_t packet_serial = 0;  // which decode() call held it
    std::vector<std::uint8_t> body;   // the set without its 4-byte header

    std::size_t cost() const noexcept { return body.size() + sizeof(HeldSet); }
};

/// Which template held sets wait for: version, domain and template id in one number.
inline std::uint64_t held_key(std::uint8_t version, std::uint32_t domain,
                              std::uint16_t template_id) noexcept {
    return (std::uint64_t{version} << 48) | (std::uint64_t{domain} << 16) | template_id;
}

struct ExporterState {
    std::size_t domains = 0;
    std::size_t held_bytes = 0;
    // Grouped by the template they wait for (each group in arrival order), so a template finds
    // its held sets without scanning everything held: a flood of templates stays linear.
    std::unordered_map<std::uint64_t, std::vector<HeldSet>> held;
};

class ExporterTable {
  public:
    explicit ExporterTable(const DecoderLimits& limits) : limits_(limits) {}

    /// The state of one exporter domain, made on first sight; nullptr when max_exporters domains
    /// are already tracked.
    DomainState* find_or_add(const ExporterKey& key, std::uint64_t now_ns);

    /// Holds a copy of `body`; false (nothing held) when the exporter's held bytes would pass
    /// max_held_bytes_per_exporter.
    bool hold(DomainState& domain, const ExportContext& context, std::uint16_t template_id,
              std::uint64_t packet_serial, std::span<const std::uint8_t> body);

    /// Takes out the sets held for (context version, domain, template id), oldest first.
    std::vector<HeldSet> take_held(DomainState& domain, std::uint8_t version,
                                   std::uint32_t domain_id, std::uint16_t template_id);

    /// Drops held sets older than held_timeout_ns; returns how many.
    std::size_t expire_held(std::uint64_t now_ns);
    /// Forgets domains not seen for template_timeout_ns whose exporter holds no data: by then
    /// their templates have expired too, and a bounded table must make room for new exporters.
    void expire_idle(std::uint64_t now_ns);

    std::size_t held_bytes() const noexcept { return held_bytes_; }
    std::size_t size() const noexcept { return domains_.size(); }

    /// Calls `visit` for every exporter domain tracked.
    void for_each(const std::function<void(const ExporterKey&, const DomainState&)>& visit) const;

  private:
    DecoderLimits limits_;
    std::unordered_map<ExporterKey, DomainState, ExporterKeyHash> domains_;
    std::unordered_map<FlowAddress, ExporterState, FlowAddressHash> exporters_;
    std::size_t held_bytes_ = 0;
};

}  // namespace netfeed::netflow
