// Everything one simulated switch keeps between requests: where it listens, its counters for
// /stats, its login sessions and its injected faults.
#pragma once

#include <atomic>
#include <cstdint>
#include <mutex>
#include <string>

#include "lab/nxapi_sim/fault_plan.hpp"
#include "lab/nxapi_sim/session_store.hpp"

namespace nxapi_sim {

struct SwitchStats {
    std::atomic<uint64_t> requests{0};      // HTTP requests on the switch's port
    std::atomic<uint64_t> logins{0};        // successful basic-auth logins
    std::atomic<uint64_t> cookie_hits{0};   // requests let in by a session cookie
    std::atomic<uint64_t> commands{0};      // commands answered (with a body or an error)
    std::atomic<uint64_t> unauthorized{0};  // requests answered 401 for lack of credentials
    std::atomic<uint64_t> faults{0};        // requests that got an injected fault

    void reset() {
        for (auto* counter : {&requests, &logins, &cookie_hits, &commands, &unauthorized, &faults})
            counter->store(0, std::memory_order_relaxed);
    }
};

struct SwitchState {
    SwitchState(int index_, std::string hostname_, SessionStore sessions_)
        : index(index_), hostname(std::move(hostname_)), sessions(std::move(sessions_)) {}

    const int index;
    const std::string hostname;
    std::string address;  // set once the listener is open
    uint16_t port = 0;

    SwitchStats stats;
    std::mutex mutex;  // guards sessions and faults (several io threads with --threads)
    SessionStore sessions;
    FaultPlan faults;
};

}  // namespace nxapi_sim
