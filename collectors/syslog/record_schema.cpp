// The syslog record's fields; see record_schema.hpp (RFC 5424, RFC 3164, vendor formats).
#include "collectors/syslog/record_schema.hpp"

namespace netfeed::syslog {

namespace {

using T = FieldType;

constexpr SchemaField kSyslog[] = {
    {"syslog_format", T::string,
     "rfc5424, rfc3164, cisco_ios (IOS, IOS-XE, IOS-XR, ASA/PIX), nxos, juniper, arista, or "
     "unknown when nothing parsed"},
    {"syslog_version", T::integer, "RFC 5424 VERSION", "", "rfc5424 only"},
    {"severity", T::integer,
     "0 (emergency) to 7 (debug), from PRI, or the Cisco triplet when there is no PRI", "", "",
     true},
    {"severity_name", T::string,
     "emergency, alert, critical, error, warning, notice, informational, debug", "", "", true},
    {"facility", T::integer, "0 to 23, from PRI", "", "", true},
    {"facility_name", T::string, "kern, user, ..., local7", "", "", true},
    {"hostname", T::string, "the host the message names (may differ from device)"},
    {"app_name", T::string,
     "RFC 5424 APP-NAME, BSD tag, Junos process, IOS-XR process, else the Cisco facility"},
    {"proc_id", T::string, "process id", "", "when given"},
    {"msg_id", T::string, "RFC 5424 MSGID, Junos event id (UI_COMMIT)", "", "when given"},
    {"sequence", T::integer, "Cisco/Arista sequence number", "", "when given"},
    {"node", T::string, "IOS-XR node that logged the line (RP/0/RP0/CPU0)", "", "when given"},
    {"time_sync", T::string, "Cisco '*' -> unsynchronized, '.' -> sync_lost", "", "when marked"},
    {"cisco_facility", T::string,
     "FACILITY of %FACILITY-SEVERITY-MNEMONIC (IOS-XR's group stays in it: ROUTING-BGP)", "",
     "when present"},
    {"cisco_severity", T::integer, "SEVERITY of %FACILITY-SEVERITY-MNEMONIC", "", "when present"},
    {"cisco_mnemonic", T::string, "MNEMONIC of %FACILITY-SEVERITY-MNEMONIC", "", "when present"},
    {"structured_data", T::object,
     "RFC 5424 SD: {\"sd-id\": {\"param\": \"value\"}}; a repeated param is an array", "",
     "when the message has SD"},
    {"message", T::string, "the text; the whole raw line when nothing parsed"},
    {"parse_error", T::string, "why the line did not parse", "", "only then"},
    {"transport", T::string, "udp, tcp, tls or file"},
    {"file", T::string, "the log file a line came from", "", "files only"},
    {"truncated", T::boolean, "true: the message was cut at max_message_bytes", "",
     "only when true"},
    {"time_from_agent", T::boolean,
     "true: the line had no usable timestamp and time is the receive time", "", "only when true"},
};

}  // namespace

KindDeclaration syslog_declaration() noexcept {
    return {"collectors/syslog",
            "one record per syslog message (UDP, TCP, TLS or a tailed file); time is the "
            "message's own timestamp in UTC when it has one",
            kSyslog};
}

}  // namespace netfeed::syslog
