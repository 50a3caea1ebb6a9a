// The SNMP poller's engine state (snmp_poller.hpp), shared by the files that implement it:
// snmp_transport.cpp (net-snmp sessions, requests and replies), snmp_round.cpp (what a device's
// round asks for, how its requests are paced, what its outcome is), snmp_rows.cpp (records from
// a round's replies) and snmp_poller.cpp (the loop that starts rounds and waits on the sockets).
#pragma once

#include <net-snmp/library/large_fd_set.h>
#include <net-snmp/net-snmp-config.h>
#include <net-snmp/net-snmp-includes.h>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <random>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "agent/poll_slots.hpp"
#include "collectors/snmp/baseline_store.hpp"
#include "collectors/snmp/counter_rate.hpp"
#include "collectors/snmp/row_assembly.hpp"
#include "collectors/snmp/snmp_poller.hpp"

// net-snmp names the GETBULK fields with macros over errstat and errindex; our settings use
// the word max_repetitions for themselves.
#undef max_repetitions
#undef non_repeaters

namespace netfeed::snmp {

using Steady = std::chrono::steady_clock;

inline constexpr std::size_t kMaxOidsPerGet = 32;
inline constexpr std::size_t kMaxRequestsPerWalk = 100000;  // a broken agent cannot keep us walking

/// A steady time as seconds, the unit counter rates and their baselines use.
inline double steady_seconds(Steady::time_point t) {
    return std::chrono::duration<double>(t.time_since_epoch()).count();
}

/// Whether an error name says the device refused our credentials (the round stops).
bool is_auth_error(const std::string& error);

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
    /// The records of a round that succeeded: scalar groups and table rows with their rates.
    void shape_records(Device& d, Timestamp wall, std::vector<Record>& out);
    Counter& error_counter(Device& d, const std::string& error);
    std::vector<BaselineSlot> baseline_slots();
};

}  // namespace netfeed::snmp
