// Protocol, service and flag names on flows; see protocol_enricher.hpp.
#include "enrichers/protocol/protocol_enricher.hpp"

namespace netfeed::protocol {

const OptionTable<ProtocolOptions>& ProtocolOptions::options() {
    static const auto table =
        OptionTable<ProtocolOptions>()
            .add("protocols", &ProtocolOptions::protocols,
                 "Add proto_name (tcp, udp, icmp, ...) beside proto.")
            .add("services", &ProtocolOptions::services,
                 "Add src_service and dst_service (ssh, https, ...) beside the ports of TCP, UDP "
                 "and SCTP flows, for ports the services file names.")
            .add("tcp_flags", &ProtocolOptions::tcp_flags,
                 "Add tcp_flags_text: the letters of the set flags, lowest bit first (F S R P A "
                 "U E C N): SYN+ACK is SA.")
            .add("protocols_file", &ProtocolOptions::protocols_file,
                 "Protocol names, read when the enricher is built; built-in names when it "
                 "cannot be read.")
            .add("services_file", &ProtocolOptions::services_file,
                 "Service names, read when the enricher is built; a built-in list of common "
                 "services when it cannot be read.");
    return table;
}

namespace {
constexpr std::uint64_t kNoFlags = 512;  // above every 9-bit flag combination

const std::uint64_t* unsigned_field(const Record& record, FieldName name) noexcept {
    const Value* v = record.find(name);
    return v != nullptr ? std::get_if<std::uint64_t>(v) : nullptr;
}
}  // namespace

bool ProtocolEnricher::enrich(Record& record) noexcept {
    const std::uint64_t* proto = unsigned_field(record, "proto");
    if (proto == nullptr) return true;  // not a flow, or no protocol exported
    const std::uint64_t p = *proto;
    const std::uint64_t* src_port =
        options_.services ? unsigned_field(record, "src_port") : nullptr;
    const std::uint64_t* dst_port =
        options_.services ? unsigned_field(record, "dst_port") : nullptr;
    const std::uint64_t* flags =
        options_.tcp_flags && p == 6 ? unsigned_field(record, "tcp_flags") : nullptr;
    const std::uint64_t sp = src_port != nullptr ? *src_port : 65536;
    const std::uint64_t dp = dst_port != nullptr ? *dst_port : 65536;
    const std::uint64_t f = flags != nullptr ? *flags : kNoFlags;
    try {
        // Pointers into fields are not used after the first add: it may reallocate.
        if (options_.protocols) {
            const std::string& name = names_->protocol(p);
            if (!name.empty()) record.add("proto_name", name);
        }
        if (options_.services) {
            const std::string& src = names_->service(p, sp);
            if (!src.empty()) record.add("src_service", src);
            const std::string& dst = names_->service(p, dp);
            if (!dst.empty()) record.add("dst_service", dst);
        }
        if (f < kNoFlags) record.add("tcp_flags_text", names_->tcp_flags(f));
    } catch (...) {
        // Allocation failed: the record goes on with what it has.
    }
    return true;
}

}  // namespace netfeed::protocol
