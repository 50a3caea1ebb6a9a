// Faults injected into one switch's answers, set through the control endpoint: each kind
// applies to the next `count` requests on /ins (-1: until cleared), optionally after a delay.
#pragma once

#include <optional>
#include <string_view>

namespace nxapi_sim {

enum class FaultKind {
    none,
    slow,          // answer normally after delay_ms
    unauthorized,  // HTTP 401
    forbidden,     // HTTP 403
    server_error,  // HTTP 500
    malformed,     // HTTP 200 with a body that is not valid JSON
    truncated,     // Content-Length larger than the body sent, then close
    close,         // close the connection without answering
};

std::optional<FaultKind> parse_fault_kind(std::string_view name);  // "clear" is FaultKind::none
const char* fault_name(FaultKind kind);

struct Fault {
    FaultKind kind = FaultKind::none;
    int delay_ms = 0;
};

class FaultPlan {
  public:
    void set(FaultKind kind, int count, int delay_ms) {
        kind_ = kind;
        remaining_ = count;
        delay_ms_ = delay_ms;
    }
    // The fault for the request now arriving (kind none: answer normally).
    Fault take() {
        if (kind_ == FaultKind::none || remaining_ == 0) return {};
        if (remaining_ > 0) --remaining_;
        return {kind_, delay_ms_};
    }
    FaultKind kind() const { return remaining_ == 0 ? FaultKind::none : kind_; }
    int remaining() const { return remaining_; }

  private:
    FaultKind kind_ = FaultKind::none;
    int remaining_ = 0;
    int delay_ms_ = 0;
};

}  // namespace nxapi_sim
