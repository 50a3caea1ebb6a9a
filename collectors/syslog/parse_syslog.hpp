// The one entry point every syslog input uses: tells the line's format apart and hands it to
// the parser for it (RFC 5424, Cisco IOS / NX-OS, BSD with Junos and Arista).
#pragma once

#include <string_view>

#include "collectors/syslog/syslog_message.hpp"

namespace netfeed::syslog {

/// Parses one line of any bytes. Never throws; work and memory are linear in the line length.
///
/// A trailing "\n" or "\r\n" and NULs at the end are dropped first. Then, in order:
/// - "<PRI>1 " (or "<PRI>N " followed by an RFC 5424 timestamp) is RFC 5424; another VERSION
///   or a broken header gives format unknown. A Cisco %FACILITY-SEVERITY-MNEMONIC opening MSG
///   (NX-OS and IOS-XE in RFC 5424 mode) fills the cisco_* fields as in their own formats;
/// - a line with a Cisco %FACILITY-SEVERITY-MNEMONIC after a Cisco header is cisco_ios or nxos;
/// - everything else with a valid <PRI> or a BSD timestamp is rfc3164, juniper or arista.
///
/// A line nothing understands has format unknown, message = the line as given (minus the
/// trailing newline), parse_error saying why, and facility and severity when its PRI was valid.
/// A line that parsed only in part (a bad RFC 5424 TIMESTAMP or STRUCTURED-DATA) keeps its
/// format and fields and also has parse_error set.
SyslogMessage parse_syslog(std::string_view line, const ParseOptions& options) noexcept;

}  // namespace netfeed::syslog
