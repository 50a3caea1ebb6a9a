// The interfaces enricher: names, aliases and speeds of a flow's input and output interfaces,
// from the ifIndex tables the SNMP collector publishes for the exporting device.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <unordered_map>

#include "agent/enricher.hpp"
#include "agent/option_table.hpp"

namespace netfeed::interfaces {

struct InterfacesOptions {
    bool names = true;
    bool aliases = true;
    bool speeds = true;
    /// Records between two looks at the shared table for one device (a look takes a lock).
    std::uint32_t refresh_every = 1024;
    static const OptionTable<InterfacesOptions>& options();
};

class InterfacesEnricher final : public Enricher {
  public:
    explicit InterfacesEnricher(const InterfacesOptions& options) : options_(options) {}
    void start(EnricherContext& context) override;
    bool enrich(Record& record) noexcept override;
    std::vector<SchemaField> added_fields() const override;

  private:
    struct CachedDevice {
        std::shared_ptr<const InterfaceTable::DeviceInterfaces> table;
        std::uint32_t uses = 0;
    };
    const InterfaceTable::DeviceInterfaces* device_table(const std::string& device) noexcept;
    void add(Record& record, const InterfaceInfo& info, bool input);

    InterfacesOptions options_;
    const InterfaceTable* shared_ = nullptr;
    std::unordered_map<std::string, CachedDevice> devices_;
    CachedDevice* last_ = nullptr;
    std::string last_name_;
    Counter* unknown_ = nullptr;
};

}  // namespace netfeed::interfaces
