// Turns a parsed syslog message into the agent's Record (fields in docs/records.md).
#pragma once

#include <string>

#include "agent/record.hpp"
#include "collectors/syslog/syslog_message.hpp"

namespace netfeed::syslog {

enum class SyslogTransport { udp, tcp, tls, file };

struct SyslogSource {
    SyslogTransport transport = SyslogTransport::udp;
    std::string device;
    IpAddress address{};
    std::string file;  // for lines read from a log file
    bool truncated = false;
    Timestamp received{};
};

std::string_view to_string(SyslogTransport transport) noexcept;

Record make_syslog_record(SyslogMessage&& message, SyslogSource source);

}  // namespace netfeed::syslog
