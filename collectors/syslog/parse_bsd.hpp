// BSD syslog (RFC 3164) as Linux, Juniper Junos and Arista EOS send it:
// <PRI>Mmm dd hh:mm:ss [HOST] TAG[PID]: text, with the vendors' own fields picked out of the text.
#pragma once

#include <string_view>

#include "collectors/syslog/syslog_message.hpp"

namespace netfeed::syslog {

/// Parses `line` (no trailing newline) into `out`; returns false, leaving `out` as it was, for
/// a malformed <PRI> and for a line with neither a <PRI> nor a BSD timestamp.
///
/// - The header timestamp is "Mmm dd hh:mm:ss[.frac]", optionally with a year before the clock
///   (Cisco, ASA) or after it (Junos `time-format year`), "yyyy Mmm dd hh:mm:ss[.frac]", or
///   RFC 3339 (rsyslog's forwarding format, Arista's high-resolution timestamps); a ':' glued
///   to its end ("Jul 19 2023 07:01:02: ...") is skipped, as rsyslog does.
/// - A line with a valid <PRI> but no such timestamp is still rfc3164: a first word shaped like
///   a TAG ending in ':' ("<30>dhclient: text", "<30>dhclient[77]: text") is the TAG, as
///   rsyslog reads it, unless it is a bare number; otherwise, as RFC 3164 section 4.3.2 has a
///   relay do, everything after the PRI is the message. Neither sets parse_error.
/// - HOSTNAME is omitted by local syslog(3) ("<13>Nov 23 01:02:03 app[42]: text"): a first word
///   shaped like a TAG ("name:", "name[pid]:") is taken as the TAG.
/// - juniper: the text opens with a Junos event id ("UI_COMMIT: ...", msg_id), or with
///   `explicit-priority`'s "%FACILITY-SEVERITY-EVENT_ID: " after a TAG with a pid.
/// - arista: the text opens with an optional sequence number and a Cisco-style
///   "%FACILITY-SEVERITY-MNEMONIC: " ("Ebra: 2345: %LINEPROTO-5-UPDOWN: ...").
/// Linear in the line length; throws only std::bad_alloc.
bool parse_bsd(std::string_view line, const ParseOptions& options, SyslogMessage& out);

}  // namespace netfeed::syslog
