// A device's round of the SNMP poller: the requests it needs, their pacing under the
// in-flight limits, and its outcome (errors, state changes); see snmp_poller_impl.hpp.
#include <spdlog/spdlog.h>

#include <algorithm>

#include "agent/json_writer.hpp"
#include "collectors/snmp/snmp_poller_impl.hpp"

namespace netfeed::snmp {

Counter& SnmpPoller::Impl::error_counter(Device& d, const std::string& error) {
    auto it = d.error_counters.find(error);
    if (it != d.error_counters.end()) return *it->second;
    Counter& c = context->metrics.registry().counter(
        "netfeed_snmp_errors_total", "SNMP poll problems per device, by error.",
        context->metrics.labels_with({{"device", d.target.device}, {"error", error}}));
    d.error_counters.emplace(error, &c);
    return c;
}

void SnmpPoller::Impl::note(Device& d, const std::string& error, const std::string& detail) {
    d.errors.emplace(error, detail);
}

void SnmpPoller::Impl::start_round(Device& d, Steady::time_point now) {
    d.active = true;
    d.round_start = now;
    d.jobs.clear();
    d.tables.clear();
    d.table_specs.clear();
    d.table_failed.clear();
    d.errors.clear();
    d.unreachable = d.auth_failed = false;
    const auto make_job = [&](Job::Kind kind) {
        auto job = std::make_unique<Job>();
        job->kind = kind;
        job->device = &d;
        d.jobs.push_back(std::move(job));
        return d.jobs.back().get();
    };
    if (d.target.settings.version == SnmpVersion::v3 && d.engine_id.empty()) {
        make_job(Job::Kind::discover);
    }
    // Scalars, with sysUpTime always (restart detection for counter rates).
    std::vector<Oid> scalars{sys_up_time_oid()};
    for (std::size_t p : d.target.profiles) {
        for (const auto& group : profiles[p].groups) {
            for (const auto& s : group.scalars) {
                if (std::find(scalars.begin(), scalars.end(), s.oid) == scalars.end())
                    scalars.push_back(s.oid);
            }
        }
    }
    for (std::size_t i = 0; i < scalars.size(); i += kMaxOidsPerGet) {
        Job* job = make_job(Job::Kind::get);
        job->oids.assign(scalars.begin() + static_cast<std::ptrdiff_t>(i),
                         scalars.begin() + static_cast<std::ptrdiff_t>(
                                               std::min(scalars.size(), i + kMaxOidsPerGet)));
    }
    for (std::size_t p : d.target.profiles) {
        for (const auto& table : profiles[p].tables) {
            const std::size_t t = d.tables.size();
            d.tables.push_back(std::make_unique<TableAssembler>(table));
            d.table_specs.push_back(&table);
            d.table_failed.push_back(false);
            for (const auto& subtree : table.subtrees) {
                Job* job = make_job(Job::Kind::walk);
                job->table = t;
                for (const auto& column : subtree.columns) {
                    Oid prefix = subtree.entry;
                    prefix.push_back(column.number);
                    job->cursors.push_back({prefix, prefix, false});
                }
            }
        }
    }
}

void SnmpPoller::Impl::pump(Device& d) {
    if (!d.active) return;
    const bool stopped = d.unreachable || d.auth_failed;
    bool discovering = false;
    for (auto& job : d.jobs) {
        if (job->done) continue;
        if (stopped) {
            if (!job->in_flight) job->done = true;  // the round failed: send nothing more
            continue;
        }
        if (discovering) break;  // nothing but discovery until the engine id is known
        if (job->kind == Job::Kind::discover) discovering = true;
        if (job->in_flight) continue;
        if (d.outstanding >= d.target.settings.max_outstanding) break;
        if (in_flight >= settings.max_requests_in_flight) {
            // Its turn comes when others' requests complete: remember it rather than look
            // at every device after every reply.
            if (!d.waiting) {
                d.waiting = true;
                waiting.push_back(&d);
            }
            break;
        }
        send(d, *job);
    }
    check_finished(d);
}

void SnmpPoller::Impl::check_finished(Device& d) {
    if (!d.active || d.outstanding > 0) return;
    for (const auto& job : d.jobs) {
        if (!job->done) return;
    }
    d.active = false;
    for (auto it = pending.begin(); it != pending.end();) {
        it = it->second->device == &d ? pending.erase(it) : std::next(it);
    }
    finished.push_back(&d);
}

void SnmpPoller::Impl::update_state(Device& d, std::vector<Record>& out) {
    const auto now = Clock::now();
    std::string state = "ok";
    std::string detail;
    for (const auto& [error, text] : d.errors) {
        if (d.unreachable &&
            (error == "timeout" || error == "open_failed" || error == "send_failed")) {
            state = "unreachable";
            detail = error + ": " + text;
        }
        if (state != "unreachable" && is_auth_error(error)) {
            state = "auth_failed";
            detail = error + ": " + text;
        }
    }
    const bool complete = state == "ok";
    // Log each problem once when it starts and once when it clears; count every round it is seen.
    for (const auto& [error, text] : d.errors) {
        error_counter(d, error).inc();
        context->metrics.errors(error).inc();
        if (!d.active_errors.contains(error)) {
            context->log->warn("snmp {}: device {} ({}:{}): {}: {}", settings.component,
                               d.target.device, d.target.address.to_string(),
                               d.target.settings.port, error, text);
        }
    }
    for (auto it = d.active_errors.begin(); it != d.active_errors.end();) {
        const bool fatal = it->first == "timeout" || it->first == "open_failed" ||
                           it->first == "send_failed" || is_auth_error(it->first);
        // An incomplete round cannot tell whether the other problems are gone.
        const bool cleared = !d.errors.contains(it->first) && (complete || fatal);
        if (cleared) {
            context->log->info("snmp {}: device {}: {} cleared", settings.component,
                               d.target.device, it->first);
            it = d.active_errors.erase(it);
        } else {
            ++it;
        }
    }
    for (const auto& [error, text] : d.errors)
        d.active_errors[error] = text;
    if (state != d.state) {
        Record r;
        r.kind = RecordKind::status;
        r.time = r.received = now;
        r.device = d.target.device;
        r.device_address = d.target.address;
        r.key = d.target.device + "|snmp";
        r.add("collector", std::string("snmp"));
        r.add("component", settings.component);
        r.add("state", state);
        r.add("previous_state", d.state);
        if (!detail.empty()) r.add("error", detail);
        r.add("since", format_rfc3339(now));
        r.add("previous_since", format_rfc3339(d.since));
        context->log->info("snmp {}: device {} is {} (was {})", settings.component, d.target.device,
                           state, d.state);
        d.state = state;
        d.since = now;
        out.push_back(std::move(r));
    }
}

}  // namespace netfeed::snmp
