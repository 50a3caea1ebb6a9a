// Self-metrics: counters, gauges and histograms rendered in Prometheus text format on /metrics.
// Handles are created at load time; the hot path only touches relaxed atomics.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace netfeed {

using Labels = std::vector<std::pair<std::string, std::string>>;

class Counter {
  public:
    void inc(std::uint64_t n = 1) noexcept { value_.fetch_add(n, std::memory_order_relaxed); }
    std::uint64_t value() const noexcept { return value_.load(std::memory_order_relaxed); }

  private:
    std::atomic<std::uint64_t> value_{0};
};

class Gauge {
  public:
    void set(double v) noexcept { value_.store(v, std::memory_order_relaxed); }
    double value() const noexcept { return value_.load(std::memory_order_relaxed); }

  private:
    std::atomic<double> value_{0};
};

/// Fixed buckets chosen at creation; observe() is lock-free.
class Histogram {
  public:
    explicit Histogram(std::vector<double> upper_bounds);
    void observe(double v) noexcept;
    const std::vector<double>& bounds() const noexcept { return bounds_; }
    std::uint64_t bucket_count(std::size_t i) const noexcept {
        return counts_[i].load(std::memory_order_relaxed);
    }
    std::uint64_t count() const noexcept { return count_.load(std::memory_order_relaxed); }
    double sum() const noexcept { return sum_.load(std::memory_order_relaxed); }

  private:
    std::vector<double> bounds_;
    std::unique_ptr<std::atomic<std::uint64_t>[]> counts_;
    std::atomic<std::uint64_t> count_{0};
    std::atomic<double> sum_{0};
};

/// Removes a callback gauge when the component that registered it goes away.
class GaugeRegistration {
  public:
    GaugeRegistration() = default;
    explicit GaugeRegistration(std::function<void()> remove) : remove_(std::move(remove)) {}
    GaugeRegistration(GaugeRegistration&& other) noexcept : remove_(std::move(other.remove_)) {
        other.remove_ = nullptr;
    }
    GaugeRegistration& operator=(GaugeRegistration&& other) noexcept {
        reset();
        remove_ = std::move(other.remove_);
        other.remove_ = nullptr;
        return *this;
    }
    ~GaugeRegistration() { reset(); }
    void reset() {
        if (remove_) remove_();
        remove_ = nullptr;
    }

  private:
    std::function<void()> remove_;
};

/// Owns every metric of the process. Asking twice for the same name and labels returns the same
/// object, so counters keep counting across a configuration reload.
class MetricsRegistry {
  public:
    Counter& counter(std::string_view name, std::string_view help, const Labels& labels = {});
    Gauge& gauge(std::string_view name, std::string_view help, const Labels& labels = {});
    Histogram& histogram(std::string_view name, std::string_view help, const Labels& labels,
                         std::vector<double> upper_bounds);
    /// A gauge read when /metrics is scraped (queue depths and the like).
    [[nodiscard]] GaugeRegistration gauge_callback(std::string_view name, std::string_view help,
                                                   const Labels& labels,
                                                   std::function<double()> read);

    /// Sum of a counter over every label set, 0 when it does not exist (tests and summaries).
    std::uint64_t counter_total(std::string_view name) const;
    /// Every label set of a counter with its value (labels rendered as in Prometheus text).
    std::vector<std::pair<std::string, std::uint64_t>> counter_values(std::string_view name) const;
    std::string render_prometheus() const;

  private:
    enum class Type { counter, gauge, histogram };
    struct Family {
        Type type;
        std::string help;
        std::map<std::string, std::unique_ptr<Counter>> counters;  // keyed by rendered labels
        std::map<std::string, std::unique_ptr<Gauge>> gauges;
        std::map<std::string, std::unique_ptr<Histogram>> histograms;
        std::map<std::string, std::pair<std::uint64_t, std::function<double()>>> callbacks;
    };
    Family& family(std::string_view name, std::string_view help, Type type);

    mutable std::mutex mutex_;
    std::map<std::string, Family, std::less<>> families_;
    std::uint64_t next_callback_id_ = 0;
};

/// The instrumentation every component meets (docs/specs/component.md): records received, sent,
/// dropped with a reason, and errors with the stage where they happened.
class ComponentMetrics {
  public:
    /// `stage` is collector, enricher, router or sink; `component` the configured instance name.
    ComponentMetrics(MetricsRegistry& registry, std::string_view stage, std::string_view component,
                     std::string_view type);

    Counter& received() noexcept { return received_; }
    Counter& sent() noexcept { return sent_; }
    /// Look the handle up once and keep it: the lookup takes a lock.
    Counter& dropped(std::string_view reason);
    Counter& errors(std::string_view error_type);
    MetricsRegistry& registry() noexcept { return registry_; }
    /// The base labels stage, component and type, in that order.
    const Labels& labels() const noexcept { return labels_; }
    /// The base labels followed by `extra`: the labels of a plugin's own counter or histogram
    /// (docs/specs/component.md).
    Labels labels_with(const Labels& extra) const;
    const std::string& stage() const noexcept { return labels_[kStage].second; }
    /// The configured instance name ("syslog", "nxapi-tls").
    const std::string& component() const noexcept { return labels_[kComponent].second; }
    /// The plugin type ("syslog", "kafka").
    const std::string& type() const noexcept { return labels_[kType].second; }
    /// {"component", name}: the one base label a plugin's resource gauge (a socket's kernel
    /// drops, open connections) carries (docs/specs/component.md).
    const Labels::value_type& component_label() const noexcept { return labels_[kComponent]; }

  private:
    // Where each base label sits in labels_.
    static constexpr std::size_t kStage = 0;
    static constexpr std::size_t kComponent = 1;
    static constexpr std::size_t kType = 2;

    MetricsRegistry& registry_;
    Labels labels_;
    Counter& received_;
    Counter& sent_;
};

}  // namespace netfeed
