#include "lab/nxapi_sim/rpc_formats.hpp"

#include <nlohmann/json.hpp>

#include "lab/nxapi_sim/body_template.hpp"
#include "lab/nxapi_sim/nxos_bodies.hpp"

namespace nxapi_sim {
namespace {

using nlohmann::json;

bool starts_with_ignoring_case(std::string_view text, std::string_view prefix) {
    if (text.size() < prefix.size()) return false;
    for (size_t k = 0; k < prefix.size(); ++k) {
        char c = text[k];
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
        if (c != prefix[k]) return false;
    }
    return true;
}

std::string_view trim(std::string_view text) {
    while (!text.empty() && (text.front() == ' ' || text.front() == '\t'))
        text.remove_prefix(1);
    while (!text.empty() && (text.back() == ' ' || text.back() == '\t'))
        text.remove_suffix(1);
    return text;
}

CallError command_error(std::string_view cmd) {
    switch (parse_command(cmd)) {
        case Command::unknown:
            return CallError::bad_command;
        case Command::show_running_config:
            return CallError::permission_denied;
        default:
            return CallError::none;
    }
}

CommandCall parse_rpc_call(const json& element) {
    CommandCall call;
    call.id_json = "null";
    if (!element.is_object()) {
        call.error = CallError::invalid_request;
        return call;
    }
    if (auto id = element.find("id"); id != element.end()) call.id_json = id->dump();
    auto method = element.find("method");
    if (method == element.end() || !method->is_string()) {
        call.error = CallError::invalid_request;
        return call;
    }
    auto params = element.find("params");
    if (params == element.end() || !params->is_object()) {
        call.error = CallError::invalid_request;
        return call;
    }
    auto cmd = params->find("cmd");
    if (cmd == params->end() || !cmd->is_string()) {
        call.error = CallError::invalid_request;
        return call;
    }
    call.cmd = cmd->get<std::string>();
    if (method->get<std::string>() != "cli") {
        call.error = CallError::method_not_found;
        return call;
    }
    // NX-API takes 1 or 1.2 (and tolerates them as strings); absent means 1.
    if (auto version = params->find("version"); version != params->end()) {
        bool ok = false;
        if (version->is_number()) {
            double v = version->get<double>();
            ok = v == 1.0 || v == 1.2;
        } else if (version->is_string()) {
            auto v = version->get<std::string>();
            ok = v == "1" || v == "1.0" || v == "1.2";
        }
        if (!ok) {
            call.error = CallError::invalid_version;
            return call;
        }
    }
    call.error = command_error(call.cmd);
    return call;
}

void parse_rpc(const json& document, ParsedRequest& request) {
    if (document.is_array()) {
        if (document.empty()) {
            request.error = "empty batch";
            return;
        }
        request.answer_is_array = document.size() > 1;
        for (const json& element : document)
            request.calls.push_back(parse_rpc_call(element));
    } else if (document.is_object()) {
        request.calls.push_back(parse_rpc_call(document));
    } else {
        request.error = "not a JSON-RPC request";
    }
}

void parse_ins_api(const json& document, ParsedRequest& request) {
    auto root = document.is_object() ? document.find("ins_api") : document.end();
    if (root == document.end() || !root->is_object()) {
        request.error = "no ins_api object";
        return;
    }
    auto type = root->find("type");
    auto input = root->find("input");
    if (type == root->end() || !type->is_string() || input == root->end() || !input->is_string()) {
        request.error = "ins_api needs type and input strings";
        return;
    }
    request.ins_type = type->get<std::string>();
    if (request.ins_type != "cli_show" && request.ins_type != "cli_show_array") {
        request.error = "Request type not supported: " + request.ins_type;
        return;
    }
    request.rows_as_arrays = request.ins_type == "cli_show_array";
    if (auto format = root->find("output_format"); format != root->end()) {
        if (!format->is_string() || format->get<std::string>() != "json") {
            request.error = "output_format must be json";
            return;
        }
    }
    std::string_view rest = input->get_ref<const std::string&>();
    while (!rest.empty()) {
        size_t end = rest.find(';');
        std::string_view piece = trim(rest.substr(0, end));
        rest = end == std::string_view::npos ? std::string_view() : rest.substr(end + 1);
        if (piece.empty()) continue;
        CommandCall call;
        call.cmd = std::string(piece);
        call.error = command_error(piece);
        request.calls.push_back(std::move(call));
    }
    if (request.calls.empty()) {
        request.error = "no command in input";
        return;
    }
    request.answer_is_array = request.calls.size() > 1;
}

void append_quoted(std::string& out, std::string_view text) {
    out.push_back('"');
    append_json_escaped(out, text);
    out.push_back('"');
}

}  // namespace

ParsedRequest parse_request(std::string_view content_type, std::string_view body) {
    ParsedRequest request;
    json document = json::parse(body.begin(), body.end(), nullptr, false);
    if (starts_with_ignoring_case(content_type, "application/json-rpc")) {
        request.format = RequestFormat::json_rpc;
    } else if (starts_with_ignoring_case(content_type, "application/json")) {
        request.format = RequestFormat::ins_api;
    } else {
        // No usable Content-Type: tell the formats apart by their shape.
        bool ins = document.is_object() && document.contains("ins_api");
        request.format = ins ? RequestFormat::ins_api : RequestFormat::json_rpc;
    }
    if (document.is_discarded()) {
        request.error = "request body is not JSON";
        return request;
    }
    if (request.format == RequestFormat::json_rpc) {
        parse_rpc(document, request);
    } else {
        parse_ins_api(document, request);
    }
    return request;
}

void begin_answer(std::string& out, const ParsedRequest& request) {
    if (request.format == RequestFormat::ins_api) {
        out += R"({"ins_api":{"type":)";
        append_quoted(out, request.ins_type);
        out += R"(,"version":"1.0","sid":"eoc","outputs":{"output":)";
    }
    if (request.answer_is_array) out.push_back('[');
}

void begin_body(std::string& out, const ParsedRequest& request, size_t call) {
    if (call > 0) out.push_back(',');
    if (request.format == RequestFormat::json_rpc) {
        out += R"({"jsonrpc":"2.0","result":{"body":)";
    } else {
        out += R"({"input":)";
        append_quoted(out, request.calls[call].cmd);
        out += R"(,"msg":"Success","code":"200","body":)";
    }
}

void end_body(std::string& out, const ParsedRequest& request, size_t call) {
    if (request.format == RequestFormat::json_rpc) {
        out += R"(},"id":)";
        out += request.calls[call].id_json;
    }
    out.push_back('}');
}

void call_error(std::string& out, const ParsedRequest& request, size_t call, CallError error) {
    if (call > 0) out.push_back(',');
    if (request.format == RequestFormat::json_rpc) {
        out += R"({"jsonrpc":"2.0","error":)";
        switch (error) {
            case CallError::invalid_request:
                out += R"({"code":-32600,"message":"Invalid Request"})";
                break;
            case CallError::method_not_found:
                out += R"({"code":-32601,"message":"Method not found"})";
                break;
            case CallError::invalid_version:
                out +=
                    R"({"code":-32602,"message":"Invalid params","data":{"msg":"Invalid version"}})";
                break;
            case CallError::permission_denied:
                out +=
                    R"({"code":-32602,"message":"Invalid params","data":{"msg":"Permission denied"}})";
                break;
            case CallError::bad_command:
            case CallError::none:
                out +=
                    R"({"code":-32602,"message":"Invalid params","data":{"msg":"Input CLI command error"}})";
                break;
        }
        out += R"(,"id":)";
        out += request.calls[call].id_json;
        out.push_back('}');
        return;
    }
    out += R"({"input":)";
    append_quoted(out, request.calls[call].cmd);
    if (error == CallError::permission_denied) {
        out +=
            R"(,"clierror":"% Permission denied for the role\n","msg":"Permission denied","code":"403"})";
    } else {
        out +=
            R"(,"clierror":"% Invalid command at '^' marker.\n","msg":"Input CLI command error","code":"400"})";
    }
}

void end_answer(std::string& out, const ParsedRequest& request) {
    if (request.answer_is_array) out.push_back(']');
    if (request.format == RequestFormat::ins_api) out += "}}}";
}

std::string request_error_answer(const ParsedRequest& request) {
    std::string out;
    if (request.format == RequestFormat::json_rpc) {
        bool parse = request.error == "request body is not JSON";
        out =
            parse
                ? R"({"jsonrpc":"2.0","error":{"code":-32700,"message":"Parse error","data":{"msg":)"
                : R"({"jsonrpc":"2.0","error":{"code":-32600,"message":"Invalid Request","data":{"msg":)";
        append_quoted(out, request.error);
        out += R"(}},"id":null})";
    } else {
        out = R"({"ins_api":{"sid":"eoc","outputs":{"output":{"code":"400","msg":)";
        append_quoted(out, request.error);
        out += "}}}}";
    }
    return out;
}

}  // namespace nxapi_sim
