// The pcap input; see pcap_collector.hpp.
#include "collectors/pcap/pcap_collector.hpp"

#include <poll.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <boost/asio/ip/address_v4.hpp>
#include <boost/asio/ip/address_v6.hpp>
#include <boost/asio/ip/udp.hpp>
#include <chrono>
#include <utility>

namespace netfeed::pcap {

namespace {

using steady_clock = std::chrono::steady_clock;

constexpr std::size_t kMaxNoCollectorPorts = 1024;  // kept for the closing log line
constexpr auto kStatsInterval = std::chrono::seconds(1);

Timestamp stamp_of(const pcap_pkthdr& header, bool nanoseconds) {
    const auto fraction =
        nanoseconds ? std::chrono::nanoseconds(header.ts.tv_usec)
                    : std::chrono::nanoseconds(std::chrono::microseconds(header.ts.tv_usec));
    return Timestamp(std::chrono::duration_cast<Clock::duration>(
        std::chrono::seconds(header.ts.tv_sec) + fraction));
}

boost::asio::ip::udp::endpoint endpoint_of(const PacketAddress& address, std::uint16_t port) {
    if (address.is_v6) {
        boost::asio::ip::address_v6::bytes_type bytes;
        std::copy_n(address.bytes.begin(), bytes.size(), bytes.begin());
        return {boost::asio::ip::address_v6(bytes), port};
    }
    boost::asio::ip::address_v4::bytes_type bytes;
    std::copy_n(address.bytes.begin(), bytes.size(), bytes.begin());
    return {boost::asio::ip::address_v4(bytes), port};
}

void on_live_packet(u_char* user, const pcap_pkthdr* header, const u_char* data) {
    reinterpret_cast<PcapCollector*>(user)->on_packet(*header, data);
}

}  // namespace

PcapCollector::PcapCollector(PcapOptions options) : options_(std::move(options)) {}

PcapCollector::~PcapCollector() {
    stop();
}

void PcapCollector::start(CollectorContext& context) {
    context_ = &context;
    stop_ = false;
    counts_ = Counts{};
    first_stamp_.reset();
    for (std::size_t i = 0; i < skip_reason_count; ++i) {
        skipped_[i] = &context.metrics.dropped(skip_reason_name(static_cast<SkipReason>(i)));
    }
    no_collector_ = &context.metrics.dropped("no_collector");
    read_errors_ = &context.metrics.errors(live() ? "capture_failed" : "read_failed");

    if (!live()) {
        handle_.emplace(CaptureHandle::open_file(options_.file.path, options_.filter));
        thread_ = std::thread([this] { run_replay(); });
        return;
    }

    LiveCaptureSettings settings;
    settings.interface = options_.interface;
    settings.filter = options_.filter.value_or("udp");
    settings.snaplen = options_.snaplen;
    settings.promiscuous = options_.promiscuous;
    settings.immediate = options_.immediate;
    settings.buffer_timeout = options_.buffer_timeout;
    settings.buffer_bytes = options_.buffer_bytes;
    handle_.emplace(CaptureHandle::open_live(settings));
    if (!handle_->warning().empty()) {
        context.log->warn("capture on {}: {}", options_.interface, handle_->warning());
    }
    // Non-blocking reads behind poll() with a timeout: stop() never waits on a quiet wire.
    if (pcap_get_selectable_fd(handle_->get()) >= 0) {
        char error[PCAP_ERRBUF_SIZE] = {};
        if (pcap_setnonblock(handle_->get(), 1, error) != 0) {
            context.log->warn(
                "capture on {}: cannot read without blocking ({}); stopping "
                "relies on pcap_breakloop",
                options_.interface, error);
        }
    }
    const Labels labels = {context.metrics.component_label(), {"interface", options_.interface}};
    gauges_.push_back(context.metrics.registry().gauge_callback(
        "netfeed_pcap_kernel_drops",
        "Packets the capture buffer had no room for (libpcap ps_drop, since the capture began)",
        labels, [this] { return static_cast<double>(kernel_drops_.load()); }));
    gauges_.push_back(context.metrics.registry().gauge_callback(
        "netfeed_pcap_interface_drops",
        "Packets the interface or its driver dropped (libpcap ps_ifdrop, since the capture "
        "began)",
        labels, [this] { return static_cast<double>(interface_drops_.load()); }));
    context.log->info("capturing on {} ({}, filter '{}', snaplen {}{})", options_.interface,
                      handle_->link_type_name(), settings.filter, options_.snaplen,
                      options_.promiscuous ? ", promiscuous" : "");
    thread_ = std::thread([this] { run_live(); });
}

void PcapCollector::stop() {
    stop_ = true;
    // Wakes a blocking read at once (libpcap allows it from another thread).
    if (handle_ && live() && thread_.joinable()) pcap_breakloop(handle_->get());
    if (thread_.joinable()) thread_.join();
    gauges_.clear();
    handle_.reset();
}

void PcapCollector::on_packet(const pcap_pkthdr& header, const std::uint8_t* data) {
    CollectorContext& context = *context_;
    ++counts_.packets;
    context.metrics.received().inc();
    const Timestamp received = stamp_of(header, handle_->nanosecond_timestamps());
    const PacketResult result =
        parse_packet(handle_->link_type(), std::span<const std::uint8_t>(data, header.caplen));
    if (const auto* reason = std::get_if<SkipReason>(&result)) {
        const auto index = static_cast<std::size_t>(*reason);
        ++counts_.skipped[index];
        skipped_[index]->inc();
        log_skip(*reason);
        return;
    }
    const auto& datagram = std::get<UdpDatagram>(result);
    // A file can wait for room in the pipeline; a live capture, like a socket, must not.
    if (context.tables.datagrams.deliver(datagram.destination_port, datagram.payload,
                                         endpoint_of(datagram.source, datagram.source_port),
                                         received, !live())) {
        ++counts_.delivered;
        // A capture passes on datagrams, not records, and never through an emitter: the
        // collector that took it counts its records; this counts the hand-over.
        context.metrics.sent().inc();
        return;
    }
    ++counts_.no_collector;
    no_collector_->inc();
    auto& ports = counts_.no_collector_ports;
    if (ports.size() < kMaxNoCollectorPorts || ports.contains(datagram.destination_port)) {
        ++ports[datagram.destination_port];
    }
    std::uint64_t held = 0;
    if (no_collector_log_.allow(held)) {
        context.log->warn(
            "no collector takes UDP port {}: skipping its datagrams (counted as "
            "dropped, reason no_collector; {} more since; listening: {})",
            datagram.destination_port, held, describe_ports());
    }
}

void PcapCollector::log_skip(SkipReason reason) {
    std::uint64_t held = 0;
    switch (reason) {
        case SkipReason::not_ip:
        case SkipReason::not_udp:
            return;  // ordinary traffic on a capture: counted, not worth a line
        case SkipReason::fragment:
            if (fragment_log_.allow(held)) {
                context_->log->info(
                    "skipping a fragmented UDP datagram: fragments are not "
                    "reassembled ({} more since)",
                    held);
            }
            return;
        case SkipReason::truncated:
        case SkipReason::bad_header:
        case SkipReason::unsupported_link:
            if (malformed_log_.allow(held)) {
                context_->log->warn("skipping a packet: {}{} ({} more since)",
                                    skip_reason_name(reason),
                                    reason == SkipReason::truncated
                                        ? live() ? ", cut by the snaplen (raise snaplen)"
                                                 : ", cut by the capture's snaplen"
                                        : "",
                                    held);
            }
            return;
    }
}

bool PcapCollector::wait_for_capture_pace(Timestamp at) {
    const auto now = steady_clock::now();
    if (!first_stamp_) {
        first_stamp_ = at;
        replay_began_ = now;
        return !stop_;
    }
    const auto offset = at - *first_stamp_;
    if (offset <= Clock::duration::zero()) return !stop_;  // out of order: at once
    const auto due = replay_began_ + std::chrono::duration_cast<steady_clock::duration>(
                                         std::chrono::duration<double>(offset) / options_.speed);
    while (!stop_) {
        const auto current = steady_clock::now();
        if (current >= due) return true;
        std::this_thread::sleep_for(
            std::min<steady_clock::duration>(due - current, std::chrono::milliseconds(50)));
    }
    return false;
}

void PcapCollector::run_replay() {
    auto& log = *context_->log;
    const auto began = steady_clock::now();
    const std::string ports = describe_ports();
    log.info("replaying {} ({}, pace {}{}) into UDP ports {}", options_.file.path,
             handle_->link_type_name(), enum_name(options_.pace),
             options_.pace == ReplayPace::capture ? fmt::format(" x{}", options_.speed) : "",
             ports);
    if (context_->tables.datagrams.ports().empty()) {
        log.warn(
            "no collector listens on UDP: every datagram of {} will be skipped (a pcap input "
            "in a config must come after the collectors it feeds)",
            options_.file.path);
    }
    pcap_t* handle = handle_->get();
    bool finished = false;
    while (!stop_) {
        pcap_pkthdr* header = nullptr;
        const u_char* data = nullptr;
        const int status = pcap_next_ex(handle, &header, &data);
        if (status == 1) {
            if (options_.pace == ReplayPace::capture &&
                !wait_for_capture_pace(stamp_of(*header, handle_->nanosecond_timestamps()))) {
                break;
            }
            on_packet(*header, data);
            continue;
        }
        if (status == PCAP_ERROR_BREAK) {  // the end of the file
            finished = true;
            break;
        }
        if (status == PCAP_ERROR) {
            // A capture cut short (a copy in progress, a full disk): keep what was read.
            read_errors_->inc();
            log.error("cannot read {} past packet {}: {}", options_.file.path, counts_.packets,
                      pcap_geterr(handle));
            finished = true;
            break;
        }
    }
    const double seconds = std::chrono::duration<double>(steady_clock::now() - began).count();
    log.info("replay of {} {} after {:.3f}s: {}", options_.file.path, finished ? "done" : "stopped",
             seconds, summary());
    if (finished) context_->input_finished();
}

void PcapCollector::run_live() {
    auto& log = *context_->log;
    pcap_t* handle = handle_->get();
    const int fd = pcap_get_selectable_fd(handle);
    auto next_stats = steady_clock::now() + kStatsInterval;
    while (!stop_) {
        if (fd >= 0) {
            pollfd wait{fd, POLLIN, 0};
            (void)::poll(&wait, 1, 100);
            if (stop_) break;
        }
        const int status =
            pcap_dispatch(handle, 1024, &on_live_packet, reinterpret_cast<u_char*>(this));
        if (status == PCAP_ERROR) {
            // The interface went down or away: say so, and try again while the agent runs.
            read_errors_->inc();
            std::uint64_t held = 0;
            if (read_error_log_.allow(held)) {
                log.error("capture on {} failed: {}; retrying every second ({} more since)",
                          options_.interface, pcap_geterr(handle), held);
            }
            for (int i = 0; i < 20 && !stop_; ++i)
                std::this_thread::sleep_for(std::chrono::milliseconds(50));
        }
        if (steady_clock::now() >= next_stats) {
            read_drop_stats();
            next_stats = steady_clock::now() + kStatsInterval;
        }
    }
    read_drop_stats();
    log.info("capture on {} stopped: {}; libpcap dropped {} (buffer full) and {} (interface)",
             options_.interface, summary(), kernel_drops_.load(), interface_drops_.load());
}

void PcapCollector::read_drop_stats() {
    pcap_stat stats{};
    if (pcap_stats(handle_->get(), &stats) != 0) return;
    kernel_drops_.store(stats.ps_drop);
    interface_drops_.store(stats.ps_ifdrop);
}

std::string PcapCollector::describe_ports() const {
    std::string out;
    for (const auto& [port, name] : context_->tables.datagrams.ports()) {
        out += (out.empty() ? "" : ", ") + std::to_string(port) + " (" + name + ")";
    }
    return out.empty() ? "none" : out;
}

std::string PcapCollector::summary() const {
    std::string out =
        fmt::format("{} packets read, {} datagrams delivered", counts_.packets, counts_.delivered);
    std::string skipped;
    for (std::size_t i = 0; i < skip_reason_count; ++i) {
        if (counts_.skipped[i] == 0) continue;
        skipped += fmt::format("{}{} {}", skipped.empty() ? "" : ", ",
                               skip_reason_name(static_cast<SkipReason>(i)), counts_.skipped[i]);
    }
    if (counts_.no_collector > 0) {
        std::vector<std::pair<std::uint64_t, std::uint16_t>> ports;
        for (const auto& [port, count] : counts_.no_collector_ports)
            ports.emplace_back(count, port);
        std::sort(ports.rbegin(), ports.rend());
        std::string top;
        for (std::size_t i = 0; i < ports.size() && i < 5; ++i) {
            top +=
                fmt::format("{}{}: {}", top.empty() ? "" : ", ", ports[i].second, ports[i].first);
        }
        if (ports.size() > 5) top += ", ...";
        skipped += fmt::format("{}no_collector {} (ports {})", skipped.empty() ? "" : ", ",
                               counts_.no_collector, top);
    }
    return out + ", skipped: " + (skipped.empty() ? "none" : skipped);
}

}  // namespace netfeed::pcap
