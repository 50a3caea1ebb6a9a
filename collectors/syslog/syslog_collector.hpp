// The syslog collector: UDP, TCP and TLS receivers and log-file tailing, all parsed by the same
// parsers and emitted as syslog records named after the sending device.
#pragma once

#include <atomic>
#include <memory>
#include <thread>
#include <vector>

#include "agent/collector.hpp"
#include "agent/logging.hpp"
#include "collectors/common/datagram_listeners.hpp"
#include "collectors/syslog/options.hpp"
#include "collectors/syslog/stream_server.hpp"
#include "collectors/syslog/syslog_record.hpp"

namespace netfeed::syslog {

class SyslogCollector final : public Collector {
  public:
    explicit SyslogCollector(SyslogOptions options);
    ~SyslogCollector() override;

    std::vector<RecordKind> kinds() const override { return {RecordKind::syslog}; }
    void start(CollectorContext& context) override;
    void stop() override;

  private:
    /// Parses one message and builds its record (device named from the source address).
    Record build(std::string_view text, SyslogSource source);
    void start_udp(CollectorContext& context);
    /// One UDP message, from a socket or a capture.
    void on_datagram(std::span<const std::uint8_t> payload, const IpAddress& from, bool truncated,
                     Timestamp received, bool can_wait);
    void start_streams(CollectorContext& context);
    void run_files(CollectorContext& context);
    static void name_file_record(CollectorContext& context, Record& record,
                                 const std::string& path);
    void count_parse_result(const Record& record);

    SyslogOptions options_;
    CollectorContext* context_ = nullptr;
    int utc_offset_minutes_ = 0;
    DatagramListeners udp_;
    std::vector<GaugeRegistration> gauges_;
    std::unique_ptr<StreamServer> tcp_;
    std::unique_ptr<StreamServer> tls_;
    std::thread files_thread_;
    std::atomic<bool> stopping_{false};
    Counter* parse_errors_ = nullptr;
    Counter* truncated_ = nullptr;
    LogRateLimiter parse_error_log_;
    LogRateLimiter queue_full_log_;
};

}  // namespace netfeed::syslog
