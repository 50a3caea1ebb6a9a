// Names for the numbers in a flow: IP protocols, TCP/UDP/SCTP ports, TCP flags. Pure tables built
// once from /etc/protocols and /etc/services text (with built-in fallbacks), then read-only.
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace netfeed::protocol {

/// Parses /etc/protocols text: "name number aliases # comment" lines.
std::vector<std::pair<int, std::string>> parse_protocols(std::string_view text);
/// Parses /etc/services text: "name port/proto aliases # comment" lines.
struct ServiceEntry {
    std::string name;
    std::uint16_t port = 0;
    std::string protocol;  // tcp, udp, sctp, ...
};
std::vector<ServiceEntry> parse_services(std::string_view text);

/// Letters of the set TCP flags, lowest bit first: F S R P A U E C, then N for the ECN nonce
/// bit (0x100) of a 2-byte tcpControlBits; SYN+ACK is "SA", no flags is "".
std::string tcp_flags_text(std::uint16_t flags);

class ProtocolNames {
  public:
    /// Builds from the given texts; an empty text uses the built-in table.
    ProtocolNames(std::string_view protocols_text, std::string_view services_text);

    /// "" when unknown.
    const std::string& protocol(std::uint64_t number) const noexcept;
    /// The service on `port` for IP protocol `proto` (6 tcp, 17 udp, 132 sctp); "" when unknown.
    const std::string& service(std::uint64_t proto, std::uint64_t port) const noexcept;
    const std::string& tcp_flags(std::uint64_t flags) const noexcept;

    std::size_t service_count() const noexcept { return service_count_; }

  private:
    std::array<std::string, 256> protocols_;
    // One vector of 65536 names per transport; empty vectors for transports with no entries.
    std::vector<std::string> tcp_, udp_, sctp_;
    std::array<std::string, 512> flags_;
    std::size_t service_count_ = 0;
    static const std::string kEmpty;
};

/// Reads a whole file; "" when it cannot be read.
std::string read_text_file(const std::string& path);

/// The fallback tables, used when /etc/protocols or /etc/services is missing.
std::string_view builtin_protocols();
std::string_view builtin_services();

}  // namespace netfeed::protocol
