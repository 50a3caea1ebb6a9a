// Syslog message -> Record; see syslog_record.hpp.
#include "collectors/syslog/syslog_record.hpp"

#include "collectors/syslog/record_fields.hpp"

namespace netfeed::syslog {

std::string_view to_string(SyslogTransport transport) noexcept {
    switch (transport) {
        case SyslogTransport::udp: return "udp";
        case SyslogTransport::tcp: return "tcp";
        case SyslogTransport::tls: return "tls";
        case SyslogTransport::file: return "file";
    }
    return "udp";
}

Record make_syslog_record(SyslogMessage&& m, SyslogSource source) {
    Record r;
    r.kind = RecordKind::syslog;
    r.received = source.received;
    r.time = m.timestamp.value_or(source.received);
    r.device = std::move(source.device);
    r.device_address = source.address;
    r.fields.reserve(20);
    r.add(field::syslog_format, std::string(to_string(m.format)));
    if (m.version) r.add(field::syslog_version, static_cast<std::uint64_t>(*m.version));
    // Always present (null when unknown) so that consumers can rely on the column.
    r.add(field::severity, m.severity ? Value(static_cast<std::uint64_t>(*m.severity)) : Value());
    r.add(field::severity_name,
          m.severity ? Value(std::string(severity_name(*m.severity))) : Value());
    r.add(field::facility, m.facility ? Value(static_cast<std::uint64_t>(*m.facility)) : Value());
    r.add(field::facility_name,
          m.facility ? Value(std::string(facility_name(*m.facility))) : Value());
    r.add(field::hostname, std::move(m.hostname));
    r.add(field::app_name, std::move(m.app_name));
    if (!m.proc_id.empty()) r.add(field::proc_id, std::move(m.proc_id));
    if (!m.msg_id.empty()) r.add(field::msg_id, std::move(m.msg_id));
    if (m.sequence) r.add(field::sequence, static_cast<std::uint64_t>(*m.sequence));
    if (!m.node.empty()) r.add(field::node, std::move(m.node));
    if (!m.time_sync.empty()) r.add(field::time_sync, std::move(m.time_sync));
    if (!m.cisco_facility.empty()) {
        r.add(field::cisco_facility, std::move(m.cisco_facility));
        if (m.cisco_severity) {
            r.add(field::cisco_severity, static_cast<std::uint64_t>(*m.cisco_severity));
        }
        r.add(field::cisco_mnemonic, std::move(m.cisco_mnemonic));
    }
    if (!m.structured_data.is_null()) r.add(field::structured_data, std::move(m.structured_data));
    r.add(field::message, std::move(m.message));
    if (!m.parse_error.empty()) r.add(field::parse_error, std::move(m.parse_error));
    r.add(field::transport, std::string(to_string(source.transport)));
    if (!source.file.empty()) r.add(field::file, std::move(source.file));
    if (source.truncated) r.add(field::truncated, true);
    if (!m.timestamp) r.add(field::time_from_agent, true);
    return r;
}

}  // namespace netfeed::syslog
