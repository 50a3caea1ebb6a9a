// An open libpcap handle (a capture file or a live interface) with its filter applied, closed
// when it goes away. Opening it is where bad files, interfaces and filters become one clear
// start-up error.
#pragma once

#include <pcap/pcap.h>

#include <optional>
#include <string>

#include "agent/option_values.hpp"

namespace netfeed::pcap {

struct LiveCaptureSettings {
    std::string interface;
    std::string filter;
    int snaplen = 65535;
    bool promiscuous = true;
    bool immediate = false;
    Duration buffer_timeout{100};
    std::size_t buffer_bytes = 16 << 20;
};

class CaptureHandle {
  public:
    /// Opens a .pcap or .pcapng file; `filter`, when given, is compiled for its link type.
    /// Throws std::runtime_error naming the file and libpcap's reason.
    static CaptureHandle open_file(const std::string& path,
                                   const std::optional<std::string>& filter);
    /// Activates a live capture. Throws std::runtime_error naming the interface (or the filter)
    /// and libpcap's reason; a warning libpcap gave while activating is left in warning().
    static CaptureHandle open_live(const LiveCaptureSettings& settings);

    CaptureHandle(CaptureHandle&& other) noexcept;
    CaptureHandle& operator=(CaptureHandle&& other) noexcept;
    CaptureHandle(const CaptureHandle&) = delete;
    CaptureHandle& operator=(const CaptureHandle&) = delete;
    ~CaptureHandle();

    pcap_t* get() const noexcept { return handle_; }
    /// The DLT number pcap_datalink() reports (what parse_packet takes).
    int link_type() const noexcept { return link_type_; }
    /// "EN10MB (Ethernet)", for logs.
    std::string link_type_name() const;
    /// True when packet timestamps carry nanoseconds in tv_usec (else microseconds).
    bool nanosecond_timestamps() const noexcept { return nanoseconds_; }
    const std::string& warning() const noexcept { return warning_; }

  private:
    explicit CaptureHandle(pcap_t* handle) noexcept : handle_(handle) {}
    /// Compiles and sets `filter`, and checks the link type; `what` names the source in errors.
    void prepare(const std::optional<std::string>& filter, const std::string& what);

    pcap_t* handle_ = nullptr;
    int link_type_ = -1;
    bool nanoseconds_ = false;
    std::string warning_;
};

}  // namespace netfeed::pcap
