// Cisco syslog lines: IOS, IOS-XE, IOS-XR and ASA ("<PRI>SEQ: [HOST:] [*|.]Mmm dd hh:mm:ss TZ:
// %FAC-SEV-MNEMONIC: text") and NX-OS ("[<PRI>]yyyy Mmm dd hh:mm:ss [TZ] HOST %FAC-SEV-MNEMONIC").
#pragma once

#include <string_view>

#include "collectors/syslog/syslog_message.hpp"

namespace netfeed::syslog {

/// The parts of "%FACILITY[-SUBFACILITY]-SEVERITY-MNEMONIC" (views into the line).
struct CiscoTriplet {
    std::string_view facility;  // "SYS", "SEC_LOGIN", "ROUTING-BGP"
    int severity = 0;           // 0..7
    std::string_view mnemonic;  // "CONFIG_I"
};

/// Reads a triplet at the start of `in` and the ':' after it (spaces before the ':' allowed, as
/// NX-OS and IOS-XR print them; the end of the line does too), then the spaces that follow.
/// The severity is the first dash-separated part that is a single digit 0..7 with a facility
/// before it, so facilities that contain dashes or underscores keep them. Consumes nothing when
/// it returns false.
bool read_cisco_triplet(std::string_view& in, CiscoTriplet& triplet) noexcept;

/// Parses `line` (no trailing newline) into `out` when it is a Cisco line, which always
/// carries a %FACILITY[-SUBFACILITY]-SEVERITY-MNEMONIC; returns false and leaves `out` as it
/// was otherwise. Understood, each with or without <PRI>:
///   IOS:    [N: ][HOST: ][N: ][*|.]Mmm dd [yyyy ]hh:mm:ss[.fff][ TZ]: %FAC-SEV-MNEM: text
///           (the timestamp may also be an uptime such as "1d02h" or missing altogether)
///   IOS-XR: [N: ][HOST ]NODE:Mmm dd hh:mm:ss.fff[ TZ] : process[pid]: %FAC-SUB-SEV-MNEM : text
///           (node "RP/0/RP0/CPU0", "LC/0/1/CPU0", "0/RP0/ADMIN0" kept in `node`; a line
///           with node, clock and process but no triplet, as XR debug output is, is read too)
///   ASA/PIX: Mmm dd [yyyy ]hh:mm:ss HOST[ ]: %ASA-SEV-ID: text   (also PIX, FWSM, FTD)
///   relayed: Mmm dd hh:mm:ss HOST N: <IOS as above>   (a BSD header put in front; the header
///           may also be RFC 3339, as rsyslog and syslog-ng write it)
///   NX-OS:  [HOST: |: ]yyyy Mmm dd hh:mm:ss[.fff] [TZ][:] [HOST ]%FAC-SEV-MNEM[ ]: text
///           and the older year-less "Mmm dd hh:mm:ss HOST %FAC-SEV-MNEM: text"
/// When IOS prints two numbers (the message counter, then `service sequence-numbers`), the
/// second one is the sequence. Severity comes from the PRI, or from the triplet when there is
/// no PRI. app_name is the Cisco facility (the process, for IOS-XR). Linear in the line length.
bool parse_cisco(std::string_view line, const ParseOptions& options, SyslogMessage& out);

}  // namespace netfeed::syslog
