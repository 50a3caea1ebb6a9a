// The protocol enricher's fields; see record_schema.hpp.
#include "enrichers/protocol/record_schema.hpp"

namespace netfeed::protocol {

namespace {

constexpr SchemaField kFields[] = {
    {"proto_name", FieldType::string, "tcp, udp, icmp, ... (protocols option)", "",
     "when proto has a name"},
    {"src_service", FieldType::string, "the service on src_port (/etc/services)", "",
     "when named (services option)"},
    {"dst_service", FieldType::string, "the service on dst_port (/etc/services)", "",
     "when named (services option)"},
    {"tcp_flags_text", FieldType::string,
     "the set flags, lowest bit first: F S R P A U E C N (SYN+ACK is SA)", "",
     "TCP flows (tcp_flags option)"},
};

}  // namespace

std::span<const SchemaField> protocol_fields() noexcept {
    return kFields;
}

}  // namespace netfeed::protocol
