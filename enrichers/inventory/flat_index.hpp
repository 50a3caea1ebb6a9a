// Read-only hash indexes for the inventory's hot path. They are built once per table and then
// only searched: open addressing with linear probing in one array, so a lookup usually touches one
// cache line, where std::unordered_map reads a bucket array and then a node somewhere else. With
// 100,000 devices and records from any of them, those extra memory reads were most of the cost.
#pragma once

#include <cstdint>
#include <limits>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "enrichers/inventory/address_key.hpp"

namespace netfeed::inventory {

inline constexpr std::uint32_t kNoRow = std::numeric_limits<std::uint32_t>::max();

/// Addresses (both families as 16 bytes) to row numbers.
class AddressIndex {
  public:
    /// `entries` hold distinct addresses.
    void build(const std::vector<std::pair<AddressKey, std::uint32_t>>& entries);
    std::uint32_t find(const AddressKey& key) const noexcept;
    /// Starts loading the slot find(key) reads first.
    void prefetch(const AddressKey& key) const noexcept {
        if (count_ != 0) __builtin_prefetch(&slots_[AddressKeyHash{}(key) & mask_]);
    }
    bool empty() const noexcept { return count_ == 0; }

  private:
    struct Slot {
        AddressKey key;
        std::uint32_t row = kNoRow;
    };
    std::vector<Slot> slots_;
    std::size_t mask_ = 0;
    std::size_t count_ = 0;
};

/// Names (already lowercased by the caller) to row numbers. The names live in one string; a slot
/// keeps the full hash, so a search compares bytes only when the hashes agree.
class NameIndex {
  public:
    /// `entries` hold distinct names.
    void build(const std::vector<std::pair<std::string, std::uint32_t>>& entries);
    std::uint32_t find(std::string_view name) const noexcept;
    /// Starts loading the slot find(name) reads first.
    void prefetch(std::string_view name) const noexcept;
    bool empty() const noexcept { return count_ == 0; }

  private:
    struct Slot {
        std::uint64_t hash = 0;
        std::uint32_t row = kNoRow;
        std::uint32_t offset = 0;  // into names_
        std::uint32_t length = 0;
    };
    std::vector<Slot> slots_;
    std::string names_;
    std::size_t mask_ = 0;
    std::size_t count_ = 0;
};

}  // namespace netfeed::inventory
