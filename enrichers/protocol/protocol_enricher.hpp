// The protocol enricher: proto_name, src_service/dst_service and tcp_flags_text beside the numbers
// a flow carries, from tables built when the enricher is built.
#pragma once

#include <memory>

#include "agent/enricher.hpp"
#include "agent/option_table.hpp"
#include "enrichers/protocol/protocol_names.hpp"

namespace netfeed::protocol {

struct ProtocolOptions {
    bool protocols = true;
    bool services = true;
    bool tcp_flags = true;
    FilePath protocols_file{"/etc/protocols"};
    FilePath services_file{"/etc/services"};
    static const OptionTable<ProtocolOptions>& options();
};

class ProtocolEnricher final : public Enricher {
  public:
    ProtocolEnricher(const ProtocolOptions& options, std::shared_ptr<const ProtocolNames> names)
        : options_(options), names_(std::move(names)) {}
    bool enrich(Record& record) noexcept override;
    std::vector<SchemaField> added_fields() const override;

  private:
    ProtocolOptions options_;
    std::shared_ptr<const ProtocolNames> names_;
};

}  // namespace netfeed::protocol
