// The syslog record's fields; see record_schema.hpp (RFC 5424, RFC 3164, vendor formats).
#include "collectors/syslog/record_schema.hpp"

#include "collectors/syslog/record_fields.hpp"

namespace netfeed::syslog {

namespace {

using T = FieldType;

constexpr SchemaField kSyslog[] = {
    {field::syslog_format.view(), T::string,
     "rfc5424, rfc3164, cisco_ios (IOS, IOS-XE, IOS-XR, ASA/PIX), nxos, juniper, arista, or "
     "unknown when nothing parsed"},
    {field::syslog_version.view(), T::integer, "RFC 5424 VERSION", "", "rfc5424 only"},
    {field::severity.view(), T::integer,
     "0 (emergency) to 7 (debug), from PRI, or the Cisco triplet when there is no PRI", "", "",
     true},
    {field::severity_name.view(), T::string,
     "emergency, alert, critical, error, warning, notice, informational, debug", "", "", true},
    {field::facility.view(), T::integer, "0 to 23, from PRI", "", "", true},
    {field::facility_name.view(), T::string, "kern, user, ..., local7", "", "", true},
    {field::hostname.view(), T::string, "the host the message names (may differ from device)"},
    {field::app_name.view(), T::string,
     "RFC 5424 APP-NAME, BSD tag, Junos process, IOS-XR process, else the Cisco facility"},
    {field::proc_id.view(), T::string, "process id", "", "when given"},
    {field::msg_id.view(), T::string, "RFC 5424 MSGID, Junos event id (UI_COMMIT)", "",
     "when given"},
    {field::sequence.view(), T::integer, "Cisco/Arista sequence number", "", "when given"},
    {field::node.view(), T::string, "IOS-XR node that logged the line (RP/0/RP0/CPU0)", "",
     "when given"},
    {field::time_sync.view(), T::string, "Cisco '*' -> unsynchronized, '.' -> sync_lost", "",
     "when marked"},
    {field::cisco_facility.view(), T::string,
     "FACILITY of %FACILITY-SEVERITY-MNEMONIC (IOS-XR's group stays in it: ROUTING-BGP)", "",
     "when present"},
    {field::cisco_severity.view(), T::integer, "SEVERITY of %FACILITY-SEVERITY-MNEMONIC", "",
     "when present"},
    {field::cisco_mnemonic.view(), T::string, "MNEMONIC of %FACILITY-SEVERITY-MNEMONIC", "",
     "when present"},
    {field::structured_data.view(), T::object,
     "RFC 5424 SD: {\"sd-id\": {\"param\": \"value\"}}; a repeated param is an array", "",
     "when the message has SD"},
    {field::message.view(), T::string, "the text; the whole raw line when nothing parsed"},
    {field::parse_error.view(), T::string, "why the line did not parse", "", "only then"},
    {field::transport.view(), T::string, "udp, tcp, tls or file"},
    {field::file.view(), T::string, "the log file a line came from", "", "files only"},
    {field::truncated.view(), T::boolean, "true: the message was cut at max_message_bytes", "",
     "only when true"},
    {field::time_from_agent.view(), T::boolean,
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
