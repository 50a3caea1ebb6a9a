// Basic auth, cookie issue/reuse/expiry, and the fault plan's counting.
#include "lab/nxapi_sim/session_store.hpp"

#include <gtest/gtest.h>

#include "lab/nxapi_sim/fault_plan.hpp"

namespace nxapi_sim {
namespace {

using namespace std::chrono_literals;

std::string cookie_pair(const std::string& set_cookie) {
    return set_cookie.substr(0, set_cookie.find(';'));
}

TEST(SessionStore, Base64) {
    EXPECT_EQ(base64_encode("admin:admin"), "YWRtaW46YWRtaW4=");
    EXPECT_EQ(base64_encode("ab"), "YWI=");
    EXPECT_EQ(base64_encode("abc"), "YWJj");
    EXPECT_EQ(base64_encode(""), "");
}

TEST(SessionStore, LoginThenCookieThenExpiry) {
    SessionStore store("admin", "secret", 10s, false, 1);
    auto now = SessionStore::Clock::now();
    std::string set_cookie;
    EXPECT_EQ(store.authenticate("", "", now, set_cookie), AuthOutcome::denied);
    EXPECT_EQ(store.authenticate("Basic " + base64_encode("admin:wrong"), "", now, set_cookie),
              AuthOutcome::denied);
    EXPECT_EQ(store.authenticate("Bearer x", "", now, set_cookie), AuthOutcome::denied);
    EXPECT_EQ(store.authenticate("basic  " + base64_encode("admin:secret"), "", now, set_cookie),
              AuthOutcome::login);
    ASSERT_EQ(set_cookie.rfind("nxapi_auth=admin:", 0), 0u) << set_cookie;
    EXPECT_NE(set_cookie.find("Max-Age=10"), std::string::npos);
    EXPECT_EQ(set_cookie.find("Secure"), std::string::npos);
    std::string cookie = "other=1; " + cookie_pair(set_cookie) + "; more=2";
    std::string unused;
    EXPECT_EQ(store.authenticate("", cookie, now + 9s, unused), AuthOutcome::cookie);
    EXPECT_EQ(store.authenticate("", "x" + cookie_pair(set_cookie), now, unused),
              AuthOutcome::denied);  // xnxapi_auth= is another cookie
    EXPECT_EQ(store.authenticate("", cookie, now + 10s, unused), AuthOutcome::denied);
    EXPECT_EQ(store.size(), 0u);
}

TEST(SessionStore, ExpireAllAndTamperedCookies) {
    SessionStore store("admin", "admin", 600s, true, 2);
    auto now = SessionStore::Clock::now();
    std::string set_cookie;
    ASSERT_EQ(store.authenticate("Basic YWRtaW46YWRtaW4=", "", now, set_cookie),
              AuthOutcome::login);
    EXPECT_NE(set_cookie.find("; Secure"), std::string::npos);
    std::string cookie = cookie_pair(set_cookie);
    std::string unused;
    EXPECT_EQ(store.authenticate("", cookie + "1", now, unused), AuthOutcome::denied);
    EXPECT_EQ(store.authenticate("", "nxapi_auth=root:" + cookie.substr(17), now, unused),
              AuthOutcome::denied);
    EXPECT_EQ(store.authenticate("", cookie, now, unused), AuthOutcome::cookie);
    store.expire_all();
    EXPECT_EQ(store.authenticate("", cookie, now, unused), AuthOutcome::denied);
}

TEST(FaultPlan, CountsDown) {
    FaultPlan plan;
    EXPECT_EQ(plan.take().kind, FaultKind::none);
    plan.set(FaultKind::server_error, 2, 5);
    EXPECT_EQ(plan.take().kind, FaultKind::server_error);
    auto second = plan.take();
    EXPECT_EQ(second.kind, FaultKind::server_error);
    EXPECT_EQ(second.delay_ms, 5);
    EXPECT_EQ(plan.take().kind, FaultKind::none);
    plan.set(FaultKind::close, -1, 0);
    for (int k = 0; k < 100; ++k)
        ASSERT_EQ(plan.take().kind, FaultKind::close);
    EXPECT_EQ(parse_fault_kind("clear"), FaultKind::none);
    EXPECT_EQ(parse_fault_kind("truncated"), FaultKind::truncated);
    EXPECT_FALSE(parse_fault_kind("404").has_value());
    EXPECT_STREQ(fault_name(FaultKind::unauthorized), "401");
}

}  // namespace
}  // namespace nxapi_sim
