// The agent process; see app.hpp.
#include "agent/app.hpp"

#include <spdlog/spdlog.h>

#include <atomic>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/signal_set.hpp>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <mutex>
#include <thread>

#include "agent/built_config.hpp"
#include "agent/fleet_bridge.hpp"
#include "agent/http_endpoint.hpp"
#include "agent/logging.hpp"
#include "agent/pipeline.hpp"
#include "agent/process_metrics.hpp"
#include "agent/service_notify.hpp"

namespace netfeed {

namespace {

/// Signals turn into requests that the main thread acts on (never work in a signal handler).
class ControlRequests {
  public:
    enum class Request { none, stop, reload, fleet };

    void post(Request r) {
        {
            std::lock_guard lock(mutex_);
            if (r == Request::stop || pending_ == Request::none) pending_ = r;
        }
        cv_.notify_all();
    }
    Request wait(std::chrono::milliseconds timeout) {
        std::unique_lock lock(mutex_);
        cv_.wait_for(lock, timeout, [&] { return pending_ != Request::none; });
        Request r = pending_;
        if (r != Request::stop) pending_ = Request::none;  // a stop stays pending
        return r;
    }

  private:
    std::mutex mutex_;
    std::condition_variable cv_;
    Request pending_ = Request::none;
};

void print_issues(const ConfigError& error) {
    for (const auto& issue : error.issues())
        std::cerr << issue.to_string() << "\n";
}

std::string describe_start(const BuiltConfig& built) {
    std::string collectors;
    for (const auto& c : built.collectors) {
        collectors += (collectors.empty() ? "" : ", ") + c.section.name;
        if (c.section.name != c.section.type) collectors += " (" + c.section.type + ")";
    }
    std::string sinks;
    for (const auto& s : built.sinks)
        sinks += (sinks.empty() ? "" : ", ") + s.section.name;
    std::string routes;
    for (const auto& r : built.config.routes) {
        routes +=
            (routes.empty() ? "" : ", ") + r.name + " -> " + r.sink + ":" +
            (r.topic.empty() ? std::string("{collector's topic or netfeed.{kind}}") : r.topic);
    }
    return "collectors [" + (collectors.empty() ? std::string("none") : collectors) +
           "], enrichers " + std::to_string(built.enrichers.size()) + ", sinks [" + sinks +
           "], routes [" + routes + "], devices " + std::to_string(built.devices->all().size());
}

void write_stats(const FilePath& path, const PipelineReport& report) {
    if (path.empty()) return;
    std::ofstream out(path.path, std::ios::trunc);
    out << report.details.dump(2) << "\n";
    if (!out) spdlog::error("cannot write agent.stats_file {}", path.path);
}

// Settings that shape threads, queues and sockets take effect at the next start only.
void warn_restart_only(const AgentSettings& running, const AgentSettings& next) {
    std::vector<std::string> changed;
    if (next.io_threads != running.io_threads) changed.push_back("io_threads");
    if (next.queue_capacity != running.queue_capacity) changed.push_back("queue_capacity");
    if (next.sink_queue_capacity != running.sink_queue_capacity) {
        changed.push_back("sink_queue_capacity");
    }
    if (next.batch_size != running.batch_size) changed.push_back("batch_size");
    if (next.http.enabled != running.http.enabled || !(next.http.listen == running.http.listen)) {
        changed.push_back("http");
    }
    for (const auto& name : changed) {
        spdlog::warn("agent.{} changed: it takes effect when the agent restarts", name);
    }
}

void log_summary(const PipelineReport& r, std::string_view when) {
    spdlog::info("{}: {} records accepted, {} delivered to sinks, {} dropped", when, r.accepted,
                 r.sent, r.dropped);
}

// `netfeed replay FILE`: one more collector, the capture, feeding the configured UDP collectors
// through the ports they registered.
void add_replay_input(Config& config, const RunOptions& options) {
    YAML::Node node;
    node["type"] = "pcap";
    node["name"] = "replay";
    // Relative to where the command runs, not to the config file as config paths are.
    node["file"] = std::filesystem::absolute(options.replay_file).string();
    node["pace"] = options.replay_at_capture_pace ? "capture" : "fast";
    node["speed"] = options.replay_speed;
    config.collectors.push_back(PluginSection{"pcap", "replay", node, "replay", {}});
    // A replay is a batch job: no metrics endpoint to collide with a running agent.
    config.agent.http.enabled = false;
}

/// The devices this agent polls under its current share, for the fleet's status record.
std::vector<std::string> polled_devices(const DeviceDirectory& directory) {
    std::vector<std::string> out;
    const auto snapshot = directory.snapshot();
    for (const Device& device : snapshot->all()) {
        if (!device.collectors.empty() && snapshot->share().includes(device))
            out.push_back(device.name);
    }
    return out;
}

/// Applies one rebalance: the same configuration rebuilt with the new share, swapped in as a
/// reload (pollers whose devices changed restart; everything else keeps running).
void apply_fleet_change(const FleetBridge::Change& change, Config& running, Pipeline& pipeline,
                        const FleetMembership& fleet, MetricsRegistry& metrics) {
    Config next = running;
    next.agent.fleet_partitions =
        change.assignment ? change.assignment->partitions : std::set<int>{};
    if (change.assignment) next.agent.fleet_partition_count = change.assignment->partition_count;
    try {
        BuiltConfig built = build_config(next, builtin_plugins());
        pipeline.reload(std::move(built));
        running = std::move(next);
    } catch (const std::exception& e) {
        spdlog::error("fleet: cannot apply the new share: {}", e.what());
        return;
    }
    // Per device: 1 where this agent polls it, 0 for the others (summed over the fleet's
    // agents, every device is 1).
    const std::string& name = running.agent.fleet.name;
    const auto snapshot = pipeline.devices().snapshot();
    for (const Device& device : snapshot->all()) {
        if (device.collectors.empty()) continue;
        metrics
            .gauge("netfeed_fleet_device_owned",
                   "1 when this agent of the fleet polls the device, else 0",
                   {{"fleet", name}, {"device", device.name}})
            .set(snapshot->share().includes(device) ? 1 : 0);
    }
    metrics
        .gauge("netfeed_fleet_partitions_held",
               "Partitions of netfeed.fleet.<name> the group gave this agent", {{"fleet", name}})
        .set(change.assignment ? static_cast<double>(change.assignment->partitions.size()) : 0);
    if (!change.assignment) {
        spdlog::info("fleet {}: partitions revoked; this agent's pollers stopped",
                     running.agent.fleet.name);
        return;
    }
    const auto devices = polled_devices(pipeline.devices());

    spdlog::info(
        "fleet {}: rebalance {} gave this agent {} of {} partitions: it polls {} "
        "devices",
        running.agent.fleet.name, change.assignment->round, change.assignment->partitions.size(),
        change.assignment->partition_count, devices.size());
    if (!pipeline.inject(fleet.status_record(*change.assignment, devices),
                         std::chrono::seconds(5))) {
        // Never accepted, so counted where collectors count what the full queue refused.
        metrics
            .counter("netfeed_component_dropped_total", "Records a component dropped, by reason",
                     {{"stage", "collector"},
                      {"component", "fleet"},
                      {"type", "fleet"},
                      {"reason", "queue_full"}})
            .inc();
        spdlog::warn(
            "fleet: the pipeline stayed full; this rebalance's status record is dropped "
            "(counted as queue_full)");
    }
}

}  // namespace

int validate_config(const std::string& path) {
    try {
        BuiltConfig built = load_and_build(path, builtin_plugins());
        for (const auto& warning : built.warnings)
            std::cerr << "warning: " << warning.to_string() << "\n";
        std::cout << path << ": OK: " << describe_start(built) << "\n";
        return 0;
    } catch (const ConfigError& e) {
        print_issues(e);
        return 2;
    }
}

int run_agent(const RunOptions& options) {
    setup_logging(options.log_level.value_or(LogLevel::info));
    std::optional<BuiltConfig> built;
    try {
        built.emplace(load_and_build(options.config_path, builtin_plugins(), [&](Config& config) {
            if (!options.replay_file.empty()) add_replay_input(config, options);
        }));
    } catch (const ConfigError& e) {
        print_issues(e);
        return 2;
    }
    set_log_level(options.log_level.value_or(built->config.agent.log_level));
    AgentSettings settings = built->config.agent;

    boost::asio::io_context io;
    auto work = boost::asio::make_work_guard(io);
    std::vector<std::thread> io_threads;
    for (int i = 0; i < settings.io_threads; ++i)
        io_threads.emplace_back([&io] { io.run(); });
    const auto stop_io = [&] {
        work.reset();
        io.stop();
        for (auto& t : io_threads)
            t.join();
    };

    ControlRequests requests;
    boost::asio::signal_set signals(io, SIGINT, SIGTERM, SIGHUP);
    std::function<void(const boost::system::error_code&, int)> on_signal =
        [&](const boost::system::error_code& ec, int signal) {
            if (ec) return;
            static std::atomic<int> stops{0};
            if (signal != SIGHUP && stops.fetch_add(1) >= 1) {
                // The operator insists: leave now, without the drain.
                std::fputs("second stop signal: exiting without draining\n", stderr);
                std::_Exit(1);
            }
            requests.post(signal == SIGHUP ? ControlRequests::Request::reload
                                           : ControlRequests::Request::stop);
            signals.async_wait(on_signal);
        };
    signals.async_wait(on_signal);

    MetricsRegistry metrics;
    const std::size_t replay_inputs = options.replay_file.empty() ? 0 : 1;
    std::atomic<std::size_t> finished_inputs{0};
    metrics
        .gauge("netfeed_build_info", "Version of the running agent", {{"version", NETFEED_VERSION}})
        .set(1);
    Pipeline pipeline(io, metrics);
    pipeline.on_input_finished([&](const std::string& name) {
        spdlog::info("input {} ended", name);
        if (replay_inputs > 0 && finished_inputs.fetch_add(1) + 1 >= replay_inputs) {
            requests.post(ControlRequests::Request::stop);
        }
    });
    const std::string started_with = describe_start(*built);
    ServiceNotifier service;
    service.status("starting: " + started_with);
    // systemd's watchdog runs from the start; a slow sink start must not look like a hang.
    service.watchdog_tick(true);
    // A fleet member polls nothing until the group gives it a share (agent.fleet).
    std::unique_ptr<FleetMembership> fleet;
    FleetBridge fleet_bridge;
    Config running_config = built->config;
    if (!settings.fleet.name.empty()) {
        try {
            const FleetFactory& factory = builtin_plugins().fleet_factory();
            if (!factory) throw std::runtime_error("agent.fleet: no plugin provides fleets");
            fleet = factory(built->config);
        } catch (const std::exception& e) {
            spdlog::critical("cannot start: {}", e.what());
            stop_io();
            return 1;
        }
        pipeline.set_fleet(fleet.get());
    }
    try {
        pipeline.start(std::move(*built));
    } catch (const std::exception& e) {
        spdlog::critical("cannot start: {}", e.what());
        pipeline.stop();
        stop_io();
        return 1;
    }
    built.reset();
    if (fleet) {
        // Called from the membership's thread; each waits until the control loop applied it.
        const auto hand_over = [&](std::optional<FleetAssignment> assignment) {
            const std::uint64_t ticket = fleet_bridge.post(std::move(assignment));
            requests.post(ControlRequests::Request::fleet);
            fleet_bridge.wait(ticket);
        };
        try {
            fleet->start({[hand_over] { hand_over(std::nullopt); },
                          [hand_over](const FleetAssignment& a) { hand_over(a); }});
        } catch (const std::exception& e) {
            spdlog::critical("cannot start: {}", e.what());
            fleet_bridge.close();
            fleet.reset();
            pipeline.stop();
            stop_io();
            return 1;
        }
    }

    const ProcessMetrics process_metrics;
    HttpEndpoint http(io, {[&] { return metrics.render_prometheus() + process_metrics.render(); },
                           [&] { return pipeline.health(); }, [&] { return pipeline.degraded(); }});
    if (settings.http.enabled) {
        try {
            http.start(settings.http.listen);
        } catch (const std::exception& e) {
            spdlog::critical("cannot start: {}", e.what());
            pipeline.stop();
            stop_io();
            return 1;
        }
    }
    spdlog::info("netfeed {} running with {}: {}", NETFEED_VERSION, options.config_path,
                 started_with);
    if (settings.http.enabled) {
        spdlog::info("metrics at http://{}/metrics, health at /healthz",
                     Endpoint{settings.http.listen.host, http.port()}.to_string());
    }

    // Every collector listens and every sink started by now.
    std::string running_status = "running: " + started_with;
    service.ready(running_status);
    // A thread that stays quiet this long is stuck: withhold the pings and let systemd restart.
    const auto max_silence = service.watchdog_period();
    bool was_stalled = false;

    Duration summary_interval = settings.summary_interval;
    auto next_summary = std::chrono::steady_clock::now() + summary_interval;
    while (true) {
        const auto request = requests.wait(service.tick_interval());
        if (request == ControlRequests::Request::stop) break;
        if (max_silence.count() > 0) {
            const std::string stalled = pipeline.stalled(max_silence);
            if (stalled.empty() == was_stalled) {  // logged once each way, not every turn
                if (!stalled.empty()) {
                    spdlog::error("pipeline stuck: {}; watchdog pings withheld", stalled);
                    service.status("stuck: " + stalled);
                } else {
                    spdlog::info("pipeline moving again");
                    service.status(running_status);
                }
                was_stalled = !stalled.empty();
            }
            service.watchdog_tick(stalled.empty());
        }
        if (request == ControlRequests::Request::reload) {
            spdlog::info("SIGHUP: reloading {}", options.config_path);
            service.reloading("reloading " + options.config_path);
            try {
                BuiltConfig next =
                    load_and_build(options.config_path, builtin_plugins(), [&](Config& c) {
                        // The share stays what the fleet's group gave until it changes it.
                        c.agent.fleet_partitions = running_config.agent.fleet_partitions;
                        c.agent.fleet_partition_count = running_config.agent.fleet_partition_count;
                    });
                if (next.config.agent.fleet.name != running_config.agent.fleet.name)
                    spdlog::warn("agent.fleet changed: it takes effect when the agent restarts");
                next.config.agent.fleet = running_config.agent.fleet;
                Config kept = next.config;
                const LogLevel level = options.log_level.value_or(next.config.agent.log_level);
                warn_restart_only(settings, next.config.agent);
                summary_interval = next.config.agent.summary_interval;
                settings.shutdown_timeout = next.config.agent.shutdown_timeout;
                settings.stats_file = next.config.agent.stats_file;
                const std::string description = describe_start(next);
                pipeline.reload(std::move(next));
                running_config = std::move(kept);
                set_log_level(level);
                spdlog::info("reloaded: {}", description);
                running_status = "running: " + description;
                service.ready(running_status);
            } catch (const ConfigError& e) {
                spdlog::error("reload failed, the running configuration stays:");
                for (const auto& issue : e.issues())
                    spdlog::error("  {}", issue.to_string());
                const auto& issues = e.issues();
                service.ready(
                    "reload failed, running the previous configuration: " +
                    (issues.empty() ? std::string(e.what()) : issues.front().to_string()) +
                    (issues.size() > 1 ? " (and " + std::to_string(issues.size() - 1) + " more)"
                                       : ""));
            } catch (const std::exception& e) {
                spdlog::error("{}", e.what());
                service.ready(std::string("reload failed, running the previous configuration: ") +
                              e.what());
            }
        }
        while (fleet) {
            const auto change = fleet_bridge.take();
            if (!change) break;
            apply_fleet_change(*change, running_config, pipeline, *fleet, metrics);
            fleet_bridge.applied(change->ticket);
        }
        pipeline.collect_retired();
        if (summary_interval.count() > 0 && std::chrono::steady_clock::now() >= next_summary) {
            log_summary(pipeline.report(), "so far");
            next_summary = std::chrono::steady_clock::now() + summary_interval;
        }
    }

    spdlog::info("stopping: draining queues into the sinks (at most {})",
                 format_duration(settings.shutdown_timeout));
    service.stopping("stopping: draining queues into the sinks");
    fleet_bridge.close();
    const PipelineReport report = pipeline.stop();
    // Leaving the group after the pollers stopped: the others take over at once, with no poll
    // of this agent still running.
    if (fleet) fleet->stop();
    log_summary(report, "stopped");
    write_stats(settings.stats_file, report);
    http.stop();
    signals.cancel();
    stop_io();
    return 0;
}

}  // namespace netfeed
