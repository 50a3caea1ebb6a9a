// Per-exporter decoder state: sequence tracking, sampling rates, held data (see
// decode_exporters.hpp).
#include "collectors/netflow/decode_exporters.hpp"

#include <algorithm>
#include <iterator>

namespace netfeed::netflow {

namespace {

bool stale(std::uint64_t then, std::uint64_t now, std::uint64_t timeout) {
    return now > then && now - then > timeout;
}

}  // namespace

std::uint32_t SequenceTracker::lost_before(std::uint32_t sequence,
                                           std::uint32_t reorder_window) noexcept {
    late_ = false;
    if (!known_) return 0;
    const std::uint32_t ahead = sequence - next_;  // mod 2^32: a wrap is just a small step
    if (ahead < 0x80000000u) return ahead;
    const std::uint32_t behind = next_ - sequence;
    if (behind <= reorder_window) {
        late_ = true;
    } else {
        known_ = false;
    }
    return 0;
}

void SequenceTracker::advance(std::uint32_t sequence, std::uint32_t units) noexcept {
    if (late_) {
        late_ = false;
        return;
    }
    known_ = true;
    next_ = sequence + units;
}

void SequenceTracker::forget() noexcept {
    if (late_) {
        late_ = false;
        return;
    }
    known_ = false;
}

void SamplingTable::learn(bool has_id, std::uint64_t id, std::uint64_t rate) {
    if (!has_id) {
        if (domain_rate_ != rate || !domain_rate_explicit_) ++changes_;
        domain_rate_ = rate;
        domain_rate_explicit_ = true;
        return;
    }
    // Exporters with one sampler often leave its id out of the flow records: the rate last
    // learnt for any sampler stands for the domain until one is sent without an id.
    if (!domain_rate_explicit_ && domain_rate_ != rate) {
        domain_rate_ = rate;
        ++changes_;
    }
    for (Sampler& s : samplers_) {
        if (s.id == id) {
            if (s.rate != rate) ++changes_;
            s.rate = rate;
            return;
        }
    }
    ++changes_;
    if (samplers_.size() < kMaxSamplers) {
        samplers_.push_back({id, rate});
        return;
    }
    samplers_[next_evict_] = {id, rate};
    next_evict_ = (next_evict_ + 1) % kMaxSamplers;
}

SamplingTable::Snapshot SamplingTable::snapshot() const {
    return Snapshot{samplers_, domain_rate_, domain_rate_explicit_};
}

void SamplingTable::restore(const Snapshot& saved) {
    samplers_.assign(saved.samplers.begin(),
                     saved.samplers.begin() +
                         static_cast<std::ptrdiff_t>(std::min(saved.samplers.size(), kMaxSamplers)));
    domain_rate_ = saved.domain_rate;
    domain_rate_explicit_ = saved.domain_rate_explicit;
    next_evict_ = 0;
    ++changes_;
}

std::uint64_t SamplingTable::rate_for(std::uint64_t id) const noexcept {
    for (const Sampler& s : samplers_) {
        if (s.id == id) return s.rate;
    }
    return domain_rate_;
}

DomainState* ExporterTable::find_or_add(const ExporterKey& key, std::uint64_t now_ns) {
    auto it = domains_.find(key);
    if (it == domains_.end()) {
        if (domains_.size() >= limits_.max_exporters) return nullptr;
        it = domains_.emplace(key, DomainState{}).first;
        ExporterState& exporter = exporters_[key.address];
        ++exporter.domains;
        it->second.exporter = &exporter;
    }
    DomainState& domain = it->second;
    domain.last_seen_ns = std::max(domain.last_seen_ns, now_ns);
    return &domain;
}

bool ExporterTable::hold(DomainState& domain, const ExportContext& context,
                         std::uint16_t template_id, std::uint64_t packet_serial,
                         std::span<const std::uint8_t> body) {
    ExporterState& exporter = *domain.exporter;
    const std::size_t cost = body.size() + sizeof(HeldSet);
    if (exporter.held_bytes + cost > limits_.max_held_bytes_per_exporter) return false;
    HeldSet& held =
        exporter.held[held_key(context.version, context.domain, template_id)].emplace_back();
    held.context = context;
    held.template_id = template_id;
    held.packet_serial = packet_serial;
    held.body.assign(body.begin(), body.end());
    exporter.held_bytes += cost;
    held_bytes_ += cost;
    return true;
}

std::vector<HeldSet> ExporterTable::take_held(DomainState& domain, std::uint8_t version,
                                              std::uint32_t domain_id, std::uint16_t template_id) {
    ExporterState& exporter = *domain.exporter;
    const auto group = exporter.held.find(held_key(version, domain_id, template_id));
    if (group == exporter.held.end()) return {};
    std::vector<HeldSet> taken = std::move(group->second);
    exporter.held.erase(group);
    for (const HeldSet& h : taken) {
        exporter.held_bytes -= h.cost();
        held_bytes_ -= h.cost();
    }
    return taken;
}

std::size_t ExporterTable::expire_held(std::uint64_t now_ns) {
    std::size_t expired = 0;
    for (auto& exporter_entry : exporters_) {
        // Plain references, not structured bindings: clang 14 cannot capture those in lambdas.
        ExporterState& exporter = exporter_entry.second;
        for (auto group = exporter.held.begin(); group != exporter.held.end();) {
            std::erase_if(group->second, [&](const HeldSet& h) {
                if (!stale(h.context.received_ns, now_ns, limits_.held_timeout_ns)) return false;
                exporter.held_bytes -= h.cost();
                held_bytes_ -= h.cost();
                ++expired;
                return true;
            });
            group = group->second.empty() ? exporter.held.erase(group) : std::next(group);
        }
    }
    return expired;
}

void ExporterTable::for_each(
    const std::function<void(const ExporterKey&, const DomainState&)>& visit) const {
    for (const auto& entry : domains_) visit(entry.first, entry.second);
}

void ExporterTable::expire_idle(std::uint64_t now_ns) {
    for (auto it = domains_.begin(); it != domains_.end();) {
        ExporterState* exporter = it->second.exporter;
        if (!stale(it->second.last_seen_ns, now_ns, limits_.template_timeout_ns) ||
            !exporter->held.empty()) {
            ++it;
            continue;
        }
        const FlowAddress address = it->first.address;
        it = domains_.erase(it);
        if (--exporter->domains == 0) exporters_.erase(address);
    }
}

}  // namespace netfeed::netflow
