// Export and import of the decoder's restart-safe state (see decode_snapshot.hpp).
#include "collectors/netflow/decode_snapshot.hpp"

#include <algorithm>
#include <tuple>
#include <unordered_set>

#include "collectors/netflow/decode_state.hpp"

namespace netfeed::netflow {

namespace {

auto order_of(const ExporterKey& k) {
    return std::tie(k.address.family, k.address.bytes, k.version, k.domain);
}

}  // namespace

DecoderSnapshot export_snapshot(const DecoderState& state) {
    DecoderSnapshot out;
    state.templates->for_each(
        [&](const TemplateKey& key, const CompiledTemplate& t, std::uint64_t sent_ns) {
            out.templates.push_back(TemplateSnapshot{key.exporter, key.template_id, t.kind,
                                                     t.scope_count, t.fields, sent_ns});
        });
    state.exporters.for_each([&](const ExporterKey& key, const DomainState& domain) {
        if (!domain.sampling.empty()) out.sampling.push_back({key, domain.sampling.snapshot()});
    });
    std::sort(out.templates.begin(), out.templates.end(), [](const auto& a, const auto& b) {
        return std::tuple_cat(order_of(a.exporter), std::tie(a.template_id)) <
               std::tuple_cat(order_of(b.exporter), std::tie(b.template_id));
    });
    std::sort(out.sampling.begin(), out.sampling.end(), [](const auto& a, const auto& b) {
        return order_of(a.exporter) < order_of(b.exporter);
    });
    return out;
}

SnapshotImport import_snapshot(DecoderState& state, const DecoderSnapshot& saved,
                               std::uint64_t now_ns, std::uint64_t max_age_ns) {
    SnapshotImport result;
    std::unordered_set<ExporterKey, ExporterKeyHash> restored;
    for (const TemplateSnapshot& t : saved.templates) {
        // A clock that went back makes nothing too old.
        if (max_age_ns != 0 && now_ns > t.sent_ns && now_ns - t.sent_ns > max_age_ns) {
            ++result.too_old;
            continue;
        }
        // Compiled again as if just received: a file from an older build, or damaged in a way
        // its checks missed, can hold nothing the decoder would not accept from the network.
        const bool templated = t.exporter.version == 9 || t.exporter.version == 10;
        std::optional<CompiledTemplate> compiled;
        if (templated)
            compiled = compile_template(t.exporter.version, t.kind, t.fields, t.scope_count);
        if (!compiled || state.exporters.find_or_add(t.exporter, now_ns) == nullptr) {
            ++result.refused;
            continue;
        }
        if (state.templates->restore({t.exporter, t.template_id}, std::move(*compiled), now_ns,
                                     t.sent_ns) == TemplateStore::PutResult::refused) {
            ++result.refused;
            continue;
        }
        ++result.templates;
        restored.insert(t.exporter);
    }
    for (const SamplingSnapshot& s : saved.sampling) {
        DomainState* domain = state.exporters.find_or_add(s.exporter, now_ns);
        if (domain == nullptr) {
            ++result.refused;
            continue;
        }
        domain->sampling.restore(s.table);
        restored.insert(s.exporter);
    }
    result.exporters = restored.size();
    return result;
}

}  // namespace netfeed::netflow
