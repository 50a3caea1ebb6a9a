// The RFC 5424 syslog grammar: <PRI>VERSION TIMESTAMP HOSTNAME APP-NAME PROCID MSGID SD MSG, with
// every structured-data element and parameter. Pure: a line in, fields out.
#pragma once

#include <string_view>

#include "collectors/syslog/syslog_message.hpp"

namespace netfeed::syslog {

/// Parses `line` (no trailing newline) into `out`.
///
/// Returns false when the line is not RFC 5424 as far as its header goes (no <PRI>, no
/// VERSION of 1 to 3 digits or VERSION 0, a header field missing or empty); out.parse_error
/// then says why, and out holds the PRI's facility and severity when they were valid. A VERSION
/// other than 1 is read with the same header and kept in out.version.
///
/// Returns true when the header parsed. A TIMESTAMP that is not RFC 3339 leaves timestamp
/// empty; broken STRUCTURED-DATA keeps the elements before the break and puts the text from
/// the break on in message. Both set parse_error, so the line is counted yet delivered.
///
/// A NILVALUE ("-") field stays empty; a parameter given twice in an element (or in two
/// elements with the same SD-ID, which RFC 5424 forbids but senders do) becomes an array; a
/// UTF-8 BOM opening MSG is removed. Linear in the line's length; throws only std::bad_alloc.
bool parse_rfc5424(std::string_view line, const ParseOptions& options, SyslogMessage& out);

}  // namespace netfeed::syslog
