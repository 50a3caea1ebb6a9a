// The SNMP poller's engine; see snmp_poller.hpp.
//
// net-snmp's single-session API (snmp_sess_*) keeps each device's state in its own handle, so
// one thread can drive them all: requests go out with snmp_sess_async_send, replies come in
// through snmp_sess_read2 when epoll says a session's socket is readable, and
// snmp_sess_timeout resends or gives up on overdue requests. epoll over the session sockets
// (instead of snmp_sess_select_info2 per session) has no FD_SETSIZE limit, and a wake-up
// costs only the sockets that are ready, not all of them.
#include "collectors/snmp/snmp_poller.hpp"

#include <net-snmp/library/large_fd_set.h>
#include <net-snmp/net-snmp-config.h>
#include <net-snmp/net-snmp-includes.h>
#include <spdlog/spdlog.h>
#include <sys/epoll.h>
#include <unistd.h>

#include <algorithm>
#include <deque>
#include <map>
#include <mutex>
#include <queue>
#include <random>
#include <unordered_map>

#include "agent/json_writer.hpp"
#include "agent/poll_slots.hpp"
#include "collectors/common/snmp_init.hpp"
#include "collectors/common/snmp_usm.hpp"
#include "collectors/snmp/baseline_store.hpp"
#include "collectors/snmp/counter_rate.hpp"
#include "collectors/snmp/row_assembly.hpp"

// net-snmp names the GETBULK fields with macros over errstat and errindex; our settings use
// the word max_repetitions for themselves.
#undef max_repetitions
#undef non_repeaters

namespace netfeed::snmp {

namespace {

using Steady = std::chrono::steady_clock;

constexpr std::size_t kMaxOidsPerGet = 32;
constexpr std::size_t kMaxRequestsPerWalk = 100000;  // a broken agent cannot keep us walking

// usmStats counters (RFC 3414) that v3 report PDUs carry, by their last sub-identifier.
const char* report_error(const netsnmp_pdu* pdu) {
    static const oid usm_stats[] = {1, 3, 6, 1, 6, 3, 15, 1, 1};
    if (pdu->variables == nullptr) return "report";
    const auto* v = pdu->variables;
    if (v->name_length >= 10 && snmp_oid_compare(v->name, 9, usm_stats, 9) == 0) {
        switch (v->name[9]) {
            case 1:
                return "unsupported_sec_level";
            case 2:
                return "not_in_time_window";
            case 3:
                return "unknown_user_name";
            case 4:
                return "unknown_engine_id";
            case 5:
                return "wrong_digest";
            case 6:
                return "decryption_error";
            default:
                break;
        }
    }
    return "report";
}

std::string error_status_name(long status) {
    switch (status) {
        case SNMP_ERR_TOOBIG:
            return "too_big";
        case SNMP_ERR_NOSUCHNAME:
            return "no_such_name";
        case SNMP_ERR_BADVALUE:
            return "bad_value";
        case SNMP_ERR_READONLY:
            return "read_only";
        case SNMP_ERR_GENERR:
            return "gen_err";
        case SNMP_ERR_NOACCESS:
            return "no_access";
        case SNMP_ERR_AUTHORIZATIONERROR:
            return "authorization_error";
        default:
            return "error_status_" + std::to_string(status);
    }
}

bool is_auth_error(const std::string& error) {
    return error == "unsupported_sec_level" || error == "unknown_user_name" ||
           error == "wrong_digest" || error == "decryption_error" || error == "report" ||
           error == "authorization_error" || error == "unknown_engine_id" ||
           error == "security_error";
}

int on_response(int operation, netsnmp_session* session, int reqid, netsnmp_pdu* pdu, void* magic);

}  // namespace

struct SnmpPoller::Job {
    enum class Kind { discover, get, walk };
    struct Cursor {
        Oid column;
        Oid last;
        bool done = false;
    };
    Kind kind = Kind::get;
    Device* device = nullptr;
    std::vector<Oid> oids;  // get
    std::vector<VarBind> got;
    std::size_t table = 0;  // walk: position in the round's tables
    std::vector<Cursor> cursors;
    std::vector<std::size_t> sent;  // cursors in the request in flight
    std::size_t requests = 0;
    std::uintptr_t serial = 0;  // of the request in flight
    int security_resends = 0;
    bool in_flight = false;
    bool done = false;
    bool failed = false;
};

struct SnmpPoller::Device {
    PollTarget target;
    Impl* impl = nullptr;
    std::size_t position = 0;
    void* session = nullptr;
    void* probe = nullptr;  // v3 engine id discovery
    std::string engine_id;
    int max_repetitions = 25;
    Steady::time_point due{};
    poll_slots::DeviceSlots slots;  // a fleet member's wall-clock slots
    bool active = false;
    bool waiting = false;  // in Impl::waiting: has requests to send once in_flight allows
    int outstanding = 0;
    // The round in progress.
    Steady::time_point round_start{};
    std::vector<std::unique_ptr<Job>> jobs;
    std::vector<std::unique_ptr<TableAssembler>> tables;
    std::vector<const TableSpec*> table_specs;
    std::vector<bool> table_failed;
    std::map<std::string, std::string> errors;  // this round: error -> detail
    bool unreachable = false;
    bool auth_failed = false;
    // Across rounds.
    CounterRates rates;
    UptimeTracker uptime;
    std::map<std::string, std::string> active_errors;
    std::string state = "ok";
    Timestamp since = Clock::now();
    std::map<std::string, Counter*> error_counters;
    Gauge* interfaces_published = nullptr;
};

struct SnmpPoller::Impl {
    PollerSettings settings;
    std::vector<Profile> profiles;
    std::vector<std::unique_ptr<Device>> devices;
    // Rate field names per table column, interned at construction (load time).
    std::map<const ColumnSpec*, FieldName> rate_names;
    std::vector<Device*> finished;
    std::vector<Device*> started;  // rounds started this turn of the loop, not pumped yet
    std::deque<Device*> waiting;   // held back by max_requests_in_flight, oldest first
    std::unordered_map<std::uintptr_t, Job*> pending;  // requests in flight by serial
    std::uintptr_t next_serial = 1;
    // Session sockets watched by epoll: a wake-up costs the ready sockets only, not all of them.
    int epoll_fd = -1;
    std::unordered_map<int, std::pair<Device*, void*>> watched;
    int in_flight = 0;
    bool stopping = false;
    CollectorContext* context = nullptr;
    std::mt19937_64 random{std::random_device{}()};
    netsnmp_large_fd_set fdset{};
    // Metrics.
    Histogram* poll_duration = nullptr;
    Counter* requests = nullptr;
    Counter* polls_ok = nullptr;
    Counter* polls_failed = nullptr;
    Gauge* in_flight_gauge = nullptr;
    // Counter baselines kept across restarts (null: agent.state_dir not set).
    std::unique_ptr<BaselineStore> baselines;
    bool baselines_changed = false;
    Steady::time_point next_baseline_save{};

    void start_round(Device& d, Steady::time_point now);
    void pump(Device& d);
    bool send(Device& d, Job& job);
    bool open_session(Device& d);
    bool open_probe(Device& d);
    void close_sessions(Device& d);
    void watch(Device& d, void* session);
    void close_session(void*& session);
    void handle(Job& job, int operation, netsnmp_pdu* pdu);
    void handle_serial(std::uintptr_t serial, int operation, netsnmp_pdu* pdu);
    void check_probe(Device& d);
    std::string session_error(void* session) const;
    void handle_get(Job& job, netsnmp_pdu* pdu);
    void handle_walk(Job& job, netsnmp_pdu* pdu);
    void fail_job(Job& job, const std::string& error, const std::string& detail);
    void note(Device& d, const std::string& error, const std::string& detail);
    void check_finished(Device& d);
    void finish_round(Device& d);
    void update_state(Device& d, std::vector<Record>& out);
    Counter& error_counter(Device& d, const std::string& error);
    std::vector<BaselineSlot> baseline_slots();
};

namespace {

// The request's serial number travels as the callback's magic, not a pointer to the job: a
// reply or timeout net-snmp still delivers for a request we gave up on finds nothing.
int on_response(int operation, netsnmp_session* session, int, netsnmp_pdu* pdu, void* magic) {
    auto* impl = static_cast<SnmpPoller::Impl*>(session->callback_magic);
    if (impl != nullptr)
        impl->handle_serial(reinterpret_cast<std::uintptr_t>(magic), operation, pdu);
    return 1;
}

double seconds_since(Steady::time_point t, Steady::time_point now) {
    return std::chrono::duration<double>(now - t).count();
}

constexpr auto kBaselineSaveInterval = std::chrono::seconds(5);

double steady_seconds(Steady::time_point t) {
    return std::chrono::duration<double>(t.time_since_epoch()).count();
}

}  // namespace

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

bool SnmpPoller::Impl::open_probe(Device& d) {
    netsnmp_session s;
    snmp_sess_init(&s);
    const std::string peer =
        "udp:" + d.target.address.to_string() + ":" + std::to_string(d.target.settings.port);
    std::vector<char> peername(peer.begin(), peer.end());
    peername.push_back('\0');
    s.peername = peername.data();
    s.version = SNMP_VERSION_3;
    s.securityLevel = SNMP_SEC_LEVEL_NOAUTH;
    s.securityModel = SNMP_SEC_MODEL_USM;
    // net-snmp wants a user name, and keeps a USM entry for (engine id, name) once it learns
    // the engine id: a name of its own keeps that entry apart from the device's real user,
    // whose keys would otherwise never be set. The agent answers unknownEngineID before it
    // looks at the name.
    std::string user = "netfeed-engine-id-probe";
    s.securityName = user.data();
    s.securityNameLen = user.size();
    s.flags |= SNMP_FLAGS_DONT_PROBE;  // we discover the engine id ourselves, asynchronously
    s.callback_magic = this;
    s.timeout = static_cast<long>(
        std::chrono::duration_cast<std::chrono::microseconds>(d.target.settings.timeout).count());
    s.retries = d.target.settings.retries;
    d.probe = snmp_sess_open(&s);
    if (d.probe != nullptr) watch(d, d.probe);
    return d.probe != nullptr;
}

bool SnmpPoller::Impl::open_session(Device& d) {
    const auto& settings = d.target.settings;
    const auto& creds = d.target.credentials;
    netsnmp_session s;
    snmp_sess_init(&s);
    const std::string peer =
        "udp:" + d.target.address.to_string() + ":" + std::to_string(settings.port);
    std::vector<char> peername(peer.begin(), peer.end());
    peername.push_back('\0');
    s.peername = peername.data();
    s.timeout = static_cast<long>(
        std::chrono::duration_cast<std::chrono::microseconds>(settings.timeout).count());
    s.retries = settings.retries;
    s.callback_magic = this;
    std::string community = creds.community.reveal();
    std::string user = creds.username;
    std::string engine = d.engine_id;
    if (settings.version != SnmpVersion::v3) {
        s.version = settings.version == SnmpVersion::v1 ? SNMP_VERSION_1 : SNMP_VERSION_2c;
        s.community = reinterpret_cast<u_char*>(community.data());
        s.community_len = community.size();
    } else {
        s.version = SNMP_VERSION_3;
        s.securityName = user.data();
        s.securityNameLen = user.size();
        s.securityEngineID = reinterpret_cast<u_char*>(engine.data());
        s.securityEngineIDLen = engine.size();
        s.securityModel = SNMP_SEC_MODEL_USM;
        if (!snmp::set_usm_keys(s, creds, false)) {
            snmp::clear_usm_keys(s);
            return false;
        }
    }
    d.session = snmp_sess_open(&s);
    if (d.session != nullptr) watch(d, d.session);
    // snmp_sess_open copied what it keeps; wipe our copies of the keys.
    snmp::clear_usm_keys(s);
    std::fill(community.begin(), community.end(), '\0');
    return d.session != nullptr;
}

void SnmpPoller::Impl::watch(Device& d, void* session) {
    const netsnmp_transport* t = snmp_sess_transport(session);
    if (epoll_fd < 0 || t == nullptr || t->sock < 0) return;
    epoll_event event{};
    event.events = EPOLLIN;
    event.data.fd = t->sock;
    if (epoll_ctl(epoll_fd, EPOLL_CTL_ADD, t->sock, &event) == 0) watched[t->sock] = {&d, session};
}

void SnmpPoller::Impl::close_session(void*& session) {
    if (session == nullptr) return;
    const netsnmp_transport* t = snmp_sess_transport(session);
    if (t != nullptr && t->sock >= 0) {
        if (epoll_fd >= 0) epoll_ctl(epoll_fd, EPOLL_CTL_DEL, t->sock, nullptr);
        watched.erase(t->sock);
    }
    snmp_sess_close(session);
    session = nullptr;
}

void SnmpPoller::Impl::close_sessions(Device& d) {
    close_session(d.session);
    close_session(d.probe);
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

bool SnmpPoller::Impl::send(Device& d, Job& job) {
    netsnmp_pdu* pdu = nullptr;
    void* session = d.session;
    job.sent.clear();
    if (job.kind == Job::Kind::discover) {
        if (d.probe == nullptr && !open_probe(d)) {
            fail_job(job, "open_failed", "cannot open an SNMP session");
            return false;
        }
        session = d.probe;
        pdu = snmp_pdu_create(SNMP_MSG_GET);
        pdu->version = SNMP_VERSION_3;
        pdu->securityLevel = SNMP_SEC_LEVEL_NOAUTH;
        pdu->securityModel = SNMP_SEC_MODEL_USM;
    } else {
        if (d.target.settings.version == SnmpVersion::v3 && d.engine_id.empty()) {
            // Opening a v3 session without an engine id would probe synchronously.
            fail_job(job, "unknown_engine_id", "the engine id is not known yet");
            return false;
        }
        if (d.session == nullptr && !open_session(d)) {
            fail_job(job, "open_failed", "cannot open an SNMP session");
            return false;
        }
        session = d.session;
        if (job.kind == Job::Kind::get) {
            pdu = snmp_pdu_create(SNMP_MSG_GET);
            for (const auto& o : job.oids) {
                std::vector<oid> name(o.begin(), o.end());
                snmp_add_null_var(pdu, name.data(), name.size());
            }
        } else {
            const bool bulk = d.target.settings.version != SnmpVersion::v1;
            pdu = snmp_pdu_create(bulk ? SNMP_MSG_GETBULK : SNMP_MSG_GETNEXT);
            if (bulk) {
                pdu->errstat = 0;                   // non-repeaters
                pdu->errindex = d.max_repetitions;  // max-repetitions
            }
            for (std::size_t c = 0; c < job.cursors.size(); ++c) {
                if (job.cursors[c].done) continue;
                std::vector<oid> name(job.cursors[c].last.begin(), job.cursors[c].last.end());
                snmp_add_null_var(pdu, name.data(), name.size());
                job.sent.push_back(c);
            }
        }
    }
    const std::uintptr_t serial = next_serial++;
    if (snmp_sess_async_send(session, pdu, on_response, reinterpret_cast<void*>(serial)) == 0) {
        snmp_free_pdu(pdu);
        fail_job(job, "send_failed", session_error(session));
        return false;
    }
    pending[serial] = &job;
    job.serial = serial;
    job.in_flight = true;
    ++job.requests;
    ++d.outstanding;
    ++in_flight;
    requests->inc();
    return true;
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

void SnmpPoller::Impl::fail_job(Job& job, const std::string& error, const std::string& detail) {
    Device& d = *job.device;
    job.done = true;
    job.failed = true;
    note(d, error, detail);
    if (job.kind == Job::Kind::walk) d.table_failed[job.table] = true;
    if (error == "timeout" || error == "open_failed" || error == "send_failed")
        d.unreachable = true;
    if (is_auth_error(error)) d.auth_failed = true;
}

// net-snmp learns the engine id from the agent's first report and resends the probe itself
// (that resend is refused again, for the made-up user, and may never reach our callback): the
// engine id is taken from the probe session as soon as it is there.
void SnmpPoller::Impl::check_probe(Device& d) {
    if (d.probe == nullptr || !d.engine_id.empty()) return;
    const netsnmp_session* s = snmp_sess_session(d.probe);
    if (s == nullptr || s->securityEngineIDLen == 0) return;
    d.engine_id.assign(reinterpret_cast<const char*>(s->securityEngineID), s->securityEngineIDLen);
    for (auto& job : d.jobs) {
        if (job->kind != Job::Kind::discover || !job->in_flight) continue;
        pending.erase(job->serial);
        job->in_flight = false;
        job->done = true;
        --d.outstanding;
        --in_flight;
    }
    close_session(d.probe);
}

std::string SnmpPoller::Impl::session_error(void* session) const {
    int library = 0;
    int system = 0;
    char* text = nullptr;
    snmp_sess_error(session, &library, &system, &text);
    std::string out = text != nullptr ? text : "unknown error";
    SNMP_FREE(text);
    return out;
}

void SnmpPoller::Impl::handle_serial(std::uintptr_t serial, int operation, netsnmp_pdu* pdu) {
    // A resend (after a timeout, or of a v3 request the agent refused as notInTimeWindow)
    // keeps the request in flight.
    if (operation == NETSNMP_CALLBACK_OP_RESEND || operation == NETSNMP_CALLBACK_OP_CONNECT) return;
    auto it = pending.find(serial);
    if (it == pending.end()) return;
    Job* job = it->second;
    pending.erase(it);
    handle(*job, operation, pdu);
}

void SnmpPoller::Impl::handle(Job& job, int operation, netsnmp_pdu* pdu) {
    Device& d = *job.device;
    job.in_flight = false;
    --d.outstanding;
    --in_flight;
    if (stopping) {
        job.done = true;
        return;
    }
    if (job.kind == Job::Kind::discover && pdu != nullptr && pdu->securityEngineIDLen > 0 &&
        operation != NETSNMP_CALLBACK_OP_TIMED_OUT) {
        // Any answer to the probe (a report, or one net-snmp refuses for the made-up user)
        // names the agent's authoritative engine id.
        d.engine_id.assign(reinterpret_cast<const char*>(pdu->securityEngineID),
                           pdu->securityEngineIDLen);
        job.done = true;
        return;
    }
    if (operation == NETSNMP_CALLBACK_OP_SEND_FAILED ||
        operation == NETSNMP_CALLBACK_OP_DISCONNECT) {
        fail_job(job, "send_failed", "the request could not be sent");
        return;
    }
    if (operation == NETSNMP_CALLBACK_OP_SEC_ERROR) {
        // The first authenticated reply of a fresh session is the agent's notInTimeWindow
        // report: net-snmp learns the engine boots and time from it but refuses it, so the
        // request is sent once more. A second refusal is a real problem (keys, protocols).
        if (pdu != nullptr && pdu->command == SNMP_MSG_REPORT) {
            const std::string error = report_error(pdu);
            if (error != "not_in_time_window" && error != "report") {
                fail_job(job, error, "the agent answered with a report: usmStats " + error);
                return;
            }
        }
        if (job.security_resends++ == 0) return;
        fail_job(job, "security_error", "the reply failed the security checks (keys or protocols)");
        return;
    }
    if (operation != NETSNMP_CALLBACK_OP_RECEIVED_MESSAGE || pdu == nullptr) {
        const auto timeout_ms =
            std::chrono::duration_cast<std::chrono::milliseconds>(d.target.settings.timeout);
        fail_job(job, "timeout",
                 "no reply within " + format_duration(timeout_ms) + " after " +
                     std::to_string(d.target.settings.retries) + " retries");
        return;
    }
    if (pdu->command == SNMP_MSG_REPORT) {
        const std::string error = report_error(pdu);
        if (job.kind == Job::Kind::discover) {
            if (pdu->securityEngineIDLen > 0) {
                d.engine_id.assign(reinterpret_cast<const char*>(pdu->securityEngineID),
                                   pdu->securityEngineIDLen);
                job.done = true;
                return;
            }
            fail_job(job, "unknown_engine_id", "the agent reported no engine id");
            return;
        }
        // unknown_engine_id: the device has a new engine id; finish_round forgets the old one.
        fail_job(job, is_auth_error(error) || error == "unknown_engine_id" ? error : "report",
                 "the agent answered with a report: usmStats " + error);
        return;
    }
    if (job.kind == Job::Kind::discover) {
        // Whatever answered, the message carried the agent's authoritative engine id.
        if (pdu->securityEngineIDLen > 0) {
            d.engine_id.assign(reinterpret_cast<const char*>(pdu->securityEngineID),
                               pdu->securityEngineIDLen);
            job.done = true;
            return;
        }
        fail_job(job, "unknown_engine_id",
                 "no engine id in the answer to the discovery (command " +
                     std::to_string(pdu->command) + ")");
        return;
    }
    if (job.kind == Job::Kind::get) {
        handle_get(job, pdu);
    } else {
        handle_walk(job, pdu);
    }
}

void SnmpPoller::Impl::handle_get(Job& job, netsnmp_pdu* pdu) {
    Device& d = *job.device;
    if (pdu->errstat == SNMP_ERR_NOSUCHNAME) {
        // v1: one object missing fails the request; drop it and ask again for the rest.
        const auto k = static_cast<std::size_t>(pdu->errindex);
        if (k >= 1 && k <= job.oids.size()) {
            note(d, "no_such_object", oid_to_string(job.oids[k - 1]));
            job.oids.erase(job.oids.begin() + static_cast<std::ptrdiff_t>(k - 1));
            if (job.oids.empty()) job.done = true;
            return;
        }
        fail_job(job, "no_such_name", "noSuchName without a valid index");
        return;
    }
    if (pdu->errstat != SNMP_ERR_NOERROR) {
        fail_job(job, error_status_name(pdu->errstat), "error status on GET");
        return;
    }
    for (auto& vb : read_varbinds(pdu->variables)) {
        if (vb.value.is_exception()) {
            note(d, std::string(to_string(vb.value.type)), oid_to_string(vb.oid));
            continue;
        }
        job.got.push_back(std::move(vb));
    }
    job.done = true;
}

void SnmpPoller::Impl::handle_walk(Job& job, netsnmp_pdu* pdu) {
    Device& d = *job.device;
    if (pdu->errstat == SNMP_ERR_TOOBIG) {
        if (d.max_repetitions > 1) {
            d.max_repetitions = std::max(1, d.max_repetitions / 2);
            note(d, "too_big", "max_repetitions lowered to " + std::to_string(d.max_repetitions));
            return;  // sent again with fewer repetitions
        }
        fail_job(job, "too_big", "tooBig even with max_repetitions 1");
        return;
    }
    if (pdu->errstat == SNMP_ERR_NOSUCHNAME && d.target.settings.version == SnmpVersion::v1) {
        // v1 GETNEXT past the last object: that column is complete.
        const auto k = static_cast<std::size_t>(pdu->errindex);
        if (k >= 1 && k <= job.sent.size()) {
            job.cursors[job.sent[k - 1]].done = true;
        } else {
            for (std::size_t c : job.sent)
                job.cursors[c].done = true;
        }
    } else if (pdu->errstat != SNMP_ERR_NOERROR) {
        fail_job(job, error_status_name(pdu->errstat), "error status during a walk");
        return;
    } else {
        const auto varbinds = read_varbinds(pdu->variables);
        if (varbinds.empty() || job.sent.empty()) {
            fail_job(job, "empty_response", "a walk reply with no variables");
            return;
        }
        TableAssembler& table = *d.tables[job.table];
        const std::size_t n = job.sent.size();
        for (std::size_t i = 0; i < varbinds.size(); ++i) {
            auto& cursor = job.cursors[job.sent[i % n]];
            if (cursor.done) continue;
            const VarBind& vb = varbinds[i];
            // The column ends where the agent leaves its subtree, says endOfMibView, or fails
            // to move forward (a broken agent must not keep us walking in circles).
            if (vb.value.type == SnmpType::end_of_mib_view ||
                !oid_has_prefix(vb.oid, cursor.column) || vb.oid.size() == cursor.column.size() ||
                !(cursor.last < vb.oid)) {
                cursor.done = true;
                continue;
            }
            if (!vb.value.is_exception()) table.add(vb);
            cursor.last = vb.oid;
        }
    }
    const bool all_done = std::all_of(job.cursors.begin(), job.cursors.end(),
                                      [](const Job::Cursor& c) { return c.done; });
    if (all_done) {
        job.done = true;
    } else if (job.requests >= kMaxRequestsPerWalk) {
        fail_job(job, "walk_too_long",
                 "a walk passed " + std::to_string(kMaxRequestsPerWalk) + " requests");
    }
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
    // Scalars.
    std::map<Oid, const SnmpValue*> scalars;
    for (const auto& job : d.jobs) {
        if (job->kind != Job::Kind::get) continue;
        for (const auto& vb : job->got)
            scalars.emplace(vb.oid, &vb.value);
    }
    std::optional<std::uint32_t> uptime;
    if (auto it = scalars.find(sys_up_time_oid());
        it != scalars.end() && it->second->type == SnmpType::timeticks) {
        uptime = static_cast<std::uint32_t>(it->second->unsigned_);
    }
    const double now_s = steady_seconds(d.round_start);
    const bool restarted = !failed && d.uptime.update(uptime, now_s);
    const auto base = [&](std::string key, const std::string& table) {
        Record r;
        r.kind = RecordKind::snmp;
        r.time = r.received = wall;
        r.device = d.target.device;
        r.device_address = d.target.address;
        r.key = std::move(key);
        r.add("snmp_table", table);
        return r;
    };
    if (!failed) {
        for (std::size_t p : d.target.profiles) {
            for (const auto& group : profiles[p].groups) {
                Record r = base(d.target.device + "|" + group.name, group.name);
                for (const auto& s : group.scalars) {
                    auto it = scalars.find(s.oid);
                    if (it != scalars.end()) r.add(s.name, to_record_value(*it->second));
                }
                if (r.fields.size() > 1) out.push_back(std::move(r));
            }
        }
        bool all_tables = true;
        for (std::size_t t = 0; t < d.tables.size(); ++t) {
            if (d.table_failed[t]) {
                all_tables = false;
                continue;
            }
            const TableSpec& spec = *d.table_specs[t];
            const TableAssembler& table = *d.tables[t];
            InterfaceTable::DeviceInterfaces published;
            const bool interfaces = spec.name == "interfaces";
            for (const auto& row : table.rows()) {
                Record r =
                    base(row_key(d.target.device, spec.name, spec.index, row.index), spec.name);
                add_row_fields(table, row, spec.index, r);
                std::vector<CounterRates::Counter> counters;
                for (std::size_t c = 0; c < table.column_count(); ++c) {
                    const auto& v = row.values[c];
                    if (v && v->is_counter())
                        counters.push_back({c, v->unsigned_, v->type == SnmpType::counter64});
                }
                if (!counters.empty()) {
                    for (const auto& rate : d.rates.update(r.key, now_s, restarted, counters)) {
                        auto name = rate_names.find(&table.column(rate.column));
                        if (name != rate_names.end()) r.add(name->second, rate.per_second);
                    }
                }
                if (interfaces) collect_interface(r, row.index, published);
                out.push_back(std::move(r));
            }
            if (interfaces) {
                if (d.interfaces_published != nullptr)
                    d.interfaces_published->set(static_cast<double>(published.size()));
                context->tables.interfaces.publish(d.target.device, std::move(published));
            }
        }
        if (all_tables) d.rates.sweep();
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
