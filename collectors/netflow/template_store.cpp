// The in-memory template store (see template_store.hpp).
#include "collectors/netflow/template_store.hpp"

#include <iterator>
#include <unordered_map>

namespace netfeed::netflow {

namespace {

// True when `then` lies more than `timeout` before `now`; a clock that went back is not stale.
bool stale(std::uint64_t then, std::uint64_t now, std::uint64_t timeout) {
    return now > then && now - then > timeout;
}

class MemoryTemplateStore final : public TemplateStore {
  public:
    MemoryTemplateStore(std::size_t max_per_exporter, std::uint64_t timeout_ns)
        : max_per_exporter_(max_per_exporter), timeout_ns_(timeout_ns) {}

    const CompiledTemplate* find(const TemplateKey& key) const override {
        const auto domain = domains_.find(key.exporter);
        if (domain == domains_.end()) return nullptr;
        const auto entry = domain->second.find(key.template_id);
        return entry == domain->second.end() ? nullptr : &entry->second.compiled;
    }

    void touch(const TemplateKey& key, std::uint64_t now_ns) override {
        const auto domain = domains_.find(key.exporter);
        if (domain == domains_.end()) return;
        const auto entry = domain->second.find(key.template_id);
        if (entry != domain->second.end()) {
            entry->second.refreshed_ns = now_ns;
            entry->second.sent_ns = now_ns;
        }
    }

    PutResult put(const TemplateKey& key, CompiledTemplate compiled,
                  std::uint64_t now_ns) override {
        return restore(key, std::move(compiled), now_ns, now_ns);
    }

    PutResult restore(const TemplateKey& key, CompiledTemplate compiled, std::uint64_t now_ns,
                      std::uint64_t sent_ns) override {
        Templates& templates = domains_[key.exporter];
        const auto entry = templates.find(key.template_id);
        if (entry != templates.end()) {
            entry->second = Entry{std::move(compiled), now_ns, sent_ns};
            return PutResult::replaced;
        }
        std::size_t& count = per_address_[key.exporter.address];
        if (count >= max_per_exporter_) {
            if (count == 0) per_address_.erase(key.exporter.address);
            if (templates.empty()) domains_.erase(key.exporter);
            return PutResult::refused;
        }
        templates.emplace(key.template_id, Entry{std::move(compiled), now_ns, sent_ns});
        ++count;
        ++size_;
        return PutResult::added;
    }

    bool withdraw(const TemplateKey& key, TemplateKind kind) override {
        const auto domain = domains_.find(key.exporter);
        if (domain == domains_.end()) return false;
        const auto entry = domain->second.find(key.template_id);
        if (entry == domain->second.end() || entry->second.compiled.kind != kind) return false;
        domain->second.erase(entry);
        forget_one(key.exporter.address);
        if (domain->second.empty()) domains_.erase(domain);
        return true;
    }

    std::size_t withdraw_all(const ExporterKey& exporter, TemplateKind kind) override {
        const auto domain = domains_.find(exporter);
        if (domain == domains_.end()) return 0;
        std::size_t removed = 0;
        for (auto it = domain->second.begin(); it != domain->second.end();) {
            if (it->second.compiled.kind == kind) {
                it = domain->second.erase(it);
                forget_one(exporter.address);
                ++removed;
            } else {
                ++it;
            }
        }
        if (domain->second.empty()) domains_.erase(domain);
        return removed;
    }

    std::size_t expire(std::uint64_t now_ns) override {
        std::size_t removed = 0;
        for (auto domain = domains_.begin(); domain != domains_.end();) {
            for (auto it = domain->second.begin(); it != domain->second.end();) {
                if (stale(it->second.refreshed_ns, now_ns, timeout_ns_)) {
                    it = domain->second.erase(it);
                    forget_one(domain->first.address);
                    ++removed;
                } else {
                    ++it;
                }
            }
            domain = domain->second.empty() ? domains_.erase(domain) : std::next(domain);
        }
        return removed;
    }

    std::size_t size() const override { return size_; }

    void for_each(const Visitor& visit) const override {
        for (const auto& [exporter, templates] : domains_) {
            for (const auto& [id, entry] : templates) {
                visit(TemplateKey{exporter, id}, entry.compiled, entry.sent_ns);
            }
        }
    }

  private:
    struct Entry {
        CompiledTemplate compiled;
        std::uint64_t refreshed_ns = 0;  // what the timeout counts from
        std::uint64_t sent_ns = 0;       // when the exporter last sent it (saved with it)
    };
    using Templates = std::unordered_map<std::uint16_t, Entry>;

    void forget_one(const FlowAddress& address) {
        const auto count = per_address_.find(address);
        if (count != per_address_.end() && --count->second == 0) per_address_.erase(count);
        --size_;
    }

    std::size_t max_per_exporter_;
    std::uint64_t timeout_ns_;
    // Two levels, so that withdrawing a domain's templates touches only that domain.
    std::unordered_map<ExporterKey, Templates, ExporterKeyHash> domains_;
    std::unordered_map<FlowAddress, std::size_t, FlowAddressHash> per_address_;
    std::size_t size_ = 0;
};

}  // namespace

std::unique_ptr<TemplateStore> make_template_store(std::size_t max_per_exporter,
                                                   std::uint64_t timeout_ns) {
    return std::make_unique<MemoryTemplateStore>(max_per_exporter, timeout_ns);
}

}  // namespace netfeed::netflow
