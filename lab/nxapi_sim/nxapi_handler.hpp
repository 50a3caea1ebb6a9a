// Answers one HTTP request to a simulated switch: faults, then auth, then the NX-API request
// rendered straight into the reply body. No sockets here; the listener does the I/O.
#pragma once

#include <chrono>
#include <string>
#include <string_view>

#include "lab/nxapi_sim/fault_plan.hpp"
#include "lab/nxapi_sim/nxos_bodies.hpp"
#include "lab/nxapi_sim/switch_state.hpp"

namespace nxapi_sim {

struct HttpRequestView {
    std::string_view method;
    std::string_view target;
    std::string_view content_type;
    std::string_view authorization;
    std::string_view cookie;
    std::string_view body;
};

// The reply; reused by a connection from request to request, so its strings keep capacity.
struct Reply {
    unsigned status = 200;
    std::string_view reason = "OK";
    std::string_view content_type = "application/json";
    std::string set_cookie;  // empty: none
    bool www_authenticate = false;
    std::string body;
    // What the wire must do beyond a normal answer: malformed is already in the body;
    // truncated and close are done by the writer.
    FaultKind wire_fault = FaultKind::none;
    int delay_ms = 0;

    void clear() {
        status = 200;
        reason = "OK";
        content_type = "application/json";
        set_cookie.clear();
        www_authenticate = false;
        body.clear();
        wire_fault = FaultKind::none;
        delay_ms = 0;
    }
};

class NxapiHandler {
  public:
    NxapiHandler(const NxosBodies& bodies, std::string hostname_prefix, int switches)
        : bodies_(bodies),
          hostname_prefix_(std::move(hostname_prefix)),
          switches_(switches),
          start_(std::chrono::steady_clock::now()) {}

    void handle(SwitchState& state, const HttpRequestView& request, Reply& reply) const;

  private:
    // Renders the NX-API answer for the request's commands; returns the commands answered.
    size_t render_answer(const SwitchState& state, const HttpRequestView& request,
                         std::chrono::steady_clock::time_point now, Reply& reply) const;

    const NxosBodies& bodies_;
    std::string hostname_prefix_;
    int switches_;
    std::chrono::steady_clock::time_point start_;
};

}  // namespace nxapi_sim
