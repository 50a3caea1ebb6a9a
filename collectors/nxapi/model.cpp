// NX-API request bodies and answer parsing; see model.hpp.
#include "collectors/nxapi/model.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>

#include "collectors/nxapi/table_shape.hpp"

namespace netfeed::nxapi {

namespace {

constexpr std::array<std::string_view, 14> kErrorNames = {
    "none",       "bad_command", "permission_denied", "command_error", "unauthorized",
    "forbidden",  "http_error",  "malformed",         "truncated",     "timeout",
    "connection", "tls",         "missing_answer",    "too_large"};

std::string dump(const Json& j) {
    return j.dump(-1, ' ', false, Json::error_handler_t::replace);
}

bool contains_nocase(std::string_view text, std::string_view word) {
    const auto it =
        std::search(text.begin(), text.end(), word.begin(), word.end(), [](char a, char b) {
            return std::tolower(static_cast<unsigned char>(a)) ==
                   std::tolower(static_cast<unsigned char>(b));
        });
    return it != text.end();
}

// NX-OS says what went wrong only in words; these are the words its messages use.
ErrorType classify_message(std::string_view text, ErrorType otherwise) {
    if (contains_nocase(text, "permission") || contains_nocase(text, "not authorized") ||
        contains_nocase(text, "authorization failed")) {
        return ErrorType::permission_denied;
    }
    if (contains_nocase(text, "command error") || contains_nocase(text, "invalid command") ||
        contains_nocase(text, "incomplete command") || contains_nocase(text, "ambiguous command") ||
        contains_nocase(text, "syntax error")) {
        return ErrorType::bad_command;
    }
    return otherwise;
}

std::string scalar_text(const Json& j) {
    if (j.is_string()) return j.get<std::string>();
    if (j.is_null()) return {};
    return dump(j);
}

CommandResult jsonrpc_error(const Json& error) {
    CommandResult r;
    r.error = ErrorType::command_error;
    if (!error.is_object()) {
        r.message = scalar_text(error);
        return r;
    }
    if (auto it = error.find("code"); it != error.end()) r.code = scalar_text(*it);
    std::string message;
    if (auto it = error.find("message"); it != error.end()) message = scalar_text(*it);
    std::string data_msg;
    if (auto it = error.find("data"); it != error.end()) {
        if (it->is_object()) {
            if (auto m = it->find("msg"); m != it->end()) data_msg = scalar_text(*m);
        } else if (it->is_string()) {
            data_msg = it->get<std::string>();
        }
    }
    r.message = data_msg.empty() ? message : data_msg;
    r.error = classify_message(data_msg + " " + message, ErrorType::command_error);
    return r;
}

std::optional<std::size_t> rpc_position(const Json& id, std::size_t count, int first_id) {
    long long value = 0;
    if (id.is_number_integer()) {
        value = id.get<long long>();
    } else if (id.is_string()) {
        const auto& s = id.get_ref<const std::string&>();
        const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), value);
        if (ec != std::errc() || end != s.data() + s.size()) return std::nullopt;
    } else {
        return std::nullopt;
    }
    const long long position = value - first_id;
    if (position < 0 || static_cast<unsigned long long>(position) >= count) return std::nullopt;
    return static_cast<std::size_t>(position);
}

struct ErrorPosition {
    std::size_t position = 0;
    std::string message;
};

// A SAX consumer that builds nothing: run only when the DOM parse failed, to learn where.
struct ErrorLocator {
    ErrorPosition* out;
    bool null() { return true; }
    bool boolean(bool) { return true; }
    bool number_integer(Json::number_integer_t) { return true; }
    bool number_unsigned(Json::number_unsigned_t) { return true; }
    bool number_float(Json::number_float_t, const std::string&) { return true; }
    bool string(std::string&) { return true; }
    bool binary(Json::binary_t&) { return true; }
    bool start_object(std::size_t) { return true; }
    bool key(std::string&) { return true; }
    bool end_object() { return true; }
    bool start_array(std::size_t) { return true; }
    bool end_array() { return true; }
    bool parse_error(std::size_t position, const std::string&,
                     const nlohmann::detail::exception& e) {
        out->position = position;
        out->message = e.what();
        return false;
    }
};

}  // namespace

std::string_view error_type_name(ErrorType type) noexcept {
    return kErrorNames[static_cast<std::size_t>(type)];
}

std::string_view content_type(RequestFormat format) noexcept {
    return format == RequestFormat::jsonrpc ? "application/json-rpc" : "application/json";
}

std::string jsonrpc_request_body(std::span<const std::string> commands, RpcVersion version,
                                 int first_id) {
    Json batch = Json::array();
    int id = first_id;
    for (const auto& command : commands) {
        Json call = {{"jsonrpc", "2.0"}, {"method", "cli"}, {"id", id++}};
        call["params"] = {{"cmd", command}};
        if (version == RpcVersion::v1) {
            call["params"]["version"] = 1;
        } else {
            call["params"]["version"] = 1.2;
        }
        batch.push_back(std::move(call));
    }
    return dump(batch);
}

std::string ins_api_request_body(std::span<const std::string> commands) {
    std::string input;
    for (const auto& command : commands)
        input += (input.empty() ? "" : " ;") + command;
    const Json request = {{"ins_api",
                           {{"version", "1.0"},
                            {"type", "cli_show"},
                            {"chunk", "0"},
                            {"sid", "1"},
                            {"input", input},
                            {"output_format", "json"}}}};
    return dump(request);
}

std::string request_body(RequestFormat format, std::span<const std::string> commands,
                         RpcVersion version) {
    return format == RequestFormat::jsonrpc ? jsonrpc_request_body(commands, version)
                                            : ins_api_request_body(commands);
}

std::size_t json_nesting_depth(std::string_view text) noexcept {
    std::size_t depth = 0, deepest = 0;
    bool in_string = false, escaped = false;
    for (char c : text) {
        if (in_string) {
            if (escaped) {
                escaped = false;
            } else if (c == '\\') {
                escaped = true;
            } else if (c == '"') {
                in_string = false;
            }
            continue;
        }
        if (c == '"') {
            in_string = true;
        } else if (c == '[' || c == '{') {
            deepest = std::max(deepest, ++depth);
        } else if ((c == ']' || c == '}') && depth > 0) {
            --depth;
        }
    }
    return deepest;
}

std::optional<Json> parse_json(std::string_view text, ErrorType& error, std::string& detail) {
    const auto blank = [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; };
    if (std::all_of(text.begin(), text.end(), blank)) {
        error = ErrorType::malformed;
        detail = "empty body";
        return std::nullopt;
    }
    if (json_nesting_depth(text) > kMaxJsonDepth) {
        error = ErrorType::malformed;
        detail = "JSON nested deeper than " + std::to_string(kMaxJsonDepth) + " levels";
        return std::nullopt;
    }
    Json parsed = Json::parse(text.begin(), text.end(), nullptr, false);
    if (!parsed.is_discarded()) return parsed;
    ErrorPosition where;
    ErrorLocator locator{&where};
    Json::sax_parse(text.begin(), text.end(), &locator, nlohmann::detail::input_format_t::json,
                    true);
    // A body that HTTP says is complete but whose JSON stops early is still malformed: only
    // the transport can tell that bytes are missing (truncated). The parser reports the end
    // of the input as one past the last byte.
    error = ErrorType::malformed;
    detail = where.position >= text.size() ? "the JSON ends early (incomplete body)"
                                           : (where.message.empty() ? "not JSON" : where.message);
    return std::nullopt;
}

ParsedResponse parse_jsonrpc_response(std::string_view body, std::size_t count, int first_id) {
    ParsedResponse out;
    auto parsed = parse_json(body, out.error, out.detail);
    if (!parsed) return out;
    Json answers = std::move(*parsed);
    if (answers.is_object()) {
        Json one = Json::array();
        one.push_back(std::move(answers));
        answers = std::move(one);
    }
    if (!answers.is_array()) {
        out.error = ErrorType::malformed;
        out.detail = "a JSON-RPC answer is an object or an array of objects";
        return out;
    }
    out.results.resize(count);
    bool recognised = false;
    std::optional<CommandResult> request_error;  // an error with a null id refuses the batch
    for (auto& answer : answers) {               // not const: outputs are moved out, not copied
        if (!answer.is_object()) continue;
        const auto result = answer.find("result");
        const auto error = answer.find("error");
        if (result == answer.end() && error == answer.end()) continue;
        std::optional<std::size_t> position;
        if (auto id = answer.find("id"); id != answer.end()) {
            position = rpc_position(*id, count, first_id);
            if (!position && id->is_null() && error != answer.end()) {
                request_error = jsonrpc_error(*error);
                recognised = true;
                continue;
            }
        } else if (count == 1 && answers.size() == 1) {
            position = 0;  // a lone answer without an id can only be for the lone command
        }
        if (!position || out.results[*position]) continue;
        recognised = true;
        if (error != answer.end() && !error->is_null()) {
            out.results[*position] = jsonrpc_error(*error);
            continue;
        }
        CommandResult r;
        if (result->is_object()) {
            const auto b = result->find("body");
            r.body = b != result->end() ? std::move(*b) : std::move(*result);
        } else {
            r.body = std::move(*result);  // null for commands that print nothing
        }
        out.results[*position] = std::move(r);
    }
    if (!recognised) {
        out.results.clear();
        out.error = ErrorType::malformed;
        out.detail = "no JSON-RPC result or error in the answer";
        return out;
    }
    if (request_error) {
        for (auto& r : out.results) {
            if (!r) r = *request_error;
        }
    }
    return out;
}

ParsedResponse parse_ins_api_response(std::string_view body,
                                      std::span<const std::string> commands) {
    ParsedResponse out;
    auto parsed = parse_json(body, out.error, out.detail);
    if (!parsed) return out;
    Json* outputs = nullptr;
    if (parsed->is_object()) {
        const auto ins = parsed->find("ins_api");
        if (ins != parsed->end() && ins->is_object()) {
            const auto o = ins->find("outputs");
            if (o != ins->end() && o->is_object()) {
                const auto output = o->find("output");
                if (output != o->end()) outputs = &*output;
            }
        }
    }
    if (outputs == nullptr || !(outputs->is_object() || outputs->is_array())) {
        out.error = ErrorType::malformed;
        out.detail = "no ins_api.outputs.output in the answer";
        return out;
    }
    std::vector<Json*> list;  // not const: bodies are moved out, not copied
    if (outputs->is_object()) {
        list.push_back(outputs);
    } else {
        for (auto& o : *outputs)
            if (o.is_object()) list.push_back(&o);
    }
    std::vector<std::string> wanted;
    for (const auto& c : commands)
        wanted.push_back(canonical_command(c));
    out.results.resize(commands.size());
    std::size_t next = 0;  // outputs without a usable input go to the first command unanswered
    for (Json* o : list) {
        std::optional<std::size_t> position;
        if (auto input = o->find("input"); input != o->end() && input->is_string()) {
            const std::string text = canonical_command(input->get<std::string>());
            for (std::size_t i = 0; i < wanted.size(); ++i) {
                if (!out.results[i] && wanted[i] == text) {
                    position = i;
                    break;
                }
            }
        }
        if (!position) {
            while (next < out.results.size() && out.results[next])
                ++next;
            if (next == out.results.size()) continue;
            position = next;
        }
        CommandResult r;
        if (auto code = o->find("code"); code != o->end()) r.code = scalar_text(*code);
        if (auto msg = o->find("msg"); msg != o->end()) r.message = scalar_text(*msg);
        if (r.code == "200" || (r.code.empty() && o->contains("body"))) {
            if (auto b = o->find("body"); b != o->end()) r.body = std::move(*b);
        } else {
            if (auto cli = o->find("clierror"); cli != o->end() && cli->is_string()) {
                std::string text = cli->get<std::string>();
                while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back())))
                    text.pop_back();
                if (!text.empty()) r.message += (r.message.empty() ? "" : ": ") + text;
            }
            const ErrorType by_code = r.code == "400" ? ErrorType::bad_command
                                      : (r.code == "401" || r.code == "403")
                                          ? ErrorType::permission_denied
                                          : ErrorType::command_error;
            r.error = by_code == ErrorType::command_error
                          ? classify_message(r.message, by_code)
                          : (classify_message(r.message, by_code) == ErrorType::permission_denied
                                 ? ErrorType::permission_denied
                                 : by_code);
        }
        out.results[*position] = std::move(r);
    }
    return out;
}

ParsedResponse parse_response(RequestFormat format, std::string_view body,
                              std::span<const std::string> commands) {
    return format == RequestFormat::jsonrpc ? parse_jsonrpc_response(body, commands.size())
                                            : parse_ins_api_response(body, commands);
}

}  // namespace netfeed::nxapi
