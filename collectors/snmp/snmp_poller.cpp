// The SNMP poller's engine; see snmp_poller.hpp.
//
// net-snmp's single-session API (snmp_sess_*) keeps each device's state in its own handle, so
// one thread can drive them all: requests go out with snmp_sess_async_send, replies come in
// through snmp_sess_read2 when epoll says a session's socket is readable, and
// snmp_sess_timeout resends or gives up on overdue requests. epoll over the session sockets
// (instead of snmp_sess_select_info2 per session) has no FD_SETSIZE limit, and a wake-up
// costs only the sockets that are ready, not all of them.
#include "collectors/snmp/snmp_poller.hpp"

#include <spdlog/spdlog.h>
#include <sys/epoll.h>
#include <unistd.h>

#include <algorithm>
#include <mutex>
#include <queue>

#include "collectors/common/snmp_init.hpp"
#include "collectors/snmp/snmp_poller_impl.hpp"

namespace netfeed::snmp {

namespace {

double seconds_since(Steady::time_point t, Steady::time_point now) {
    return std::chrono::duration<double>(now - t).count();
}

constexpr auto kBaselineSaveInterval = std::chrono::seconds(5);

}  // namespace

void SnmpPoller::Impl::finish_round(Device& d) {
    const auto now = Steady::now();
    const auto wall = Clock::now();
    std::vector<Record> out;
    poll_duration->observe(seconds_since(d.round_start, now));
    const bool failed = d.unreachable || d.auth_failed;
    (failed ? polls_failed : polls_ok)->inc();
    std::unique_lock lock(snmp_library_mutex());
    if (d.auth_failed && d.target.settings.version == SnmpVersion::v3) {
        d.engine_id.clear();  // rediscover next time (the engine id may be what changed)
        close_sessions(d);
    } else if (d.engine_id.empty() && d.session != nullptr &&
               d.target.settings.version == SnmpVersion::v3) {
        close_sessions(d);
    } else if (d.probe != nullptr) {
        close_session(d.probe);
    }
    lock.unlock();
    if (!failed) {
        shape_records(d, wall, out);
        baselines_changed = true;
    }
    update_state(d, out);
    std::size_t data_records = 0;
    for (auto& r : out) {
        if (r.kind == RecordKind::snmp) ++data_records;
    }
    context->metrics.received().inc(data_records);
    d.jobs.clear();
    d.tables.clear();
    for (auto& r : out) {
        if (!context->emitter.emit(r)) return;  // the agent is stopping
    }
    if (context->fleet != nullptr)
        context->fleet->polled(d.target.device, d.slots.round_ms);
}

std::vector<BaselineSlot> SnmpPoller::Impl::baseline_slots() {
    std::vector<BaselineSlot> slots;
    slots.reserve(devices.size());
    for (auto& d : devices) {
        const double interval = std::chrono::duration<double>(d->target.settings.interval).count();
        slots.push_back({&d->target.device, profile_fingerprint(profiles, d->target.profiles),
                         2 * interval, &d->rates, &d->uptime});
    }
    return slots;
}

SnmpPoller::SnmpPoller(PollerSettings settings, std::vector<Profile> profiles,
                       std::vector<PollTarget> targets)
    : impl_(std::make_unique<Impl>()) {
    impl_->settings = std::move(settings);
    impl_->profiles = std::move(profiles);
    for (const auto& profile : impl_->profiles) {
        for (const auto& table : profile.tables) {
            for (const auto& subtree : table.subtrees) {
                for (const auto& column : subtree.columns) {
                    impl_->rate_names.emplace(
                        &column, FieldName::intern(std::string(column.name.view()) + "_rate"));
                }
            }
        }
    }
    for (auto& target : targets) {
        auto d = std::make_unique<Device>();
        d->impl = impl_.get();
        d->max_repetitions = target.settings.max_repetitions;
        d->target = std::move(target);
        d->position = impl_->devices.size();
        impl_->devices.push_back(std::move(d));
    }
}

SnmpPoller::~SnmpPoller() {
    std::lock_guard lock(snmp_library_mutex());
    impl_->stopping = true;
    for (auto& d : impl_->devices)
        impl_->close_sessions(*d);
}

void SnmpPoller::run(CollectorContext& context, const std::atomic<bool>& stop) {
    Impl& m = *impl_;
    m.context = &context;
    auto& registry = context.metrics.registry();
    const Labels& labels = context.metrics.labels();
    m.poll_duration =
        &registry.histogram("netfeed_snmp_poll_duration_seconds",
                            "Time from the first request of a device's poll to its last reply.",
                            labels, {0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60});
    m.requests = &registry.counter("netfeed_snmp_requests_total", "SNMP requests sent.", labels);
    const auto polls = [&](const char* result) {
        return &registry.counter("netfeed_snmp_polls_total", "Device polls by result.",
                                 context.metrics.labels_with({{"result", result}}));
    };
    m.polls_ok = polls("ok");
    m.polls_failed = polls("failed");
    m.in_flight_gauge = &registry.gauge("netfeed_snmp_requests_in_flight",
                                        "SNMP requests awaiting a reply.", labels);
    for (auto& d : m.devices) {
        Labels l = labels;
        l.emplace_back("device", d->target.device);
        d->interfaces_published =
            &registry.gauge("netfeed_snmp_interfaces_published",
                            "Interfaces of the device in the shared ifIndex table after its last "
                            "interfaces poll.",
                            l);
    }

    // First polls are spread over one interval so that many devices do not fire at once.
    using Entry = std::pair<Steady::time_point, std::size_t>;
    std::priority_queue<Entry, std::vector<Entry>, std::greater<>> schedule;
    const auto began = Steady::now();
    std::uniform_real_distribution<double> unit(0.0, 1.0);
    PollLedger* const ledger = context.fleet;
    for (auto& d : m.devices) {
        const Duration spread = m.settings.first_poll_spread.value_or(d->target.settings.interval);
        const auto offset = std::chrono::duration_cast<Steady::duration>(spread * unit(m.random));
        d->due = began + offset;
        if (ledger != nullptr) {
            // A fleet member continues the slots where the device's previous owner stopped.
            d->due = d->slots.begin(d->target.device, d->target.settings.interval,
                                    ledger->last_polled(d->target.device), began);
        }
        schedule.push({d->due, d->position});
    }
    if (!context.state_dir.empty()) {
        m.baselines = std::make_unique<BaselineStore>(context.state_dir, context);
        m.baselines->load(m.baseline_slots(), steady_seconds(Steady::now()));
    }
    netsnmp_large_fd_set_init(&m.fdset, 1024);
    m.epoll_fd = epoll_create1(EPOLL_CLOEXEC);
    if (m.epoll_fd < 0) {
        context.log->error("snmp {}: cannot create an epoll instance; not polling",
                           m.settings.component);
        return;
    }
    std::vector<epoll_event> events(256);
    auto last_timeout_check = Steady::now();
    while (!stop.load(std::memory_order_relaxed)) {
        auto now = Steady::now();
        // Start the rounds that are due (a device still busy with its last round waits).
        std::vector<std::size_t> busy;
        while (!schedule.empty() && schedule.top().first <= now) {
            const std::size_t i = schedule.top().second;
            schedule.pop();
            Device& d = *m.devices[i];
            if (d.active) {
                busy.push_back(i);
                continue;
            }
            m.start_round(d, now);
            m.started.push_back(&d);
            if (ledger != nullptr) {
                d.due = d.slots.advance(d.target.device, d.target.settings.interval, now);
                schedule.push({d.due, i});
                continue;
            }
            const double j = m.settings.jitter * (2 * unit(m.random) - 1);
            d.due +=
                std::chrono::duration_cast<Steady::duration>(d.target.settings.interval * (1 + j));
            if (d.due < now) d.due = now;  // fell behind: start again as soon as it is free
            schedule.push({d.due, i});
        }
        for (std::size_t i : busy)
            schedule.push({now + std::chrono::milliseconds(10), i});
        {
            // Only the devices that can send something now: new rounds, and those that
            // waited for room under max_requests_in_flight (a loop over every device here
            // made each reply cost O(devices): 2,000 devices took 5.8x the CPU of 500).
            std::lock_guard lock(snmp_library_mutex());
            while (!m.waiting.empty() && m.in_flight < m.settings.max_requests_in_flight) {
                Device* d = m.waiting.front();
                m.waiting.pop_front();
                d->waiting = false;
                m.pump(*d);
            }
            for (Device* d : m.started)
                m.pump(*d);
            m.started.clear();
        }
        for (Device* d : m.finished)
            m.finish_round(*d);
        m.finished.clear();
        m.in_flight_gauge->set(m.in_flight);

        int wait_ms = m.in_flight > 0 ? 50 : 200;
        if (!schedule.empty()) {
            const auto until = std::chrono::duration_cast<std::chrono::milliseconds>(
                                   schedule.top().first - Steady::now())
                                   .count();
            wait_ms = static_cast<int>(std::clamp<long long>(until, 0, wait_ms));
        }
        const int ready =
            epoll_wait(m.epoll_fd, events.data(), static_cast<int>(events.size()), wait_ms);
        std::unique_lock lock(snmp_library_mutex());
        for (int i = 0; i < ready; ++i) {
            const int fd = events[static_cast<std::size_t>(i)].data.fd;
            // Looked up now: handling an earlier event may have closed this session.
            auto it = m.watched.find(fd);
            if (it == m.watched.end()) continue;
            Device& owner = *it->second.first;
            void* session = it->second.second;
            if (fd >= static_cast<int>(m.fdset.lfs_setsize))
                netsnmp_large_fd_set_resize(&m.fdset, fd + 1);
            NETSNMP_LARGE_FD_SET(fd, &m.fdset);
            snmp_sess_read2(session, &m.fdset);
            NETSNMP_LARGE_FD_CLR(fd, &m.fdset);
            if (session == owner.probe) m.check_probe(owner);
            m.pump(owner);
        }
        now = Steady::now();
        // Timeouts are seconds long: looking every 50 ms costs little and is precise enough.
        if (m.in_flight > 0 && now - last_timeout_check >= std::chrono::milliseconds(50)) {
            last_timeout_check = now;
            for (auto& d : m.devices) {
                if (d->outstanding == 0) continue;
                if (d->probe != nullptr) snmp_sess_timeout(d->probe);
                if (d->session != nullptr) snmp_sess_timeout(d->session);
                m.pump(*d);
            }
        }
        lock.unlock();
        for (Device* d : m.finished)
            m.finish_round(*d);
        m.finished.clear();
        // Throttled: the file holds every device's rows, and a baseline a few seconds older
        // still gives a true rate (over a longer span) after a crash.
        if (m.baselines && m.baselines_changed && now >= m.next_baseline_save) {
            m.baselines->save(m.baseline_slots(), steady_seconds(Steady::now()));
            m.baselines_changed = false;
            m.next_baseline_save = now + kBaselineSaveInterval;
        }
    }
    if (m.baselines && m.baselines_changed) {
        m.baselines->save(m.baseline_slots(), steady_seconds(Steady::now()));
    }
    std::lock_guard lock(snmp_library_mutex());
    m.stopping = true;
    for (auto& d : m.devices)
        m.close_sessions(*d);
    netsnmp_large_fd_set_cleanup(&m.fdset);
    ::close(m.epoll_fd);
    m.epoll_fd = -1;
}

}  // namespace netfeed::snmp
