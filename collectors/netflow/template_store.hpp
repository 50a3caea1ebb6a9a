// The templates learnt from exporters, behind a small interface keyed by (exporter address,
// version, observation domain, template id), with expiry by a time the caller passes in.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>

#include "collectors/netflow/flow_exporter_key.hpp"
#include "collectors/netflow/template_compile.hpp"

namespace netfeed::netflow {

struct TemplateKey {
    ExporterKey exporter;
    std::uint16_t template_id = 0;
};

class TemplateStore {
  public:
    enum class PutResult : std::uint8_t { added, replaced, refused };

    virtual ~TemplateStore() = default;

    /// The template, or nullptr. The pointer stays valid until the store is next changed.
    virtual const CompiledTemplate* find(const TemplateKey& key) const = 0;
    /// Marks a template as refreshed at `now_ns` (the exporter sent the same definition again).
    virtual void touch(const TemplateKey& key, std::uint64_t now_ns) = 0;
    /// Adds or replaces a template; refused when the exporter address already has its limit.
    virtual PutResult put(const TemplateKey& key, CompiledTemplate compiled,
                          std::uint64_t now_ns) = 0;
    /// Removes one template if it is of `kind`; true if there was one.
    virtual bool withdraw(const TemplateKey& key, TemplateKind kind) = 0;
    /// Removes every template of `kind` of one exporter domain; returns how many.
    virtual std::size_t withdraw_all(const ExporterKey& exporter, TemplateKind kind) = 0;
    /// Forgets templates not refreshed for the store's timeout; returns how many.
    virtual std::size_t expire(std::uint64_t now_ns) = 0;
    /// Templates held, over all exporters.
    virtual std::size_t size() const = 0;

    /// Puts back a template saved before a restart: it counts as refreshed at `now_ns` (so it
    /// gets a whole timeout to be resent), while `sent_ns`, when the exporter last sent it,
    /// travels on to the next save so that restarts alone never make a template younger.
    virtual PutResult restore(const TemplateKey& key, CompiledTemplate compiled,
                              std::uint64_t now_ns, std::uint64_t sent_ns) = 0;
    /// Calls `visit` for every template with the time its exporter last sent it.
    using Visitor = std::function<void(const TemplateKey&, const CompiledTemplate&,
                                       std::uint64_t sent_ns)>;
    virtual void for_each(const Visitor& visit) const = 0;
};

/// The in-memory store: at most `max_per_exporter` templates per exporter address (over all its
/// versions and domains), each forgotten `timeout_ns` after it was last sent.
std::unique_ptr<TemplateStore> make_template_store(std::size_t max_per_exporter,
                                                   std::uint64_t timeout_ns);

}  // namespace netfeed::netflow
