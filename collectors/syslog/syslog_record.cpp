// Syslog message -> Record; see syslog_record.hpp.
#include "collectors/syslog/syslog_record.hpp"

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
    r.add("syslog_format", std::string(to_string(m.format)));
    if (m.version) r.add("syslog_version", static_cast<std::uint64_t>(*m.version));
    // Always present (null when unknown) so that consumers can rely on the column.
    r.add("severity", m.severity ? Value(static_cast<std::uint64_t>(*m.severity)) : Value());
    r.add("severity_name",
          m.severity ? Value(std::string(severity_name(*m.severity))) : Value());
    r.add("facility", m.facility ? Value(static_cast<std::uint64_t>(*m.facility)) : Value());
    r.add("facility_name",
          m.facility ? Value(std::string(facility_name(*m.facility))) : Value());
    r.add("hostname", std::move(m.hostname));
    r.add("app_name", std::move(m.app_name));
    if (!m.proc_id.empty()) r.add("proc_id", std::move(m.proc_id));
    if (!m.msg_id.empty()) r.add("msg_id", std::move(m.msg_id));
    if (m.sequence) r.add("sequence", static_cast<std::uint64_t>(*m.sequence));
    if (!m.node.empty()) r.add("node", std::move(m.node));
    if (!m.time_sync.empty()) r.add("time_sync", std::move(m.time_sync));
    if (!m.cisco_facility.empty()) {
        r.add("cisco_facility", std::move(m.cisco_facility));
        if (m.cisco_severity) {
            r.add("cisco_severity", static_cast<std::uint64_t>(*m.cisco_severity));
        }
        r.add("cisco_mnemonic", std::move(m.cisco_mnemonic));
    }
    if (!m.structured_data.is_null()) r.add("structured_data", std::move(m.structured_data));
    r.add("message", std::move(m.message));
    if (!m.parse_error.empty()) r.add("parse_error", std::move(m.parse_error));
    r.add("transport", std::string(to_string(source.transport)));
    if (!source.file.empty()) r.add("file", std::move(source.file));
    if (source.truncated) r.add("truncated", true);
    if (!m.timestamp) r.add("time_from_agent", true);
    return r;
}

}  // namespace netfeed::syslog
