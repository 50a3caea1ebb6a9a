// Metric storage and Prometheus text rendering; see metrics.hpp.
#include "agent/metrics.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>

namespace netfeed {

Histogram::Histogram(std::vector<double> upper_bounds) : bounds_(std::move(upper_bounds)) {
    std::sort(bounds_.begin(), bounds_.end());
    counts_ = std::make_unique<std::atomic<std::uint64_t>[]>(bounds_.size() + 1);
}

void Histogram::observe(double v) noexcept {
    const auto it = std::lower_bound(bounds_.begin(), bounds_.end(), v);
    counts_[static_cast<std::size_t>(it - bounds_.begin())].fetch_add(1, std::memory_order_relaxed);
    count_.fetch_add(1, std::memory_order_relaxed);
    double old = sum_.load(std::memory_order_relaxed);
    while (!sum_.compare_exchange_weak(old, old + v, std::memory_order_relaxed)) {
    }
}

namespace {

std::string escape_label(std::string_view v) {
    std::string out;
    out.reserve(v.size());
    for (char c : v) {
        if (c == '\\' || c == '"') {
            out.push_back('\\');
            out.push_back(c);
        } else if (c == '\n') {
            out.append("\\n");
        } else {
            out.push_back(c);
        }
    }
    return out;
}

std::string render_labels(const Labels& labels) {
    if (labels.empty()) return {};
    std::string out = "{";
    for (std::size_t i = 0; i < labels.size(); ++i) {
        if (i) out.push_back(',');
        out += labels[i].first;
        out += "=\"";
        out += escape_label(labels[i].second);
        out += '"';
    }
    out += '}';
    return out;
}

// Adds one label to an already rendered label set ("{a=\"b\"}" + le -> "{a=\"b\",le=\"1\"}").
std::string with_label(const std::string& rendered, std::string_view name, std::string_view value) {
    std::string extra = std::string(name) + "=\"" + std::string(value) + "\"";
    if (rendered.empty()) return "{" + extra + "}";
    return rendered.substr(0, rendered.size() - 1) + "," + extra + "}";
}

std::string number_text(double v) {
    if (std::isinf(v)) return v > 0 ? "+Inf" : "-Inf";
    if (std::isnan(v)) return "NaN";
    char buffer[64];
    auto r = std::to_chars(buffer, buffer + sizeof buffer, v);
    return std::string(buffer, r.ptr);
}

}  // namespace

MetricsRegistry::Family& MetricsRegistry::family(std::string_view name, std::string_view help,
                                                 Type type) {
    auto it = families_.find(name);
    if (it == families_.end()) {
        it = families_.emplace(std::string(name), Family{type, std::string(help), {}, {}, {}, {}})
                 .first;
    }
    return it->second;
}

Counter& MetricsRegistry::counter(std::string_view name, std::string_view help,
                                  const Labels& labels) {
    std::lock_guard lock(mutex_);
    auto& slot = family(name, help, Type::counter).counters[render_labels(labels)];
    if (!slot) slot = std::make_unique<Counter>();
    return *slot;
}

Gauge& MetricsRegistry::gauge(std::string_view name, std::string_view help, const Labels& labels) {
    std::lock_guard lock(mutex_);
    auto& slot = family(name, help, Type::gauge).gauges[render_labels(labels)];
    if (!slot) slot = std::make_unique<Gauge>();
    return *slot;
}

Histogram& MetricsRegistry::histogram(std::string_view name, std::string_view help,
                                      const Labels& labels, std::vector<double> upper_bounds) {
    std::lock_guard lock(mutex_);
    auto& slot = family(name, help, Type::histogram).histograms[render_labels(labels)];
    if (!slot) slot = std::make_unique<Histogram>(std::move(upper_bounds));
    return *slot;
}

GaugeRegistration MetricsRegistry::gauge_callback(std::string_view name, std::string_view help,
                                                  const Labels& labels,
                                                  std::function<double()> read) {
    std::lock_guard lock(mutex_);
    const std::string key = render_labels(labels);
    const std::uint64_t id = ++next_callback_id_;
    family(name, help, Type::gauge).callbacks[key] = {id, std::move(read)};
    std::string family_name(name);
    return GaugeRegistration([this, family_name, key, id] {
        std::lock_guard inner(mutex_);
        auto it = families_.find(family_name);
        if (it == families_.end()) return;
        auto cb = it->second.callbacks.find(key);
        // A newer component may have registered the same gauge since: only remove our own.
        if (cb != it->second.callbacks.end() && cb->second.first == id) {
            it->second.callbacks.erase(cb);
        }
    });
}

std::uint64_t MetricsRegistry::counter_total(std::string_view name) const {
    std::lock_guard lock(mutex_);
    auto it = families_.find(name);
    if (it == families_.end()) return 0;
    std::uint64_t total = 0;
    for (const auto& [labels, c] : it->second.counters)
        total += c->value();
    return total;
}

std::vector<std::pair<std::string, std::uint64_t>> MetricsRegistry::counter_values(
    std::string_view name) const {
    std::lock_guard lock(mutex_);
    std::vector<std::pair<std::string, std::uint64_t>> out;
    auto it = families_.find(name);
    if (it == families_.end()) return out;
    for (const auto& [labels, c] : it->second.counters)
        out.emplace_back(labels, c->value());
    return out;
}

std::string MetricsRegistry::render_prometheus() const {
    std::lock_guard lock(mutex_);
    std::string out;
    for (const auto& [name, fam] : families_) {
        if (fam.counters.empty() && fam.gauges.empty() && fam.histograms.empty() &&
            fam.callbacks.empty()) {
            continue;
        }
        out += "# HELP " + name + " " + fam.help + "\n";
        out += "# TYPE " + name + " ";
        out += fam.type == Type::counter ? "counter\n"
               : fam.type == Type::gauge ? "gauge\n"
                                         : "histogram\n";
        for (const auto& [labels, c] : fam.counters) {
            out += name + labels + " " + std::to_string(c->value()) + "\n";
        }
        for (const auto& [labels, g] : fam.gauges) {
            out += name + labels + " " + number_text(g->value()) + "\n";
        }
        for (const auto& [labels, cb] : fam.callbacks) {
            out += name + labels + " " + number_text(cb.second()) + "\n";
        }
        for (const auto& [labels, h] : fam.histograms) {
            std::uint64_t cumulative = 0;
            for (std::size_t i = 0; i <= h->bounds().size(); ++i) {
                cumulative += h->bucket_count(i);
                const std::string le =
                    i < h->bounds().size() ? number_text(h->bounds()[i]) : std::string("+Inf");
                out += name + "_bucket" + with_label(labels, "le", le) + " " +
                       std::to_string(cumulative) + "\n";
            }
            out += name + "_sum" + labels + " " + number_text(h->sum()) + "\n";
            out += name + "_count" + labels + " " + std::to_string(h->count()) + "\n";
        }
    }
    return out;
}

ComponentMetrics::ComponentMetrics(MetricsRegistry& registry, std::string_view stage,
                                   std::string_view component, std::string_view type)
    : registry_(registry),
      labels_{{"stage", std::string(stage)},
              {"component", std::string(component)},
              {"type", std::string(type)}},
      received_(registry.counter("netfeed_component_received_total",
                                 "Records (or input units) a component took in", labels_)),
      sent_(registry.counter("netfeed_component_sent_total",
                             "Records a component passed on or delivered", labels_)) {}

Labels ComponentMetrics::labels_with(const Labels& extra) const {
    Labels labels = labels_;
    labels.insert(labels.end(), extra.begin(), extra.end());
    return labels;
}

Counter& ComponentMetrics::dropped(std::string_view reason) {
    return registry_.counter("netfeed_component_dropped_total",
                             "Records a component dropped, by reason",
                             labels_with({{"reason", std::string(reason)}}));
}

Counter& ComponentMetrics::errors(std::string_view error_type) {
    return registry_.counter("netfeed_component_errors_total",
                             "Errors a component met, by type (the input may still be delivered)",
                             labels_with({{"error_type", std::string(error_type)}}));
}

}  // namespace netfeed
