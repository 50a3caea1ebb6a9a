// The SNMP poller's transport: net-snmp sessions, sending requests and taking their replies
// apart; see snmp_poller_impl.hpp.
#include <sys/epoll.h>

#include <algorithm>

#include "collectors/common/snmp_usm.hpp"
#include "collectors/snmp/snmp_poller_impl.hpp"

namespace netfeed::snmp {

namespace {

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

// The request's serial number travels as the callback's magic, not a pointer to the job: a
// reply or timeout net-snmp still delivers for a request we gave up on finds nothing.
int on_response(int operation, netsnmp_session* session, int, netsnmp_pdu* pdu, void* magic) {
    auto* impl = static_cast<SnmpPoller::Impl*>(session->callback_magic);
    if (impl != nullptr)
        impl->handle_serial(reinterpret_cast<std::uintptr_t>(magic), operation, pdu);
    return 1;
}

}  // namespace

bool is_auth_error(const std::string& error) {
    return error == "unsupported_sec_level" || error == "unknown_user_name" ||
           error == "wrong_digest" || error == "decryption_error" || error == "report" ||
           error == "authorization_error" || error == "unknown_engine_id" ||
           error == "security_error";
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

}  // namespace netfeed::snmp
