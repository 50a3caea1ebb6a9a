// Which addresses the geoip enricher looks up: public ones only, as a table.
#include <gtest/gtest.h>

#include "enrichers/geoip/geoip_enricher.hpp"

namespace netfeed::geoip {
namespace {

TEST(GeoipIsPublic, Table) {
    const std::pair<const char*, bool> cases[] = {
        {"8.8.8.8", true},          {"1.1.1.1", true},        {"81.2.3.4", true},
        {"10.1.2.3", false},        {"172.16.0.1", false},    {"172.31.255.255", false},
        {"172.32.0.1", true},       {"192.168.1.1", false},   {"127.0.0.1", false},
        {"169.254.1.1", false},     {"100.64.0.1", false},    {"100.128.0.1", true},
        {"192.0.2.1", false},       {"198.51.100.7", false},  {"203.0.113.9", false},
        {"224.0.0.5", false},       {"0.0.0.0", false},       {"255.255.255.255", false},
        {"2606:4700::1111", true},  {"::1", false},           {"fe80::1", false},
        {"fd00::1", false},         {"2001:db8::1", false},   {"ff02::1", false},
        {"::ffff:10.0.0.1", false}, {"::ffff:8.8.8.8", true}, {"::", false},
    };
    for (const auto& [text, expected] : cases)
        EXPECT_EQ(is_public(boost::asio::ip::make_address(text)), expected) << text;
}

}  // namespace
}  // namespace netfeed::geoip
