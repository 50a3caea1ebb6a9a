// Opening libpcap handles; see capture_handle.hpp.
#include "collectors/pcap/capture_handle.hpp"

#include <stdexcept>
#include <utility>

#include "collectors/pcap/parse_packet.hpp"

namespace netfeed::pcap {

namespace {

std::string link_name(int link_type) {
    const char* name = pcap_datalink_val_to_name(link_type);
    const char* description = pcap_datalink_val_to_description(link_type);
    std::string out = name != nullptr ? name : "DLT " + std::to_string(link_type);
    if (description != nullptr) out += std::string(" (") + description + ")";
    return out;
}

}  // namespace

CaptureHandle CaptureHandle::open_file(const std::string& path,
                                       const std::optional<std::string>& filter) {
    char error[PCAP_ERRBUF_SIZE] = {};
    pcap_t* raw =
        pcap_open_offline_with_tstamp_precision(path.c_str(), PCAP_TSTAMP_PRECISION_NANO, error);
    if (raw == nullptr) {
        throw std::runtime_error("cannot read capture " + path + ": " + error +
                                 " (netfeed reads .pcap and .pcapng files)");
    }
    CaptureHandle handle(raw);
    handle.nanoseconds_ = pcap_get_tstamp_precision(raw) == PCAP_TSTAMP_PRECISION_NANO;
    handle.prepare(filter, "capture " + path);
    return handle;
}

CaptureHandle CaptureHandle::open_live(const LiveCaptureSettings& settings) {
    const std::string what = "interface '" + settings.interface + "'";
    char error[PCAP_ERRBUF_SIZE] = {};
    pcap_t* raw = pcap_create(settings.interface.c_str(), error);
    if (raw == nullptr) throw std::runtime_error("cannot capture on " + what + ": " + error);
    CaptureHandle handle(raw);
    pcap_set_snaplen(raw, settings.snaplen);
    pcap_set_promisc(raw, settings.promiscuous ? 1 : 0);
    pcap_set_timeout(raw, static_cast<int>(settings.buffer_timeout.count()));
    pcap_set_immediate_mode(raw, settings.immediate ? 1 : 0);
    pcap_set_buffer_size(raw, static_cast<int>(settings.buffer_bytes));
    // Not every device offers nanoseconds; the precision granted is asked for below.
    (void)pcap_set_tstamp_precision(raw, PCAP_TSTAMP_PRECISION_NANO);
    const int status = pcap_activate(raw);
    if (status < 0) {
        std::string reason = pcap_statustostr(status);
        const std::string detail = pcap_geterr(raw);
        if (!detail.empty() && detail != reason) reason += " (" + detail + ")";
        if (status == PCAP_ERROR_PERM_DENIED || status == PCAP_ERROR_PROMISC_PERM_DENIED) {
            reason += "; run as root or grant CAP_NET_RAW, as the shipped systemd unit does";
        }
        throw std::runtime_error("cannot capture on " + what + ": " + reason);
    }
    if (status > 0) {
        handle.warning_ = std::string(pcap_statustostr(status)) + ": " + pcap_geterr(raw);
    }
    handle.nanoseconds_ = pcap_get_tstamp_precision(raw) == PCAP_TSTAMP_PRECISION_NANO;
    handle.prepare(settings.filter, what);
    return handle;
}

void CaptureHandle::prepare(const std::optional<std::string>& filter, const std::string& what) {
    link_type_ = pcap_datalink(handle_);
    if (!link_type_supported(link_type_)) {
        throw std::runtime_error(what + " has link type " + link_name(link_type_) +
                                 ", which netfeed cannot read (it reads Ethernet, Linux cooked "
                                 "SLL and SLL2, raw IP and BSD loopback)");
    }
    if (!filter || filter->empty()) return;
    bpf_program program{};
    if (pcap_compile(handle_, &program, filter->c_str(), 1, PCAP_NETMASK_UNKNOWN) != 0) {
        throw std::runtime_error("BPF filter '" + *filter + "' for " + what +
                                 " is invalid: " + pcap_geterr(handle_));
    }
    const int set = pcap_setfilter(handle_, &program);
    pcap_freecode(&program);
    if (set != 0) {
        throw std::runtime_error("cannot apply BPF filter '" + *filter + "' to " + what + ": " +
                                 pcap_geterr(handle_));
    }
}

std::string CaptureHandle::link_type_name() const {
    return link_name(link_type_);
}

CaptureHandle::CaptureHandle(CaptureHandle&& other) noexcept
    : handle_(std::exchange(other.handle_, nullptr)),
      link_type_(other.link_type_),
      nanoseconds_(other.nanoseconds_),
      warning_(std::move(other.warning_)) {}

CaptureHandle& CaptureHandle::operator=(CaptureHandle&& other) noexcept {
    if (this != &other) {
        if (handle_ != nullptr) pcap_close(handle_);
        handle_ = std::exchange(other.handle_, nullptr);
        link_type_ = other.link_type_;
        nanoseconds_ = other.nanoseconds_;
        warning_ = std::move(other.warning_);
    }
    return *this;
}

CaptureHandle::~CaptureHandle() {
    if (handle_ != nullptr) pcap_close(handle_);
}

}  // namespace netfeed::pcap
