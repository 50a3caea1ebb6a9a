// Building and searching the flat indexes; see flat_index.hpp.
#include "enrichers/inventory/flat_index.hpp"

#include <algorithm>
#include <bit>
#include <functional>
#include <stdexcept>

namespace netfeed::inventory {

namespace {

// At most half full, so a search that misses stops after a short run of slots.
std::size_t capacity_for(std::size_t count) {
    return std::bit_ceil(std::max<std::size_t>(16, count * 2));
}

std::uint64_t name_hash(std::string_view name) noexcept {
    return std::hash<std::string_view>{}(name);
}

}  // namespace

void AddressIndex::build(const std::vector<std::pair<AddressKey, std::uint32_t>>& entries) {
    slots_.assign(capacity_for(entries.size()), Slot{});
    mask_ = slots_.size() - 1;
    count_ = entries.size();
    for (const auto& [key, row] : entries) {
        std::size_t i = AddressKeyHash{}(key) & mask_;
        while (slots_[i].row != kNoRow)
            i = (i + 1) & mask_;
        slots_[i] = Slot{key, row};
    }
}

std::uint32_t AddressIndex::find(const AddressKey& key) const noexcept {
    if (count_ == 0) return kNoRow;
    for (std::size_t i = AddressKeyHash{}(key) & mask_;; i = (i + 1) & mask_) {
        const Slot& slot = slots_[i];
        if (slot.row == kNoRow) return kNoRow;
        if (slot.key == key) return slot.row;
    }
}

void NameIndex::build(const std::vector<std::pair<std::string, std::uint32_t>>& entries) {
    slots_.assign(capacity_for(entries.size()), Slot{});
    mask_ = slots_.size() - 1;
    count_ = entries.size();
    names_.clear();
    for (const auto& [name, row] : entries) {
        if (names_.size() + name.size() > std::numeric_limits<std::uint32_t>::max())
            throw std::length_error("inventory names exceed 4 GiB");
        const std::uint64_t hash = name_hash(name);
        std::size_t i = hash & mask_;
        while (slots_[i].row != kNoRow)
            i = (i + 1) & mask_;
        slots_[i] = Slot{hash, row, static_cast<std::uint32_t>(names_.size()),
                         static_cast<std::uint32_t>(name.size())};
        names_ += name;
    }
}

std::uint32_t NameIndex::find(std::string_view name) const noexcept {
    if (count_ == 0) return kNoRow;
    const std::uint64_t hash = name_hash(name);
    for (std::size_t i = hash & mask_;; i = (i + 1) & mask_) {
        const Slot& slot = slots_[i];
        if (slot.row == kNoRow) return kNoRow;
        if (slot.hash == hash && slot.length == name.size() &&
            std::string_view(names_).substr(slot.offset, slot.length) == name)
            return slot.row;
    }
}

void NameIndex::prefetch(std::string_view name) const noexcept {
    if (count_ != 0) __builtin_prefetch(&slots_[name_hash(name) & mask_]);
}

}  // namespace netfeed::inventory
