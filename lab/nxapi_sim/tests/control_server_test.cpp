// The control endpoint's requests, answered without a socket.
#include "lab/nxapi_sim/control_server.hpp"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

namespace nxapi_sim {
namespace {

using namespace std::chrono_literals;

SwitchStates two_switches() {
    SwitchStates switches;
    for (int i = 0; i < 2; ++i) {
        switches.push_back(std::make_unique<SwitchState>(
            i, "sw" + std::to_string(i), SessionStore("admin", "admin", 60s, false, 1)));
    }
    return switches;
}

TEST(ControlServer, StatsListEverySwitch) {
    auto switches = two_switches();
    switches[1]->stats.logins = 3;
    auto a = answer_control(switches, "GET", "/stats", "");
    ASSERT_EQ(a.status, 200u);
    auto stats = nlohmann::json::parse(a.body)["switches"];
    ASSERT_EQ(stats.size(), 2u);
    EXPECT_EQ(stats[1]["hostname"], "sw1");
    EXPECT_EQ(stats[1]["logins"], 3);
    EXPECT_EQ(answer_control(switches, "POST", "/reset-stats", R"({"switch":1})").status, 200u);
    EXPECT_EQ(switches[1]->stats.logins, 0u);
}

TEST(ControlServer, FaultsPerSwitchOrAll) {
    auto switches = two_switches();
    auto a = answer_control(switches, "POST", "/fault", R"({"switch":0,"kind":"500","count":2})");
    EXPECT_EQ(a.status, 200u) << a.body;
    EXPECT_EQ(switches[0]->faults.kind(), FaultKind::server_error);
    EXPECT_EQ(switches[0]->faults.remaining(), 2);
    EXPECT_EQ(switches[1]->faults.kind(), FaultKind::none);
    answer_control(switches, "POST", "/fault", R"({"kind":"slow"})");
    EXPECT_EQ(switches[1]->faults.take().delay_ms, 1000);  // slow without a delay waits 1 s
    answer_control(switches, "POST", "/fault", R"({"switch":-1,"kind":"clear"})");
    EXPECT_EQ(switches[0]->faults.kind(), FaultKind::none);
}

TEST(ControlServer, RejectsBadRequests) {
    auto switches = two_switches();
    for (const char* body :
         {R"({"kind":"boom"})", R"({"switch":2,"kind":"500"})", R"({"switch":"0","kind":"500"})",
          R"({"kind":"500","count":"x"})", R"({"kind":"500","count":-2})",
          R"({"kind":"slow","delay_ms":-1})", R"({})", "[1]", "{bad"}) {
        auto a = answer_control(switches, "POST", "/fault", body);
        EXPECT_EQ(a.status, 400u) << body;
        EXPECT_TRUE(nlohmann::json::parse(a.body).contains("error")) << body;
    }
    EXPECT_EQ(answer_control(switches, "GET", "/fault", "").status, 405u);
    EXPECT_EQ(answer_control(switches, "GET", "/nope", "").status, 404u);
}

TEST(ControlServer, ExpiresCookies) {
    auto switches = two_switches();
    std::string set_cookie;
    auto now = SessionStore::Clock::now();
    switches[0]->sessions.authenticate("Basic YWRtaW46YWRtaW4=", "", now, set_cookie);
    ASSERT_EQ(switches[0]->sessions.size(), 1u);
    EXPECT_EQ(answer_control(switches, "POST", "/expire-cookies", "").status, 200u);
    EXPECT_EQ(switches[0]->sessions.size(), 0u);
}

}  // namespace
}  // namespace nxapi_sim
