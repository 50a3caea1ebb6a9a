// The MIB every simulated device serves: one sorted list of objects (system group, ifTable,
// ifXTable, entPhysicalTable) shared by all devices, whose values are computed on demand from
// the device number and the time, so 500 devices cost one list and counters move as time goes.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace netfeed::lab {

struct MibSettings {
    int interfaces = 48;
    bool entity = true;
    bool frozen = false;      // time stands still: counters and sysUpTime never move
    double rate_scale = 1.0;  // traffic (octets per second) multiplier
};

enum class MibGroup : std::uint8_t { system, if_number, if_table, ifx_table, entity, snmp_set };

struct MibEntry {
    std::vector<std::uint32_t> oid;
    std::string oid_tlv;  // the OID, BER-encoded once
    MibGroup group;
    std::uint8_t column;
    std::uint32_t row;  // ifIndex or entPhysicalIndex
    bool counter64 = false;
};

class DeviceMib {
  public:
    explicit DeviceMib(const MibSettings& settings);

    const std::vector<MibEntry>& entries() const { return entries_; }
    /// Position of the first object >= oid.
    std::size_t lower_bound(std::span<const std::uint32_t> oid) const;
    /// Position of the first object > oid.
    std::size_t upper_bound(std::span<const std::uint32_t> oid) const;
    /// Appends the BER value (type, length, content) of `entry` on `device` at `elapsed_ms`
    /// after the simulator started.
    void put_value(std::string& out, const MibEntry& entry, std::uint32_t device,
                   std::uint64_t elapsed_ms) const;

  private:
    MibSettings settings_;
    std::vector<MibEntry> entries_;
};

}  // namespace netfeed::lab
