// The syslog collector's option tables; see options.hpp.
#include "collectors/syslog/options.hpp"

#include <ctime>

namespace netfeed {

const OptionTable<SyslogUdpOptions>& SyslogUdpOptions::options() {
    static const auto table =
        OptionTable<SyslogUdpOptions>()
            .add("enabled", &SyslogUdpOptions::enabled, "Receive syslog over UDP (RFC 5426).")
            .add("listen", &SyslogUdpOptions::listen,
                 "Addresses and ports to receive on; [::]:PORT for IPv6 (514 needs root or "
                 "CAP_NET_BIND_SERVICE).")
            .add("bind", &SyslogUdpOptions::bind,
                 "Open these sockets. false: take only what a pcap input captures for these "
                 "ports (the agent on a mirror port, not the log destination).")
            .add("max_message_bytes", &SyslogUdpOptions::max_message_bytes,
                 "Longer datagrams are cut to this size and marked truncated.", range(480, 65535))
            .add("receive_buffer_bytes", &SyslogUdpOptions::receive_buffer_bytes,
                 "Socket receive buffer: room for bursts (the kernel may cap it at "
                 "net.core.rmem_max; the granted size is logged).",
                 range(65536, 1 << 30));
    return table;
}

const OptionTable<SyslogTcpOptions>& SyslogTcpOptions::options() {
    static const auto table =
        OptionTable<SyslogTcpOptions>()
            .add("enabled", &SyslogTcpOptions::enabled,
                 "Receive syslog over TCP; octet-counting and newline framing (RFC 6587) are "
                 "told apart per connection.")
            .add("listen", &SyslogTcpOptions::listen, "Addresses and ports to accept on.")
            .add("max_message_bytes", &SyslogTcpOptions::max_message_bytes,
                 "Longer messages are cut to this size and marked truncated.",
                 range(480, 16 << 20))
            .add("max_connections", &SyslogTcpOptions::max_connections,
                 "Connections beyond this are closed at once (counted and logged).",
                 range(1, 1'000'000))
            .add("idle_timeout", &SyslogTcpOptions::idle_timeout,
                 "A connection that sends nothing for this long is closed.");
    return table;
}

const OptionTable<SyslogTlsOptions>& SyslogTlsOptions::options() {
    static const auto table =
        OptionTable<SyslogTlsOptions>()
            .add("enabled", &SyslogTlsOptions::enabled, "Receive syslog over TLS (RFC 5425).")
            .add("listen", &SyslogTlsOptions::listen, "Addresses and ports to accept on.")
            .add("cert_file", &SyslogTlsOptions::cert_file,
                 "Server certificate (PEM, with its chain).", existing_file())
            .add("key_file", &SyslogTlsOptions::key_file, "Private key of the certificate (PEM).",
                 existing_file())
            .add("client_ca_file", &SyslogTlsOptions::client_ca_file,
                 "When set, clients must present a certificate signed by these CAs.",
                 existing_file())
            .add("max_message_bytes", &SyslogTlsOptions::max_message_bytes,
                 "Longer messages are cut to this size and marked truncated.",
                 range(480, 16 << 20))
            .add("max_connections", &SyslogTlsOptions::max_connections,
                 "Connections beyond this are closed at once (counted and logged).",
                 range(1, 1'000'000))
            .add("idle_timeout", &SyslogTlsOptions::idle_timeout,
                 "A connection that sends nothing for this long is closed.")
            .add("handshake_timeout", &SyslogTlsOptions::handshake_timeout,
                 "A TLS handshake that takes longer is abandoned.")
            .check([](const SyslogTlsOptions& o) -> std::optional<std::string> {
                if (o.enabled && (o.cert_file.empty() || o.key_file.empty())) {
                    return "tls needs cert_file and key_file";
                }
                return std::nullopt;
            });
    return table;
}

const OptionTable<SyslogFilesOptions>& SyslogFilesOptions::options() {
    static const auto table =
        OptionTable<SyslogFilesOptions>()
            .add("paths", &SyslogFilesOptions::paths,
                 "Log files to tail, or glob patterns (/var/log/network/*.log). Rotation by "
                 "rename or truncation is followed.")
            .add("start_at_end", &SyslogFilesOptions::start_at_end,
                 "For files already there at the first start: skip their old lines. Files that "
                 "appear later are read from the beginning.")
            .add("state_file", &SyslogFilesOptions::state_file,
                 "Where read positions are kept across restarts. Empty: "
                 "<agent.state_dir>/<collector name>/file-positions.json when agent.state_dir is "
                 "set, else not kept (every start follows start_at_end).")
            .add("poll_interval", &SyslogFilesOptions::poll_interval,
                 "How often the files are checked for new lines.")
            .add("max_line_bytes", &SyslogFilesOptions::max_line_bytes,
                 "Longer lines are cut into pieces of this size.", range(480, 16 << 20));
    return table;
}

std::optional<int> utc_offset_minutes(const std::string& timezone) {
    if (timezone == "UTC" || timezone == "utc" || timezone == "Z") return 0;
    if (timezone == "local") {
        const std::time_t now = std::time(nullptr);
        std::tm local{};
        localtime_r(&now, &local);
        return static_cast<int>(local.tm_gmtoff / 60);
    }
    if (timezone.size() == 6 && (timezone[0] == '+' || timezone[0] == '-') && timezone[3] == ':') {
        const auto digit = [&](std::size_t i) { return timezone[i] >= '0' && timezone[i] <= '9'; };
        if (digit(1) && digit(2) && digit(4) && digit(5)) {
            const int hours = (timezone[1] - '0') * 10 + (timezone[2] - '0');
            const int minutes = (timezone[4] - '0') * 10 + (timezone[5] - '0');
            if (hours <= 14 && minutes < 60) {
                return (timezone[0] == '-' ? -1 : 1) * (hours * 60 + minutes);
            }
        }
    }
    return std::nullopt;
}

const OptionTable<SyslogOptions>& SyslogOptions::options() {
    static const auto table =
        OptionTable<SyslogOptions>()
            .add("udp", &SyslogOptions::udp, "UDP receiver.")
            .add("tcp", &SyslogOptions::tcp, "TCP receiver.")
            .add("tls", &SyslogOptions::tls, "TLS receiver.")
            .add("files", &SyslogOptions::files, "Log files to tail.")
            .add("timezone", &SyslogOptions::timezone,
                 "Zone of timestamps that carry none (BSD, most Cisco lines): UTC, local, or "
                 "an offset such as +02:00.")
            .check([](const SyslogOptions& o) -> std::optional<std::string> {
                if (!utc_offset_minutes(o.timezone)) {
                    return "timezone '" + o.timezone + "' is not UTC, local or +hh:mm";
                }
                if (!o.udp.enabled && !o.tcp.enabled && !o.tls.enabled && o.files.paths.empty()) {
                    return "nothing to receive: enable udp, tcp or tls, or list files";
                }
                return std::nullopt;
            });
    return table;
}

}  // namespace netfeed
