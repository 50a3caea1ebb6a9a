// Options of the syslog collector: UDP, TCP and TLS receivers and log files, one section each.
#pragma once

#include <string>
#include <vector>

#include "agent/option_table.hpp"

namespace netfeed {

struct SyslogUdpOptions {
    bool enabled = true;
    std::vector<Endpoint> listen{{"0.0.0.0", 5514}};
    bool bind = true;
    std::size_t max_message_bytes = 16384;
    std::size_t receive_buffer_bytes = 8 << 20;
    static const OptionTable<SyslogUdpOptions>& options();
};

struct SyslogTcpOptions {
    bool enabled = true;
    std::vector<Endpoint> listen{{"0.0.0.0", 5514}};
    std::size_t max_message_bytes = 65536;
    std::size_t max_connections = 1000;
    Duration idle_timeout = std::chrono::minutes(10);
    static const OptionTable<SyslogTcpOptions>& options();
};

struct SyslogTlsOptions {
    bool enabled = false;
    std::vector<Endpoint> listen{{"0.0.0.0", 6514}};
    FilePath cert_file;
    FilePath key_file;
    FilePath client_ca_file;
    std::size_t max_message_bytes = 65536;
    std::size_t max_connections = 1000;
    Duration idle_timeout = std::chrono::minutes(10);
    Duration handshake_timeout = std::chrono::seconds(10);
    static const OptionTable<SyslogTlsOptions>& options();
};

struct SyslogFilesOptions {
    std::vector<std::string> paths;
    bool start_at_end = true;
    FilePath state_file;
    Duration poll_interval{250};
    std::size_t max_line_bytes = 65536;
    static const OptionTable<SyslogFilesOptions>& options();
};

struct SyslogOptions {
    SyslogUdpOptions udp;
    SyslogTcpOptions tcp;
    SyslogTlsOptions tls;
    SyslogFilesOptions files;
    std::string timezone = "UTC";
    static const OptionTable<SyslogOptions>& options();
};

/// Minutes east of UTC for `timezone` ("UTC", "local" or "+hh:mm"/"-hh:mm"), or nullopt.
std::optional<int> utc_offset_minutes(const std::string& timezone);

}  // namespace netfeed
