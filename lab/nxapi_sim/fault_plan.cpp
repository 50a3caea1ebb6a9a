#include "lab/nxapi_sim/fault_plan.hpp"

namespace nxapi_sim {

std::optional<FaultKind> parse_fault_kind(std::string_view name) {
    if (name == "clear") return FaultKind::none;
    if (name == "slow") return FaultKind::slow;
    if (name == "401") return FaultKind::unauthorized;
    if (name == "403") return FaultKind::forbidden;
    if (name == "500") return FaultKind::server_error;
    if (name == "malformed") return FaultKind::malformed;
    if (name == "truncated") return FaultKind::truncated;
    if (name == "close") return FaultKind::close;
    return std::nullopt;
}

const char* fault_name(FaultKind kind) {
    switch (kind) {
        case FaultKind::none:
            return "none";
        case FaultKind::slow:
            return "slow";
        case FaultKind::unauthorized:
            return "401";
        case FaultKind::forbidden:
            return "403";
        case FaultKind::server_error:
            return "500";
        case FaultKind::malformed:
            return "malformed";
        case FaultKind::truncated:
            return "truncated";
        case FaultKind::close:
            return "close";
    }
    return "none";
}

}  // namespace nxapi_sim
