// NX-API request bodies and answer parsing: real-format JSON-RPC and ins_api answers as NX-OS
// 9.3 sends them (single and batch, results and errors), and broken bodies.
#include "collectors/nxapi/model.hpp"

#include <gtest/gtest.h>

namespace netfeed::nxapi {
namespace {

const std::vector<std::string> kTwo = {"show version", "show inventory"};

TEST(NxapiRequest, JsonRpcBatchWithEitherVersion) {
    const Json v12 = Json::parse(jsonrpc_request_body(kTwo, RpcVersion::v1_2));
    ASSERT_TRUE(v12.is_array());
    ASSERT_EQ(v12.size(), 2u);
    EXPECT_EQ(v12[0], Json::parse(R"({"jsonrpc":"2.0","method":"cli",
        "params":{"cmd":"show version","version":1.2},"id":1})"));
    EXPECT_EQ(v12[1]["params"]["cmd"], "show inventory");
    EXPECT_EQ(v12[1]["id"], 2);
    const std::string v1 = jsonrpc_request_body(kTwo, RpcVersion::v1);
    EXPECT_NE(v1.find(R"("version":1})"), std::string::npos) << v1;
    EXPECT_EQ(Json::parse(v1)[0]["params"]["version"], 1);
    EXPECT_EQ(content_type(RequestFormat::jsonrpc), "application/json-rpc");
}

TEST(NxapiRequest, InsApiJoinsCommands) {
    const Json body = Json::parse(ins_api_request_body(kTwo));
    EXPECT_EQ(body, Json::parse(R"({"ins_api":{"version":"1.0","type":"cli_show","chunk":"0",
        "sid":"1","input":"show version ;show inventory","output_format":"json"}})"));
    EXPECT_EQ(Json::parse(ins_api_request_body({{"show version"}}))["ins_api"]["input"],
              "show version");
    EXPECT_EQ(content_type(RequestFormat::ins_api), "application/json");
}

TEST(NxapiRequest, CommandsAreEscaped) {
    const std::vector<std::string> odd = {"show interface description | json \"x\""};
    EXPECT_EQ(Json::parse(jsonrpc_request_body(odd, RpcVersion::v1_2))[0]["params"]["cmd"], odd[0]);
}

// show version as NX-OS 9.3(8) on a Nexus 9000 answers it (abridged).
constexpr const char* kVersionBody =
    R"nx({"header_str":"Cisco Nexus Operating System (NX-OS) Software",
  "bios_ver_str":"07.69","kickstart_ver_str":"9.3(8)","nxos_ver_str":"9.3(8)",
  "bios_cmpl_time":"04/08/2021","nxos_image_file":"bootflash:///nxos.9.3.8.bin",
  "chassis_id":"Nexus9000 C93180YC-EX chassis","cpu_name":"Intel(R) Xeon(R) CPU  @ 1.80GHz",
  "memory":24632252,"mem_type":"kB","proc_board_id":"FDO21120U8N","host_name":"lab-n9k-1",
  "bootflash_size":53298520,"kern_uptm_days":47,"kern_uptm_hrs":3,"kern_uptm_mins":12,
  "kern_uptm_secs":5,"rr_reason":"Reset Requested by CLI command reload","manufacturer":"Cisco Systems, Inc."})nx";

TEST(NxapiJsonRpc, BatchOfResults) {
    const std::string body = std::string(R"([{"jsonrpc":"2.0","result":{"body":)") + kVersionBody +
                             R"(},"id":1},{"jsonrpc":"2.0","result":{"body":{"TABLE_inv":
        {"ROW_inv":{"name":"\"Chassis\"","desc":"\"Nexus9000 C93180YC-EX chassis\"",
        "productid":"N9K-C93180YC-EX","vendorid":"V01","serialnum":"FDO21120U8N"}}}},"id":2}])";
    const ParsedResponse p = parse_jsonrpc_response(body, 2);
    ASSERT_EQ(p.error, ErrorType::none) << p.detail;
    ASSERT_EQ(p.results.size(), 2u);
    ASSERT_TRUE(p.results[0] && p.results[1]);
    EXPECT_EQ(p.results[0]->error, ErrorType::none);
    EXPECT_EQ(p.results[0]->body["host_name"], "lab-n9k-1");
    EXPECT_EQ(p.results[1]->body["TABLE_inv"]["ROW_inv"]["productid"], "N9K-C93180YC-EX");
}

TEST(NxapiJsonRpc, SingleObjectAnswerAndOutOfOrderIds) {
    const std::string single =
        std::string(R"({"jsonrpc":"2.0","result":{"body":)") + kVersionBody + R"(},"id":1})";
    const auto one = parse_jsonrpc_response(single, 1);
    ASSERT_EQ(one.error, ErrorType::none);
    ASSERT_TRUE(one.results[0]);
    EXPECT_EQ(one.results[0]->body["nxos_ver_str"], "9.3(8)");

    const auto swapped = parse_jsonrpc_response(
        R"([{"jsonrpc":"2.0","result":{"body":{"b":1}},"id":2},
            {"jsonrpc":"2.0","result":{"body":{"a":1}},"id":"1"}])",
        2);
    ASSERT_TRUE(swapped.results[0] && swapped.results[1]);
    EXPECT_TRUE(swapped.results[0]->body.contains("a"));
    EXPECT_TRUE(swapped.results[1]->body.contains("b"));
}

TEST(NxapiJsonRpc, ErrorObjectsPerCommand) {
    // What NX-OS answers for a batch with an unknown command and a refused one.
    const auto p = parse_jsonrpc_response(
        R"([{"jsonrpc":"2.0","result":{"body":{"x":"1"}},"id":1},
            {"jsonrpc":"2.0","error":{"code":-32602,"message":"Invalid params",
             "data":{"msg":"Input CLI command error"}},"id":2},
            {"jsonrpc":"2.0","error":{"code":-32602,"message":"Invalid params",
             "data":{"msg":"Permission denied"}},"id":3},
            {"jsonrpc":"2.0","error":{"code":-32603,"message":"Internal error"},"id":4}])",
        5);
    ASSERT_EQ(p.error, ErrorType::none);
    ASSERT_EQ(p.results.size(), 5u);
    EXPECT_EQ(p.results[0]->error, ErrorType::none);
    EXPECT_EQ(p.results[1]->error, ErrorType::bad_command);
    EXPECT_EQ(p.results[1]->code, "-32602");
    EXPECT_EQ(p.results[1]->message, "Input CLI command error");
    EXPECT_EQ(p.results[2]->error, ErrorType::permission_denied);
    EXPECT_EQ(p.results[3]->error, ErrorType::command_error);
    EXPECT_EQ(p.results[3]->message, "Internal error");
    EXPECT_FALSE(p.results[4]) << "no answer for id 5";
}

TEST(NxapiJsonRpc, RequestLevelErrorAppliesToEveryCommand) {
    const auto p = parse_jsonrpc_response(
        R"({"jsonrpc":"2.0","error":{"code":-32700,"message":"Parse error"},"id":null})", 2);
    ASSERT_EQ(p.error, ErrorType::none);
    ASSERT_TRUE(p.results[0] && p.results[1]);
    EXPECT_EQ(p.results[1]->error, ErrorType::command_error);
    EXPECT_EQ(p.results[1]->code, "-32700");
}

TEST(NxapiJsonRpc, NullResultIsAnEmptyOutput) {
    const auto p = parse_jsonrpc_response(R"([{"jsonrpc":"2.0","result":null,"id":1}])", 1);
    ASSERT_TRUE(p.results[0]);
    EXPECT_EQ(p.results[0]->error, ErrorType::none);
    EXPECT_TRUE(p.results[0]->body.is_null());
}

TEST(NxapiIns, SingleOutputObject) {
    const std::string body =
        std::string(R"({"ins_api":{"type":"cli_show","version":"1.0","sid":"eoc","outputs":
        {"output":{"input":"show version","msg":"Success","code":"200","body":)") +
        kVersionBody + "}}}}";
    const auto p = parse_ins_api_response(body, std::vector<std::string>{"show version"});
    ASSERT_EQ(p.error, ErrorType::none) << p.detail;
    ASSERT_TRUE(p.results[0]);
    EXPECT_EQ(p.results[0]->body["proc_board_id"], "FDO21120U8N");
    EXPECT_EQ(p.results[0]->code, "200");
}

TEST(NxapiIns, ArrayOfOutputsMatchedByInput) {
    const std::vector<std::string> three = {"show version", "show bogus", "show inventory"};
    const auto p = parse_ins_api_response(
        R"({"ins_api":{"type":"cli_show","version":"1.0","sid":"eoc","outputs":{"output":[
          {"input":"show inventory ","msg":"Success","code":"200","body":{"TABLE_inv":{}}},
          {"input":"show version","msg":"Success","code":"200","body":{"host_name":"n9k"}},
          {"clierror":"% Invalid command at '^' marker.\n","input":"show bogus",
           "msg":"Input CLI command error","code":"400"}]}}})",
        three);
    ASSERT_EQ(p.error, ErrorType::none) << p.detail;
    EXPECT_EQ(p.results[0]->body["host_name"], "n9k");
    EXPECT_EQ(p.results[1]->error, ErrorType::bad_command);
    EXPECT_EQ(p.results[1]->message, "Input CLI command error: % Invalid command at '^' marker.");
    EXPECT_TRUE(p.results[2]->body.contains("TABLE_inv"));
}

TEST(NxapiIns, ErrorCodes) {
    const std::vector<std::string> cmds = {"show running-config", "show a", "show b"};
    const auto p = parse_ins_api_response(
        R"({"ins_api":{"outputs":{"output":[
          {"input":"show running-config","msg":"Permission denied","code":"400"},
          {"input":"show a","msg":"Structured output unsupported","code":"501"},
          {"input":"show b","msg":"Not allowed","code":"403"}]}}})",
        cmds);
    ASSERT_EQ(p.error, ErrorType::none);
    EXPECT_EQ(p.results[0]->error, ErrorType::permission_denied);
    EXPECT_EQ(p.results[1]->error, ErrorType::command_error);
    EXPECT_EQ(p.results[1]->code, "501");
    EXPECT_EQ(p.results[2]->error, ErrorType::permission_denied);
}

TEST(NxapiIns, FewerOutputsThanCommandsLeaveGaps) {
    const std::vector<std::string> cmds = {"show a", "show b"};
    const auto p = parse_ins_api_response(
        R"({"ins_api":{"outputs":{"output":{"input":"show a","code":"200","body":{}}}}})", cmds);
    ASSERT_TRUE(p.results[0]);
    EXPECT_FALSE(p.results[1]);
}

struct BrokenCase {
    const char* body;
    ErrorType error;
};

TEST(NxapiParse, BrokenBodies) {
    const BrokenCase cases[] = {
        {"", ErrorType::malformed},
        {"<html><body>502 Bad Gateway</body></html>", ErrorType::malformed},
        {R"([{"jsonrpc":"2.0","result":{"body":{"host_name":"n9k")", ErrorType::malformed},
        {R"({"ins_api":{"outputs":{"output":{"input":"show version","co)", ErrorType::malformed},
        {R"({"unexpected":"shape"})", ErrorType::malformed},
        {"42", ErrorType::malformed},
        {"[1,2,3]", ErrorType::malformed},
    };
    for (const auto& c : cases) {
        const auto rpc = parse_jsonrpc_response(c.body, 1);
        const auto ins = parse_ins_api_response(c.body, std::vector<std::string>{"show version"});
        EXPECT_EQ(rpc.error, c.error) << c.body << ": " << rpc.detail;
        EXPECT_EQ(ins.error, c.error) << c.body << ": " << ins.detail;
        EXPECT_TRUE(rpc.results.empty());
    }
    ErrorType error = ErrorType::none;
    std::string detail;
    EXPECT_FALSE(parse_json(R"({"a":[1,2)", error, detail));
    EXPECT_NE(detail.find("ends early"), std::string::npos) << detail;
}

TEST(NxapiParse, DeepNestingIsRefusedBeforeParsing) {
    const std::string deep = std::string(10000, '[') + std::string(10000, ']');
    ErrorType error = ErrorType::none;
    std::string detail;
    EXPECT_FALSE(parse_json(deep, error, detail));
    EXPECT_EQ(error, ErrorType::malformed);
    EXPECT_EQ(json_nesting_depth(R"({"a":"[[[[","b":[{}]})"), 3u);
}

TEST(NxapiParse, ErrorTypeNames) {
    EXPECT_EQ(error_type_name(ErrorType::bad_command), "bad_command");
    EXPECT_EQ(error_type_name(ErrorType::too_large), "too_large");
    EXPECT_EQ(error_type_name(ErrorType::missing_answer), "missing_answer");
}

}  // namespace
}  // namespace netfeed::nxapi
