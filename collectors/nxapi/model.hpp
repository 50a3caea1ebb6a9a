// The NX-API protocol as pure functions (no sockets): request bodies for JSON-RPC and ins_api,
// answers parsed into one result per command, and the error types both formats share.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace netfeed::nxapi {

using Json = nlohmann::json;

/// The two request formats NX-API accepts on POST /ins.
enum class RequestFormat : std::uint8_t { jsonrpc, ins_api };
/// The JSON-RPC `params.version` (NX-OS accepts 1 and 1.2; 1.2 is what current releases document).
enum class RpcVersion : std::uint8_t { v1, v1_2 };

/// Why a command gave no output. Names are stable: they are the `error_type` of error records
/// and a metric label (docs/nxapi.md).
enum class ErrorType : std::uint8_t {
    none,
    bad_command,        // the switch does not know the command (ins_api 400, JSON-RPC -32602)
    permission_denied,  // the user may not run it
    command_error,      // any other error the switch reported for the command
    unauthorized,       // HTTP 401 even after a fresh basic-auth login
    forbidden,          // HTTP 403
    http_error,         // another HTTP status without a usable NX-API body (500, 502, ...)
    malformed,          // the body is not JSON, or not the shape NX-API answers have
    truncated,          // the connection ended before the announced Content-Length
    timeout,            // no complete answer within the device's timeout
    connection,         // could not connect, or the connection closed without an answer
    tls,                // TLS handshake or certificate verification failed
    missing_answer,     // the answer held no output for this command
    too_large,          // the answer was longer than max_response_bytes
};
std::string_view error_type_name(ErrorType type) noexcept;

/// Content-Type of a request in `format`.
std::string_view content_type(RequestFormat format) noexcept;

/// A JSON-RPC 2.0 batch: one `cli` call per command, ids first_id, first_id + 1, ...
std::string jsonrpc_request_body(std::span<const std::string> commands, RpcVersion version,
                                 int first_id = 1);
/// An ins_api cli_show request with the commands joined by " ;" (one request, several outputs).
std::string ins_api_request_body(std::span<const std::string> commands);
/// Either of the above.
std::string request_body(RequestFormat format, std::span<const std::string> commands,
                         RpcVersion version);

/// The outcome of one command.
struct CommandResult {
    ErrorType error = ErrorType::none;
    Json body;            // the command's output when error == none (null when it had none)
    std::string code;     // JSON-RPC error code or ins_api code, as text ("-32602", "400")
    std::string message;  // what the switch said (error message, data.msg, ins_api msg)
};

/// An answer split per command, in request order.
struct ParsedResponse {
    /// Set when the body as a whole is unusable (malformed, truncated); results is then empty.
    ErrorType error = ErrorType::none;
    std::string detail;
    /// One entry per command sent; nullopt when the answer has nothing for it.
    std::vector<std::optional<CommandResult>> results;
};

/// Parses a JSON-RPC answer (a single object or a batch array, results and error objects,
/// matched to the commands by id first_id ... first_id + count - 1).
ParsedResponse parse_jsonrpc_response(std::string_view body, std::size_t count, int first_id = 1);
/// Parses an ins_api answer (outputs.output is an object for one command, an array for several;
/// each output is matched by its `input` text, else by position).
ParsedResponse parse_ins_api_response(std::string_view body, std::span<const std::string> commands);
/// Either of the above.
ParsedResponse parse_response(RequestFormat format, std::string_view body,
                              std::span<const std::string> commands);

/// Deepest nesting of arrays and objects in `text` (strings skipped): bodies nested deeper than
/// the parsers allow are refused before parsing, so nothing recurses without bound.
std::size_t json_nesting_depth(std::string_view text) noexcept;
inline constexpr std::size_t kMaxJsonDepth = 64;

/// Parses JSON text without exceptions; on failure `error` is malformed and `detail` says why
/// (including "ends early" for JSON cut short).
std::optional<Json> parse_json(std::string_view text, ErrorType& error, std::string& detail);

}  // namespace netfeed::nxapi
