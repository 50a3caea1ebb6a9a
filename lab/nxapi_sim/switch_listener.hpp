// The simulated switches' sockets: one listening socket per switch (plain HTTP or HTTPS), each
// connection a keep-alive HTTP/1.1 loop on the io_context answering through NxapiHandler.
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>

#include "lab/nxapi_sim/nxapi_handler.hpp"
#include "lab/nxapi_sim/switch_state.hpp"

namespace nxapi_sim {

// Opens the switch's listening socket on endpoint (port 0: any free port), records the bound
// address and port in state, and starts accepting. Throws boost::system::system_error when the
// socket cannot be opened (start-up). tls is null for plain HTTP; handler, state and tls must
// outlive the io_context's run.
void open_switch_listener(boost::asio::io_context& io, const NxapiHandler& handler,
                          boost::asio::ssl::context* tls, SwitchState& state,
                          const boost::asio::ip::tcp::endpoint& endpoint);

}  // namespace nxapi_sim
