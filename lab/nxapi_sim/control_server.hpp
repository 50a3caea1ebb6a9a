// The plain-HTTP control endpoint (--control): per-switch stats, fault injection, cookie
// expiry and stats reset for tests and benchmarks. JSON in and out; see README.md.
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <memory>
#include <string>
#include <vector>

#include "lab/nxapi_sim/switch_state.hpp"

namespace nxapi_sim {

using SwitchStates = std::vector<std::unique_ptr<SwitchState>>;

// A JSON control request answered: status and body. Pure apart from the switch states it reads
// and changes, so it is testable without a socket.
struct ControlAnswer {
    unsigned status = 200;
    std::string body;
};
ControlAnswer answer_control(SwitchStates& switches, std::string_view method,
                             std::string_view target, std::string_view body);

// Listens on endpoint and answers control requests; throws on bind failure (start-up).
// Returns the bound port.
uint16_t open_control_server(boost::asio::io_context& io, SwitchStates& switches,
                             const boost::asio::ip::tcp::endpoint& endpoint);

}  // namespace nxapi_sim
