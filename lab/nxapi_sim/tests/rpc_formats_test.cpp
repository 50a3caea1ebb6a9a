// NX-API request parsing and answer framing: a table of real-format requests.
#include "lab/nxapi_sim/rpc_formats.hpp"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

namespace nxapi_sim {
namespace {

struct ParseCase {
    const char* name;
    const char* content_type;
    const char* body;
    RequestFormat format;
    bool answer_is_array;
    std::vector<CallError> errors;  // one per call; empty when the request is refused
    std::vector<std::string> ids;
};

TEST(RpcFormats, ParsesRequests) {
    const ParseCase cases[] = {
        {"rpc single",
         "application/json-rpc",
         R"({"jsonrpc":"2.0","method":"cli","params":{"cmd":"show version","version":1},"id":1})",
         RequestFormat::json_rpc,
         false,
         {CallError::none},
         {"1"}},
        {"rpc one-element batch answers an object",
         "application/json-rpc",
         R"([{"jsonrpc":"2.0","method":"cli","params":{"cmd":"show version","version":1.2},"id":"a"}])",
         RequestFormat::json_rpc,
         false,
         {CallError::none},
         {"\"a\""}},
        {"rpc batch",
         "application/json-rpc; charset=utf-8",
         R"([{"jsonrpc":"2.0","method":"cli","params":{"cmd":"show version","version":1},"id":1},
             {"jsonrpc":"2.0","method":"cli","params":{"cmd":"show bogus","version":1},"id":2},
             {"jsonrpc":"2.0","method":"cli","params":{"cmd":"show running-config"},"id":3},
             {"jsonrpc":"2.0","method":"cli_ascii","params":{"cmd":"show version"},"id":4},
             {"jsonrpc":"2.0","method":"cli","params":{"cmd":"show version","version":2},"id":5},
             {"jsonrpc":"2.0","method":"cli","id":6},
             7])",
         RequestFormat::json_rpc,
         true,
         {CallError::none, CallError::bad_command, CallError::permission_denied,
          CallError::method_not_found, CallError::invalid_version, CallError::invalid_request,
          CallError::invalid_request},
         {"1", "2", "3", "4", "5", "6", "null"}},
        {"rpc version as string",
         "application/json-rpc",
         R"({"jsonrpc":"2.0","method":"cli","params":{"cmd":"show version","version":"1.2"}})",
         RequestFormat::json_rpc,
         false,
         {CallError::none},
         {"null"}},
        {"ins_api two commands",
         "application/json",
         R"({"ins_api":{"version":"1.0","type":"cli_show","chunk":"0","sid":"1",
             "input":"show version ;  show inventory ;","output_format":"json"}})",
         RequestFormat::ins_api,
         true,
         {CallError::none, CallError::none},
         {}},
        {"ins_api one command",
         "application/json",
         R"({"ins_api":{"version":"1.0","type":"cli_show_array","input":"show foo"}})",
         RequestFormat::ins_api,
         false,
         {CallError::bad_command},
         {}},
        {"shape decides without content type",
         "",
         R"({"ins_api":{"version":"1.0","type":"cli_show","input":"show version"}})",
         RequestFormat::ins_api,
         false,
         {CallError::none},
         {}},
        {"not JSON", "application/json-rpc", "{nope", RequestFormat::json_rpc, false, {}, {}},
        {"empty batch", "application/json-rpc", "[]", RequestFormat::json_rpc, false, {}, {}},
        {"ins_api bash refused",
         "application/json",
         R"({"ins_api":{"version":"1.0","type":"bash","input":"ls"}})",
         RequestFormat::ins_api,
         false,
         {},
         {}},
        {"ins_api xml refused",
         "application/json",
         R"({"ins_api":{"type":"cli_show","input":"show version","output_format":"xml"}})",
         RequestFormat::ins_api,
         false,
         {},
         {}},
        {"ins_api no commands",
         "application/json",
         R"({"ins_api":{"type":"cli_show","input":" ; "}})",
         RequestFormat::ins_api,
         false,
         {},
         {}},
    };
    for (const auto& c : cases) {
        SCOPED_TRACE(c.name);
        ParsedRequest request = parse_request(c.content_type, c.body);
        EXPECT_EQ(request.format, c.format);
        if (c.errors.empty()) {
            EXPECT_FALSE(request.error.empty());
            continue;
        }
        ASSERT_EQ(request.error, "");
        EXPECT_EQ(request.answer_is_array, c.answer_is_array);
        ASSERT_EQ(request.calls.size(), c.errors.size());
        for (size_t k = 0; k < c.errors.size(); ++k) {
            EXPECT_EQ(request.calls[k].error, c.errors[k]) << k;
            if (!c.ids.empty()) {
                EXPECT_EQ(request.calls[k].id_json, c.ids[k]) << k;
            }
        }
    }
}

// Frames an answer with a fixed body for every good call, as the handler does.
nlohmann::json answer(const ParsedRequest& request) {
    std::string out;
    begin_answer(out, request);
    for (size_t k = 0; k < request.calls.size(); ++k) {
        if (request.calls[k].error != CallError::none) {
            call_error(out, request, k, request.calls[k].error);
        } else {
            begin_body(out, request, k);
            out += R"({"x":"1"})";
            end_body(out, request, k);
        }
    }
    end_answer(out, request);
    return nlohmann::json::parse(out);
}

TEST(RpcFormats, FramesJsonRpcAnswers) {
    auto request =
        parse_request("application/json-rpc",
                      R"([{"jsonrpc":"2.0","method":"cli","params":{"cmd":"show version"},"id":1},
            {"jsonrpc":"2.0","method":"cli","params":{"cmd":"show running-config"},"id":"b"}])");
    auto a = answer(request);
    ASSERT_TRUE(a.is_array());
    EXPECT_EQ(a[0],
              nlohmann::json::parse(R"({"jsonrpc":"2.0","result":{"body":{"x":"1"}},"id":1})"));
    EXPECT_EQ(a[1], nlohmann::json::parse(R"({"jsonrpc":"2.0","error":{"code":-32602,
        "message":"Invalid params","data":{"msg":"Permission denied"}},"id":"b"})"));
}

TEST(RpcFormats, FramesInsApiAnswers) {
    auto one = answer(parse_request("application/json",
                                    R"({"ins_api":{"type":"cli_show","input":"show version"}})"));
    EXPECT_EQ(one, nlohmann::json::parse(R"({"ins_api":{"type":"cli_show","version":"1.0",
        "sid":"eoc","outputs":{"output":{"input":"show version","msg":"Success","code":"200",
        "body":{"x":"1"}}}}})"));
    auto two = answer(parse_request(
        "application/json", R"({"ins_api":{"type":"cli_show","input":"show \"q\";show x"}})"));
    auto& outputs = two["ins_api"]["outputs"]["output"];
    ASSERT_TRUE(outputs.is_array());
    EXPECT_EQ(outputs[0]["input"], "show \"q\"");
    EXPECT_EQ(outputs[1]["code"], "400");
    EXPECT_EQ(outputs[1]["msg"], "Input CLI command error");
}

TEST(RpcFormats, RequestErrorsAreJsonInTheRequestFormat) {
    auto rpc =
        nlohmann::json::parse(request_error_answer(parse_request("application/json-rpc", "x")));
    EXPECT_EQ(rpc["error"]["code"], -32700);
    EXPECT_TRUE(rpc["id"].is_null());
    auto ins = nlohmann::json::parse(request_error_answer(
        parse_request("application/json", R"({"ins_api":{"type":"bash","input":"ls"}})")));
    EXPECT_EQ(ins["ins_api"]["outputs"]["output"]["code"], "400");
}

}  // namespace
}  // namespace nxapi_sim
