// One switch's logins: HTTP basic auth against the configured user, and the nxapi_auth session
// cookies it hands out (valid for --cookie-ttl, all dropped by /expire-cookies).
#pragma once

#include <chrono>
#include <cstdint>
#include <random>
#include <string>
#include <string_view>
#include <unordered_map>

namespace nxapi_sim {

enum class AuthOutcome { cookie, login, denied };

class SessionStore {
  public:
    using Clock = std::chrono::steady_clock;

    SessionStore(std::string_view user, std::string_view password, std::chrono::seconds ttl,
                 bool secure, uint64_t seed);

    // A valid cookie wins; else valid basic credentials log in (set_cookie is filled); else
    // denied. authorization and cookie are the raw header values (may be empty).
    AuthOutcome authenticate(std::string_view authorization, std::string_view cookie,
                             Clock::time_point now, std::string& set_cookie);
    void expire_all() { sessions_.clear(); }
    size_t size() const { return sessions_.size(); }

  private:
    bool valid_cookie(std::string_view cookie, Clock::time_point now);

    std::string user_;
    std::string expected_credentials_;  // base64("user:password")
    std::chrono::seconds ttl_;
    bool secure_;
    std::mt19937_64 random_;
    std::unordered_map<uint64_t, Clock::time_point> sessions_;  // token -> expiry
};

std::string base64_encode(std::string_view data);

}  // namespace nxapi_sim
