// Protocol, service and flag names on flows; see protocol_enricher.hpp.
#include "enrichers/protocol/protocol_enricher.hpp"

#include "enrichers/protocol/record_schema.hpp"

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
constexpr std::uint64_t kNone = ~0ull;   // the field is absent (or not an unsigned number)
constexpr std::uint64_t kNoFlags = 512;  // above every 9-bit flag combination
}  // namespace

bool ProtocolEnricher::enrich(Record& record) noexcept {
    // One pass over the fields for the four numbers, instead of a scan per name.
    std::uint64_t p = kNone, sp = kNone, dp = kNone, f = kNone;
    for (const Field& field : record.fields) {
        const std::string_view name = field.name.view();
        std::uint64_t* slot = nullptr;
        if (name == "proto") {
            slot = &p;
        } else if (name == "src_port") {
            slot = &sp;
        } else if (name == "dst_port") {
            slot = &dp;
        } else if (name == "tcp_flags") {
            slot = &f;
        } else {
            continue;
        }
        if (const auto* v = std::get_if<std::uint64_t>(&field.value)) *slot = *v;
    }
    if (p == kNone) return true;  // not a flow, or no protocol exported
    if (!options_.services) sp = dp = kNone;
    if (!options_.tcp_flags || p != 6 || f == kNone) f = kNoFlags;
    try {
        record.fields.reserve(record.fields.size() + 4);
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

std::vector<SchemaField> ProtocolEnricher::added_fields() const {
    std::vector<SchemaField> out;
    for (const SchemaField& f : protocol_fields()) {
        const bool on = f.name == "proto_name"       ? options_.protocols
                        : f.name == "tcp_flags_text" ? options_.tcp_flags
                                                     : options_.services;
        if (on) out.push_back(f);
    }
    return out;
}

}  // namespace netfeed::protocol
