// The syslog collector; see syslog_collector.hpp.
#include "collectors/syslog/syslog_collector.hpp"

#include <fmt/ranges.h>
#include <spdlog/spdlog.h>

#include <boost/asio/ssl/context.hpp>
#include <filesystem>

#include "collectors/common/emit_decoded.hpp"
#include "collectors/syslog/file_tailer.hpp"
#include "collectors/syslog/parse_syslog.hpp"
#include "collectors/syslog/plugin.hpp"
#include "collectors/syslog/record_fields.hpp"
#include "collectors/syslog/record_schema.hpp"

namespace netfeed::syslog {

namespace {

std::shared_ptr<boost::asio::ssl::context> make_tls_context(const SyslogTlsOptions& o) {
    namespace ssl = boost::asio::ssl;
    auto context = std::make_shared<ssl::context>(ssl::context::tls_server);
    context->set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 |
                         ssl::context::no_sslv3 | ssl::context::no_tlsv1 |
                         ssl::context::no_tlsv1_1 | ssl::context::single_dh_use);
    boost::system::error_code ec;
    context->use_certificate_chain_file(o.cert_file.path, ec);
    if (ec) {
        throw std::runtime_error("syslog tls: cannot use cert_file " + o.cert_file.path + ": " +
                                 ec.message());
    }
    context->use_private_key_file(o.key_file.path, ssl::context::pem, ec);
    if (ec) {
        throw std::runtime_error("syslog tls: cannot use key_file " + o.key_file.path + ": " +
                                 ec.message());
    }
    if (!o.client_ca_file.empty()) {
        context->load_verify_file(o.client_ca_file.path, ec);
        if (ec) {
            throw std::runtime_error("syslog tls: cannot use client_ca_file " +
                                     o.client_ca_file.path + ": " + ec.message());
        }
        context->set_verify_mode(ssl::verify_peer | ssl::verify_fail_if_no_peer_cert);
    }
    return context;
}

}  // namespace

SyslogCollector::SyslogCollector(SyslogOptions options)
    : options_(std::move(options)), utc_offset_minutes_(*utc_offset_minutes(options_.timezone)) {}

SyslogCollector::~SyslogCollector() {
    stop();
}

Record SyslogCollector::build(std::string_view text, SyslogSource source) {
    ParseOptions parse;
    parse.received = source.received;
    parse.default_utc_offset = std::chrono::minutes(utc_offset_minutes_);
    Record record = make_syslog_record(parse_syslog(text, parse), std::move(source));
    count_parse_result(record);
    return record;
}

void SyslogCollector::count_parse_result(const Record& record) {
    const Value* error = record.find("parse_error");
    if (error == nullptr) return;
    // Delivered all the same, with its raw text: an operator still sees it, and the count says
    // how much of it the parsers do not understand.
    parse_errors_->inc();
    std::uint64_t held = 0;
    if (parse_error_log_.allow(held)) {
        const Value* message = record.find(field::message);
        std::string sample = message ? value_to_text(*message) : std::string();
        if (sample.size() > 120) sample = sample.substr(0, 120) + "...";
        context_->log->info(
            "a message from {} did not parse ({}); delivered raw: {} ({} more "
            "since)",
            record.device, value_to_text(*error), sample, held);
    }
}

void SyslogCollector::start(CollectorContext& context) {
    context_ = &context;
    stopping_ = false;
    parse_errors_ = &context.metrics.errors("parse_error");
    truncated_ = &context.metrics.errors("truncated");
    try {
        if (options_.udp.enabled) start_udp(context);
        if (options_.tcp.enabled || options_.tls.enabled) start_streams(context);
    } catch (...) {
        stop();
        throw;
    }
    if (!options_.files.paths.empty()) {
        files_thread_ = std::thread([this, &context] { run_files(context); });
    }
}

void SyslogCollector::on_datagram(std::span<const std::uint8_t> payload, const IpAddress& from,
                                  bool truncated, Timestamp received, bool can_wait) {
    CollectorContext& context = *context_;
    context.metrics.received().inc();
    SyslogSource source;
    source.transport = SyslogTransport::udp;
    source.address = from;
    source.device = context.devices.name_for(from);
    source.truncated = truncated;
    source.received = received;
    Record record =
        build(std::string_view(reinterpret_cast<const char*>(payload.data()), payload.size()),
              std::move(source));
    // A replayed capture waits for room; a socket (or a live capture) must not, so it drops.
    if (can_wait ? context.emitter.emit(record) : context.emitter.try_emit(record)) return;
    if (can_wait) return;  // the agent is stopping: counted as dropped (stopping) by emit
    warn_pipeline_full(context, queue_full_log_, "syslog messages");
}

void SyslogCollector::start_udp(CollectorContext& context) {
    DatagramListenSpec spec;
    spec.collector = "syslog";
    spec.bind = options_.udp.bind;
    spec.receive_buffer_bytes = options_.udp.receive_buffer_bytes;
    spec.max_datagram_bytes = options_.udp.max_message_bytes;
    // RFC 5424 6.1: a receiver should cut a message longer than it supports rather than drop it.
    spec.deliver_truncated = true;
    spec.truncated = truncated_;
    udp_.open(context, options_.udp.listen, spec, [this](const Datagram& d) {
        on_datagram(d.payload, d.from.address(), d.truncated, d.received, d.can_wait);
    });
}

void SyslogCollector::start_streams(CollectorContext& context) {
    auto& m = context.metrics;
    Counter* cut = truncated_;
    const auto counters = [&m, cut](const std::string& transport) {
        const auto counter = [&](const std::string& name, const std::string& help) -> Counter& {
            return m.registry().counter(name, help, m.labels_with({{"transport", transport}}));
        };
        return StreamServer::Counters{
            counter("netfeed_syslog_connections_total", "Connections accepted"),
            counter("netfeed_syslog_connections_refused_total",
                    "Connections closed at once because max_connections was reached"),
            counter("netfeed_syslog_idle_timeouts_total", "Connections closed for idleness"),
            counter("netfeed_syslog_handshake_failures_total", "TLS handshakes that failed"),
            // Counted as on UDP: one component counter for every transport.
            *cut,
            counter("netfeed_syslog_framing_errors_total",
                    "Octet-counting headers that made no sense (read on as newline framed)")};
    };
    const auto make = [&](SyslogTransport transport, const auto& o,
                          std::shared_ptr<boost::asio::ssl::context> tls) {
        StreamServer::Settings settings;
        settings.listen = o.listen;
        settings.max_message_bytes = o.max_message_bytes;
        settings.max_connections = o.max_connections;
        settings.idle_timeout = o.idle_timeout;
        settings.tls = std::move(tls);
        if constexpr (std::is_same_v<std::decay_t<decltype(o)>, SyslogTlsOptions>) {
            settings.handshake_timeout = o.handshake_timeout;
        }
        auto server = std::make_unique<StreamServer>(
            context.io, settings,
            [this, &context, transport](std::string_view message, const IpAddress& peer,
                                        bool truncated) {
                SyslogSource source;
                source.transport = transport;
                source.address = peer;
                source.device = context.devices.name_for(peer);
                source.truncated = truncated;
                source.received = Clock::now();
                Record record = build(message, std::move(source));
                // A refusal is not a loss: the connection waits and offers the message again.
                if (!context.emitter.offer(record)) return false;
                context.metrics.received().inc();
                return true;
            },
            counters(std::string(to_string(transport))), context.log);
        server->start();
        const auto ports = server->ports();
        for (std::size_t i = 0; i < ports.size(); ++i) {
            context.log->info("syslog: accepting {} on {}", to_string(transport),
                              Endpoint{o.listen[i].host, ports[i]}.to_string());
        }
        return server;
    };
    if (options_.tcp.enabled) tcp_ = make(SyslogTransport::tcp, options_.tcp, nullptr);
    if (options_.tls.enabled) {
        tls_ = make(SyslogTransport::tls, options_.tls, make_tls_context(options_.tls));
    }
    gauges_.push_back(m.registry().gauge_callback(
        "netfeed_syslog_connections", "Open TCP and TLS syslog connections", {m.component_label()},
        [this] {
            return static_cast<double>((tcp_ ? tcp_->connections() : 0) +
                                       (tls_ ? tls_->connections() : 0));
        }));
}

namespace {
// Thrown from the line handler when the agent stops: the tailer rewinds to just before the line,
// so the saved position keeps it (and everything after it) for the next start.
struct StopReading {};
}  // namespace

void SyslogCollector::run_files(CollectorContext& context) {
    FileTailerOptions tailer_options;
    tailer_options.paths = options_.files.paths;
    tailer_options.start_at_end = options_.files.start_at_end;
    tailer_options.state_file = options_.files.state_file.path;
    if (tailer_options.state_file.empty() && !context.state_dir.empty()) {
        // agent.state_dir is set: positions are kept there unless files.state_file says where.
        tailer_options.state_file =
            (std::filesystem::path(context.state_dir) / "file-positions.json").string();
        std::error_code ec;
        std::filesystem::create_directories(context.state_dir, ec);
        if (ec) context.log->warn("syslog: cannot create {}: {}", context.state_dir, ec.message());
    }
    tailer_options.max_line_bytes = options_.files.max_line_bytes;
    // Keep a rotated file open about a second, whatever the poll interval, for the writer's
    // last lines.
    const auto interval = std::max<Duration::rep>(options_.files.poll_interval.count(), 1);
    tailer_options.rotate_wait_polls =
        static_cast<unsigned>(std::max<Duration::rep>(4, 1000 / interval));
    FileTailer tailer(tailer_options);
    const auto log_notices = [&] {
        for (const auto& notice : tailer.take_notices()) {
            context.log->info("syslog files: {}", notice);
        }
    };
    log_notices();
    context.log->info(
        "syslog: tailing {}, positions in {}", fmt::join(options_.files.paths, ", "),
        tailer_options.state_file.empty() ? std::string("memory only") : tailer_options.state_file);
    const auto on_line = [&](std::string_view line, const std::string& path) {
        SyslogSource source;
        source.transport = SyslogTransport::file;
        source.file = path;
        source.received = Clock::now();
        Record record = build(line, std::move(source));
        name_file_record(context, record, path);
        // Waiting here is the backpressure for files: the position moves on only once the
        // pipeline took the line.
        if (!context.emitter.emit(record)) throw StopReading{};
        context.metrics.received().inc();
    };
    auto next_save = std::chrono::steady_clock::now();
    while (!stopping_.load()) {
        try {
            tailer.poll(on_line);
        } catch (const StopReading&) {
            break;
        }
        log_notices();
        // Saving costs an fsync when something moved: about once a second is enough, since a
        // graceful stop saves again below.
        if (std::chrono::steady_clock::now() >= next_save) {
            tailer.save_state();
            next_save = std::chrono::steady_clock::now() + std::chrono::seconds(1);
        }
        const auto until = std::chrono::steady_clock::now() + options_.files.poll_interval;
        while (!stopping_.load() && std::chrono::steady_clock::now() < until) {
            std::this_thread::sleep_for(std::chrono::milliseconds(10));
        }
    }
    tailer.save_state();
    log_notices();
}

void SyslogCollector::name_file_record(CollectorContext& context, Record& record,
                                       const std::string& path) {
    // A file line names its device by the hostname in it (or the file's name).
    const Value* hostname = record.find("hostname");
    const std::string name = hostname ? value_to_text(*hostname) : std::string();
    const auto snapshot = context.devices.snapshot();
    const Device* device = snapshot->by_name(name);
    if (device == nullptr && !name.empty()) {
        boost::system::error_code ec;
        const auto address = boost::asio::ip::make_address(name, ec);
        if (!ec) device = snapshot->by_address(address);
    }
    if (device != nullptr) {
        record.device = device->name;
        record.device_address = device->address;
    } else {
        record.device = name.empty() ? std::filesystem::path(path).stem().string() : name;
    }
}

void SyslogCollector::stop() {
    stopping_ = true;
    udp_.close();
    if (tcp_) tcp_->stop();
    if (tls_) tls_->stop();
    if (files_thread_.joinable()) files_thread_.join();
    gauges_.clear();
    tcp_.reset();
    tls_.reset();
}

void register_syslog_collector(PluginRegistry& registry) {
    registry.add_record_fields("syslog", syslog_declaration());
    registry.add_collector<SyslogOptions>(
        "syslog",
        "Syslog over UDP, TCP and TLS, and log files; RFC 5424, RFC 3164, Cisco IOS "
        "and NX-OS, Juniper and Arista lines.",
        [](const SyslogOptions& options, const BuildContext&) {
            return std::make_unique<SyslogCollector>(options);
        });
}

}  // namespace netfeed::syslog
