// NX-API's two request formats on POST /ins, parsed into commands, and the answers written
// around the command bodies (so a body is rendered straight into the answer, never copied):
// JSON-RPC 2.0 (Content-Type application/json-rpc) and ins_api (application/json).
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace nxapi_sim {

enum class RequestFormat { json_rpc, ins_api };

// Why one command gets an error answer instead of a body.
enum class CallError {
    none,
    invalid_request,    // JSON-RPC: not an object, no params.cmd
    method_not_found,   // JSON-RPC: method other than "cli"
    invalid_version,    // JSON-RPC: params.version other than 1 or 1.2
    bad_command,        // unknown command
    permission_denied,  // show running-config
};

struct CommandCall {
    std::string cmd;
    std::string id_json;  // the JSON-RPC id as JSON text ("null" when absent)
    CallError error = CallError::none;
};

struct ParsedRequest {
    RequestFormat format = RequestFormat::json_rpc;
    // JSON-RPC: the answer is an array (a request array of 2 or more; NX-OS answers a
    // one-element array with a bare object). ins_api: more than one command.
    bool answer_is_array = false;
    bool rows_as_arrays = false;  // ins_api type cli_show_array
    std::string ins_type;         // ins_api type, echoed
    std::vector<CommandCall> calls;
    std::string error;  // non-empty: the request as a whole is refused (HTTP 400)
};

ParsedRequest parse_request(std::string_view content_type, std::string_view body);

// The answer: begin, then per call either begin_body + the body + end_body, or call_error,
// then end. The body goes straight into out.
void begin_answer(std::string& out, const ParsedRequest& request);
void begin_body(std::string& out, const ParsedRequest& request, size_t call);
void end_body(std::string& out, const ParsedRequest& request, size_t call);
void call_error(std::string& out, const ParsedRequest& request, size_t call, CallError error);
void end_answer(std::string& out, const ParsedRequest& request);

// The body of an HTTP 400 for a request refused as a whole, in the request's format.
std::string request_error_answer(const ParsedRequest& request);

inline const char* content_type_of(RequestFormat format) {
    return format == RequestFormat::json_rpc ? "application/json-rpc; charset=UTF-8"
                                             : "application/json; charset=UTF-8";
}

}  // namespace nxapi_sim
