#include "lab/nxapi_sim/nxapi_handler.hpp"

#include "lab/nxapi_sim/rpc_formats.hpp"

namespace nxapi_sim {
namespace {

constexpr auto kRelaxed = std::memory_order_relaxed;

void plain(Reply& reply, unsigned status, std::string_view reason, std::string_view text) {
    reply.status = status;
    reply.reason = reason;
    reply.content_type = "text/plain";
    reply.body.assign(text);
}

}  // namespace

size_t NxapiHandler::render_answer(const SwitchState& state, const HttpRequestView& request,
                                   std::chrono::steady_clock::time_point now, Reply& reply) const {
    ParsedRequest parsed = parse_request(request.content_type, request.body);
    reply.content_type = content_type_of(parsed.format);
    if (!parsed.error.empty()) {
        reply.status = 400;
        reply.reason = "Bad Request";
        reply.body = request_error_answer(parsed);
        return 0;
    }
    auto elapsed_ms = std::chrono::duration_cast<std::chrono::milliseconds>(now - start_).count();
    SwitchView view{state.index, switches_, hostname_prefix_};
    std::string& out = reply.body;
    begin_answer(out, parsed);
    for (size_t k = 0; k < parsed.calls.size(); ++k) {
        const CommandCall& call = parsed.calls[k];
        if (call.error != CallError::none) {
            call_error(out, parsed, k, call.error);
            continue;
        }
        begin_body(out, parsed, k);
        bodies_.render(parse_command(call.cmd), view, elapsed_ms, parsed.rows_as_arrays, out);
        end_body(out, parsed, k);
    }
    end_answer(out, parsed);
    return parsed.calls.size();
}

void NxapiHandler::handle(SwitchState& state, const HttpRequestView& request, Reply& reply) const {
    reply.clear();
    state.stats.requests.fetch_add(1, kRelaxed);
    std::string_view path = request.target.substr(0, request.target.find('?'));
    if (path != "/ins") return plain(reply, 404, "Not Found", "not found: NX-API is on /ins\n");
    if (request.method != "POST") {
        return plain(reply, 405, "Method Not Allowed", "NX-API takes POST\n");
    }
    auto now = std::chrono::steady_clock::now();

    Fault fault;
    {
        std::lock_guard lock(state.mutex);
        fault = state.faults.take();
    }
    reply.delay_ms = fault.delay_ms;
    if (fault.kind != FaultKind::none) state.stats.faults.fetch_add(1, kRelaxed);
    switch (fault.kind) {
        case FaultKind::none:
        case FaultKind::slow:
            break;
        case FaultKind::unauthorized:
            reply.www_authenticate = true;
            return plain(reply, 401, "Unauthorized", "401 Unauthorized (injected)\n");
        case FaultKind::forbidden:
            return plain(reply, 403, "Forbidden", "403 Forbidden (injected)\n");
        case FaultKind::server_error:
            return plain(reply, 500, "Internal Server Error",
                         "500 Internal Server Error (injected)\n");
        case FaultKind::malformed:
        case FaultKind::truncated:
            // A real answer (not counted, no auth needed), cut on the wire or in the body.
            render_answer(state, request, now, reply);
            reply.status = 200;
            reply.reason = "OK";
            if (fault.kind == FaultKind::malformed) {
                // Any proper prefix of a JSON object or array is not valid JSON.
                reply.body.resize(reply.body.size() / 2);
            }
            reply.wire_fault = fault.kind;
            return;
        case FaultKind::close:
            reply.wire_fault = FaultKind::close;
            return;
    }

    AuthOutcome auth;
    {
        std::lock_guard lock(state.mutex);
        auth = state.sessions.authenticate(request.authorization, request.cookie, now,
                                           reply.set_cookie);
    }
    if (auth == AuthOutcome::denied) {
        state.stats.unauthorized.fetch_add(1, kRelaxed);
        reply.www_authenticate = true;
        return plain(reply, 401, "Unauthorized", "401 Unauthorized\n");
    }
    (auth == AuthOutcome::login ? state.stats.logins : state.stats.cookie_hits)
        .fetch_add(1, kRelaxed);
    size_t commands = render_answer(state, request, now, reply);
    state.stats.commands.fetch_add(commands, kRelaxed);
}

}  // namespace nxapi_sim
