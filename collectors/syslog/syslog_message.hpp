// One syslog message as the parsers understand it: the pure result of parsing a line of text,
// before it becomes a Record. Shared by the network receivers and the log file input.
#pragma once

#include <chrono>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

namespace netfeed::syslog {

/// Which grammar matched the line.
enum class SyslogFormat {
    rfc5424,    // <PRI>VERSION TIMESTAMP HOST APP PROCID MSGID [SD] MSG
    rfc3164,    // <PRI>Mmm dd hh:mm:ss HOST TAG[PID]: MSG (BSD)
    cisco_ios,  // <PRI>SEQ: [HOST:] [*|.]Mmm dd hh:mm:ss[.mmm] [TZ]: %FAC-SEV-MNEMONIC: MSG
                // (also IOS-XR "SEQ: [HOST ]NODE:TIMESTAMP : proc[pid]: ..." and ASA/PIX)
    nxos,       // [<PRI>]YYYY Mmm dd hh:mm:ss[.mmm] [TZ] HOST %FAC-SEV-MNEMONIC[ ]: MSG
    juniper,    // BSD header, Junos TAG[PID]: EVENT_ID: MSG
    arista,     // BSD header, EOS agent: SEQ?: %FAC-SEV-MNEMONIC: MSG
    unknown,    // nothing matched: message holds the raw text, parse_error says why
};

std::string_view to_string(SyslogFormat format) noexcept;

/// Names of the RFC 5424 facility and severity codes ("local7", "notice").
std::string_view facility_name(int facility) noexcept;
std::string_view severity_name(int severity) noexcept;

struct SyslogMessage {
    SyslogFormat format = SyslogFormat::unknown;
    /// RFC 5424 VERSION (1..999); absent for every other format.
    std::optional<unsigned> version;
    std::optional<int> facility;  // 0..23, from PRI
    std::optional<int> severity;  // 0..7, from PRI (or the Cisco triplet when there is no PRI)
    /// The message's own time in UTC; absent when the line carries none that parses.
    std::optional<std::chrono::system_clock::time_point> timestamp;
    std::string hostname;
    std::string app_name;  // RFC 5424 APP-NAME, BSD TAG, Junos process, Cisco facility
    std::string proc_id;
    std::string msg_id;  // RFC 5424 MSGID, Junos event id (UI_COMMIT)
    /// RFC 5424 structured data: {"sd-id": {"param": "value", ...}, ...}; a parameter given
    /// more than once becomes an array of its values in order. null when absent.
    nlohmann::json structured_data;
    std::optional<std::uint64_t> sequence;  // Cisco/Arista sequence number ("123:")
    /// IOS-XR node that logged the line ("RP/0/RP0/CPU0", "LC/0/1/CPU0", "0/RP0/ADMIN0").
    std::string node;
    /// Cisco '*' (clock not synchronized) -> "unsynchronized", '.' (sync lost) -> "sync_lost".
    std::string time_sync;
    std::string cisco_facility;  // %FACILITY-SEVERITY-MNEMONIC parts
    std::optional<int> cisco_severity;
    std::string cisco_mnemonic;
    std::string message;
    /// Empty when the line parsed; otherwise why not (the message then holds the raw line).
    std::string parse_error;
};

struct ParseOptions {
    /// When the line was received: formats without a year take the latest year that puts the
    /// timestamp no more than a week after it (a December message received on January 1st is
    /// last year's; a week allows for clocks that run ahead).
    std::chrono::system_clock::time_point received{};
    /// Offset from UTC for timestamps that carry no zone (BSD, most Cisco and NX-OS lines).
    std::chrono::minutes default_utc_offset{0};
};

}  // namespace netfeed::syslog
