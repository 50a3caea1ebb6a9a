#include "lab/nxapi_sim/session_store.hpp"

#include <charconv>

namespace nxapi_sim {
namespace {

constexpr std::string_view kCookieName = "nxapi_auth=";
constexpr size_t kPruneAbove = 4096;  // sessions kept before expired ones are swept

bool equal_ignoring_case(std::string_view a, std::string_view b) {
    if (a.size() != b.size()) return false;
    for (size_t k = 0; k < a.size(); ++k) {
        char x = a[k], y = b[k];
        if (x >= 'A' && x <= 'Z') x = static_cast<char>(x - 'A' + 'a');
        if (y >= 'A' && y <= 'Z') y = static_cast<char>(y - 'A' + 'a');
        if (x != y) return false;
    }
    return true;
}

}  // namespace

std::string base64_encode(std::string_view data) {
    static constexpr char kAlphabet[] =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    std::string out;
    size_t k = 0;
    for (; k + 2 < data.size(); k += 3) {
        uint32_t n = (uint32_t(uint8_t(data[k])) << 16) | (uint32_t(uint8_t(data[k + 1])) << 8) |
                     uint32_t(uint8_t(data[k + 2]));
        out += kAlphabet[n >> 18];
        out += kAlphabet[(n >> 12) & 63];
        out += kAlphabet[(n >> 6) & 63];
        out += kAlphabet[n & 63];
    }
    if (k + 1 == data.size()) {
        uint32_t n = uint32_t(uint8_t(data[k])) << 16;
        out += kAlphabet[n >> 18];
        out += kAlphabet[(n >> 12) & 63];
        out += "==";
    } else if (k + 2 == data.size()) {
        uint32_t n = (uint32_t(uint8_t(data[k])) << 16) | (uint32_t(uint8_t(data[k + 1])) << 8);
        out += kAlphabet[n >> 18];
        out += kAlphabet[(n >> 12) & 63];
        out += kAlphabet[(n >> 6) & 63];
        out += '=';
    }
    return out;
}

SessionStore::SessionStore(std::string_view user, std::string_view password,
                           std::chrono::seconds ttl, bool secure, uint64_t seed)
    : user_(user), ttl_(ttl), secure_(secure), random_(seed) {
    std::string pair(user);
    pair += ':';
    pair += password;
    expected_credentials_ = base64_encode(pair);
}

bool SessionStore::valid_cookie(std::string_view cookie, Clock::time_point now) {
    // Cookie: a=b; nxapi_auth=<user>:<token>; c=d
    size_t at = cookie.find(kCookieName);
    while (at != std::string_view::npos && at != 0 && cookie[at - 1] != ' ' &&
           cookie[at - 1] != ';') {
        at = cookie.find(kCookieName, at + 1);
    }
    if (at == std::string_view::npos) return false;
    std::string_view value = cookie.substr(at + kCookieName.size());
    value = value.substr(0, value.find(';'));
    size_t colon = value.rfind(':');
    if (colon == std::string_view::npos || value.substr(0, colon) != user_) return false;
    std::string_view digits = value.substr(colon + 1);
    uint64_t token = 0;
    auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), token);
    if (ec != std::errc() || end != digits.data() + digits.size()) return false;
    auto found = sessions_.find(token);
    if (found == sessions_.end()) return false;
    if (found->second <= now) {
        sessions_.erase(found);
        return false;
    }
    return true;
}

AuthOutcome SessionStore::authenticate(std::string_view authorization, std::string_view cookie,
                                       Clock::time_point now, std::string& set_cookie) {
    if (!cookie.empty() && valid_cookie(cookie, now)) return AuthOutcome::cookie;
    size_t space = authorization.find(' ');
    if (space == std::string_view::npos ||
        !equal_ignoring_case(authorization.substr(0, space), "basic")) {
        return AuthOutcome::denied;
    }
    std::string_view credentials = authorization.substr(space + 1);
    while (!credentials.empty() && credentials.front() == ' ')
        credentials.remove_prefix(1);
    while (!credentials.empty() && credentials.back() == ' ')
        credentials.remove_suffix(1);
    if (credentials != expected_credentials_) return AuthOutcome::denied;

    if (sessions_.size() > kPruneAbove)
        std::erase_if(sessions_, [&](const auto& s) { return s.second <= now; });
    uint64_t token = random_() >> 1;  // fits a signed 64-bit reader too
    sessions_[token] = now + ttl_;
    set_cookie = "nxapi_auth=";
    set_cookie += user_;
    set_cookie += ':';
    set_cookie += std::to_string(token);
    set_cookie += "; Path=/; HttpOnly; Max-Age=";
    set_cookie += std::to_string(ttl_.count());
    if (secure_) set_cookie += "; Secure";
    return AuthOutcome::login;
}

}  // namespace nxapi_sim
