// The inventory join on the hot path; see inventory_enricher.hpp.
#include "enrichers/inventory/inventory_enricher.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>

#include "enrichers/inventory/record_schema.hpp"

namespace netfeed::inventory {

InventoryEnricher::InventoryEnricher(InventoryOptions options, std::string path,
                                     InventoryBuild initial,
                                     std::shared_ptr<const DeviceSnapshot> devices)
    : options_(std::move(options)),
      layout_(options_.layout()),
      path_(std::move(path)),
      devices_(std::move(devices)),
      initial_findings_(std::move(initial.findings)),
      published_(std::move(initial.table)),
      current_(published_) {
    if (!options_.match_field.empty()) match_field_ = FieldName::intern(options_.match_field);
    if (options_.reverse_dns && options_.name_devices) {
        ReverseDnsSettings settings;
        settings.timeout = options_.dns_timeout;
        settings.ttl = options_.dns_ttl;
        settings.negative_ttl = options_.dns_negative_ttl;
        dns_ = std::make_unique<ReverseDns>(settings);
    }
}

InventoryEnricher::~InventoryEnricher() {
    stop();
}

void InventoryEnricher::start(EnricherContext& context) {
    log_ = context.log;
    auto& registry = context.metrics.registry();
    const Labels& labels = context.metrics.labels();
    reloads_ = &registry.counter("netfeed_inventory_reloads_total",
                                 "Inventory files loaded after a change", labels);
    reload_failures_ = &context.metrics.errors("inventory_reload");
    unmatched_ = &registry.counter("netfeed_inventory_unmatched_total",
                                   "Records that matched no inventory row", labels);
    rows_ = &registry.gauge("netfeed_inventory_rows", "Rows in the inventory in use", labels);
    rows_->set(static_cast<double>(table()->size()));
    InventoryBuild initial;
    initial.findings = std::move(initial_findings_);
    report(initial, false);
    log_->info("inventory {}: {} rows", path_, table()->size());
    if (dns_) dns_->start();
    if (options_.watch) {
        watcher_ = std::make_unique<FileWatcher>(path_, [this] { reload(); });
        watcher_->start();
    }
}

void InventoryEnricher::stop() {
    if (watcher_) watcher_->stop();
    if (dns_) dns_->stop();
}

std::shared_ptr<const InventoryTable> InventoryEnricher::table() const {
    std::lock_guard lock(mutex_);
    return published_;
}

void InventoryEnricher::report(const InventoryBuild& build, bool reloading) {
    if (!log_) return;
    for (const auto& finding : build.findings)
        log_->warn("{}", format_finding(path_, finding));
    if (build.error) {
        log_->error("inventory {}: {}; {}", path_, *build.error,
                    reloading ? "keeping the inventory loaded before" : "not loaded");
    }
}

bool InventoryEnricher::reload() {
    InventoryBuild build = load_inventory(path_, layout_);
    report(build, true);
    if (!build.table) {
        if (reload_failures_ != nullptr) reload_failures_->inc();
        return false;
    }
    const std::size_t rows = build.table->size();
    {
        std::lock_guard lock(mutex_);
        published_ = std::move(build.table);
    }
    generation_.fetch_add(1, std::memory_order_release);
    if (reloads_ != nullptr) reloads_->inc();
    if (rows_ != nullptr) rows_->set(static_cast<double>(rows));
    if (log_) log_->info("inventory {} reloaded: {} rows", path_, rows);
    return true;
}

InventoryEnricher::Resolution InventoryEnricher::resolve(const Record& record) noexcept {
    const InventoryTable& t = *current_;
    Resolution out;
    if (layout_.key_type == KeyType::name) out.row = t.by_name(record.device);
    if (out.row == nullptr) out.row = t.by_address(record.device_address);
    if (!options_.name_devices || record.device_address.is_unspecified()) return out;
    // The device list names a device first; the inventory and DNS only name the others.
    if (devices_ && devices_->by_address(record.device_address) != nullptr) return out;
    if (out.row != nullptr) {
        if (!out.row->name.empty() && out.row->name != record.device) out.rename = &out.row->name;
        return out;
    }
    if (dns_) {
        out.from_dns = true;
        switch (dns_->lookup(record.device_address, dns_name_)) {
            case ReverseDns::Answer::named:
                out.rename = &dns_name_;
                if (layout_.key_type == KeyType::name) out.row = t.by_name(dns_name_);
                break;
            case ReverseDns::Answer::pending:
                out.pending = true;
                break;
            case ReverseDns::Answer::unnamed:
                break;
        }
    }
    return out;
}

bool InventoryEnricher::slot_answers(const CacheSlot& slot, const AddressKey& address,
                                     const Record& record) const noexcept {
    return slot.valid && slot.address == address && slot.device == record.device &&
           !(slot.from_dns && std::chrono::steady_clock::now() >= slot.recheck);
}

// Records from many devices miss the answer cache and then wait on three or four memory loads
// each (name index, address index, row, its fields). Loading them for the whole batch first, in
// passes that each only start loads, lets those waits overlap.
void InventoryEnricher::prefetch(std::span<const Record> batch) noexcept {
    if (generation_.load(std::memory_order_acquire) != seen_generation_) return;
    const InventoryTable& t = *current_;
    try {
        prefetch_slots_.resize(batch.size());
        prefetch_rows_.reserve(batch.size());
    } catch (...) {
        return;
    }
    for (std::size_t i = 0; i < batch.size(); ++i) {
        const auto slot = static_cast<std::uint32_t>(slot_of(address_key(batch[i].device_address)));
        prefetch_slots_[i] = slot;
        __builtin_prefetch(&cache_[slot]);
    }
    // Answered from the cache: only the row's fields are to come. Else the indexes' slots.
    for (std::size_t i = 0; i < batch.size(); ++i) {
        const Record& record = batch[i];
        const AddressKey address = address_key(record.device_address);
        const CacheSlot& slot = cache_[prefetch_slots_[i]];
        if (slot.valid && slot.address == address && slot.device == record.device) {
            InventoryTable::prefetch_row(slot.resolution.row);
            continue;
        }
        prefetch_slots_[i] = kMissed;
        if (layout_.key_type == KeyType::name) t.prefetch_name(record.device);
        if (!record.device_address.is_unspecified()) t.prefetch_address(address);
    }
    // The index slots are (on their way) in cache: the rows they name, then their fields.
    prefetch_rows_.clear();
    for (std::size_t i = 0; i < batch.size(); ++i) {
        if (prefetch_slots_[i] != kMissed || batch[i].device_address.is_unspecified()) continue;
        const InventoryTable::Row* row = t.by_address(address_key(batch[i].device_address));
        if (row == nullptr) continue;
        __builtin_prefetch(row);
        prefetch_rows_.push_back(row);  // within the capacity reserved with prefetch_slots_
    }
    for (const InventoryTable::Row* row : prefetch_rows_)
        InventoryTable::prefetch_row(row);
}

bool InventoryEnricher::enrich(Record& record) noexcept {
    if (generation_.load(std::memory_order_acquire) != seen_generation_) {
        std::lock_guard lock(mutex_);
        current_ = published_;
        seen_generation_ = generation_.load(std::memory_order_relaxed);
        for (CacheSlot& slot : cache_)
            slot.valid = false;
    }
    const AddressKey address = address_key(record.device_address);
    CacheSlot& slot = cache_[slot_of(address)];
    if (!slot_answers(slot, address, record)) {
        slot.resolution = resolve(record);
        slot.valid = false;
        if (!slot.resolution.pending) {
            try {
                slot.device = record.device;
                if (slot.resolution.rename == &dns_name_) {
                    slot.dns_name = dns_name_;
                    slot.resolution.rename = &slot.dns_name;
                }
                slot.address = address;
                slot.from_dns = slot.resolution.from_dns;
                if (slot.from_dns)
                    slot.recheck = std::chrono::steady_clock::now() + std::chrono::seconds(10);
                slot.valid = true;
            } catch (...) {
            }
        }
    }
    const Resolution& cached = slot.resolution;
    try {
        if (cached.rename != nullptr) record.device = *cached.rename;
        const InventoryTable::Row* row = cached.row;
        if (row == nullptr) {
            if (unmatched_ != nullptr) unmatched_->inc();
            if (options_.drop_unmatched) return false;
            if (match_field_) record.add(*match_field_, false);
            return true;
        }
        record.fields.reserve(record.fields.size() + row->fields.size() + 1);
        if (match_field_) record.add(*match_field_, true);
        if (layout_.prefix.empty()) {
            for (const Field& field : row->fields)
                record.set(field.name, field.value);
        } else {
            // One range insert: the vector grows once and copies in place.
            record.fields.insert(record.fields.end(), row->fields.begin(), row->fields.end());
        }
    } catch (...) {
        // Only allocation can throw here; the record goes on with what it has.
    }
    return true;
}

std::vector<SchemaField> InventoryEnricher::added_fields() const {
    std::vector<SchemaField> out;
    if (match_field_) {
        out.push_back({match_field_->view(), FieldType::boolean, kMatchMeaning, "",
                       "every record it enriches"});
    }
    // The columns any row fills: rows only carry their non-empty cells.
    const auto current = table();
    for (const auto& row : current->rows()) {
        for (const Field& field : row.fields) {
            const std::string_view name = field.name.view();
            const bool seen = std::any_of(out.begin(), out.end(),
                                          [&](const SchemaField& f) { return f.name == name; });
            if (!seen) out.push_back({name, FieldType::string, kColumnMeaning, "", kColumnPresent});
        }
    }
    return out;
}

}  // namespace netfeed::inventory
