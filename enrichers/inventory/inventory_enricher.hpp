// The inventory enricher: joins a CSV row to each record, names devices nobody named, and swaps in
// a new table when the file changes without stopping or half-enriching a record.
#pragma once

#include <atomic>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "agent/enricher.hpp"
#include "enrichers/inventory/file_watcher.hpp"
#include "enrichers/inventory/inventory_table.hpp"
#include "enrichers/inventory/options.hpp"
#include "enrichers/inventory/reverse_dns.hpp"

namespace netfeed::inventory {

class InventoryEnricher final : public Enricher {
  public:
    /// `initial` is the table the factory loaded (its findings were reported then);
    /// `devices` the device list the chain was built with.
    InventoryEnricher(InventoryOptions options, std::string path, InventoryBuild initial,
                      std::shared_ptr<const DeviceSnapshot> devices);
    ~InventoryEnricher() override;

    void start(EnricherContext& context) override;
    void stop() override;
    bool enrich(Record& record) noexcept override;
    void prefetch(std::span<const Record> batch) noexcept override;
    std::vector<SchemaField> added_fields() const override;

    /// Reads the file again and swaps the table in when it can be used; else keeps the old one.
    /// Returns whether the new table is in. Called by the watcher thread (and tests).
    bool reload();

    std::shared_ptr<const InventoryTable> table() const;

  private:
    struct Resolution {
        const InventoryTable::Row* row = nullptr;
        const std::string* rename = nullptr;  // into the table or a cache slot's dns_name
        bool pending = false;                 // reverse DNS has not answered yet: ask again
        bool from_dns = false;                // reverse DNS was asked (named or not)
    };
    // The last answer per address slot: exporters interleave, so one entry is not enough.
    struct CacheSlot {
        bool valid = false;
        AddressKey address;
        std::string device;  // the name the record came with
        Resolution resolution;
        std::string dns_name;
        // Answers that depend on DNS are looked at again after a while, so dns_ttl holds.
        bool from_dns = false;
        std::chrono::steady_clock::time_point recheck{};
    };
    static constexpr std::size_t kCacheSlots = 4096;
    static std::size_t slot_of(const AddressKey& address) noexcept {
        return AddressKeyHash{}(address) % kCacheSlots;
    }
    bool slot_answers(const CacheSlot& slot, const AddressKey& address,
                      const Record& record) const noexcept;
    Resolution resolve(const Record& record) noexcept;
    void report(const InventoryBuild& build, bool reloading);

    InventoryOptions options_;
    InventoryLayout layout_;
    std::string path_;
    std::shared_ptr<const DeviceSnapshot> devices_;
    std::optional<FieldName> match_field_;
    std::vector<CsvFinding> initial_findings_;
    std::shared_ptr<spdlog::logger> log_;
    Counter* reloads_ = nullptr;
    Counter* reload_failures_ = nullptr;
    Counter* unmatched_ = nullptr;
    Gauge* rows_ = nullptr;

    // Written by the reloading thread under mutex_, announced through generation_.
    mutable std::mutex mutex_;
    std::shared_ptr<const InventoryTable> published_;
    std::atomic<std::uint64_t> generation_{0};

    // The worker thread's own: the table in use and the last device it resolved.
    std::shared_ptr<const InventoryTable> current_;
    std::uint64_t seen_generation_ = 0;
    std::vector<CacheSlot> cache_{kCacheSlots};
    std::string dns_name_;
    // prefetch()'s per-record notes between its passes: the cache slot, or kMissed.
    static constexpr std::uint32_t kMissed = 0xFFFFFFFFu;
    std::vector<std::uint32_t> prefetch_slots_;
    std::vector<const InventoryTable::Row*> prefetch_rows_;  // rows of the records it missed

    std::unique_ptr<ReverseDns> dns_;
    std::unique_ptr<FileWatcher> watcher_;
};

}  // namespace netfeed::inventory
