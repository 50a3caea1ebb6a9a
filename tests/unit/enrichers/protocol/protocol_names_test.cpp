// Protocol, service and TCP flag names: the /etc files' formats, the built-in fallbacks, and the
// enricher on flow records.
#include "enrichers/protocol/protocol_names.hpp"

#include <gtest/gtest.h>

#include "enrichers/protocol/protocol_enricher.hpp"

namespace netfeed::protocol {
namespace {

TEST(ProtocolNames, ParsesEtcFileFormats) {
    const auto protocols = parse_protocols(
        "# comment\nip\t0\tIP\t\t# internet protocol\ntcp\t6\tTCP\nudp 17 UDP\nbad x\n\n");
    ASSERT_EQ(protocols.size(), 3u);
    EXPECT_EQ(protocols[1], (std::pair<int, std::string>{6, "tcp"}));
    const auto services = parse_services(
        "ssh\t\t22/tcp\t\t\t\t# SSH Remote Login Protocol\nhttp 80/tcp www\n"
        "domain 53/udp\nbroken 99999/tcp\nnoslash 7\n");
    ASSERT_EQ(services.size(), 3u);
    EXPECT_EQ(services[1].name, "http");
    EXPECT_EQ(services[1].port, 80);
    EXPECT_EQ(services[2].protocol, "udp");
}

TEST(ProtocolNames, TcpFlagLetters) {
    EXPECT_EQ(tcp_flags_text(0x02), "S");
    EXPECT_EQ(tcp_flags_text(0x12), "SA");
    EXPECT_EQ(tcp_flags_text(0x11), "FA");
    EXPECT_EQ(tcp_flags_text(0x18), "PA");
    EXPECT_EQ(tcp_flags_text(0x04), "R");
    EXPECT_EQ(tcp_flags_text(0xC2), "SEC");
    EXPECT_EQ(tcp_flags_text(0x1FF), "FSRPAUECN");
    EXPECT_EQ(tcp_flags_text(0), "");
}

TEST(ProtocolNames, LooksUpByTransport) {
    const ProtocolNames names("tcp 6\nudp 17\n",
                              "domain 53/tcp\ndomain 53/udp\nhttps 443/tcp\n"
                              "alt 443/tcp\n");
    EXPECT_EQ(names.protocol(6), "tcp");
    EXPECT_EQ(names.protocol(200), "");
    EXPECT_EQ(names.protocol(100000), "");
    EXPECT_EQ(names.service(6, 443), "https");  // the first entry for a port wins
    EXPECT_EQ(names.service(17, 443), "");
    EXPECT_EQ(names.service(17, 53), "domain");
    EXPECT_EQ(names.service(1, 53), "");  // ICMP has no ports
    EXPECT_EQ(names.service(6, 70000), "");
}

TEST(ProtocolNames, BuiltInFallbacksWhenFilesAreMissing) {
    const ProtocolNames names(read_text_file("/nonexistent/protocols"),
                              read_text_file("/nonexistent/services"));
    EXPECT_EQ(names.protocol(1), "icmp");
    EXPECT_EQ(names.protocol(58), "ipv6-icmp");
    EXPECT_EQ(names.service(6, 22), "ssh");
    EXPECT_EQ(names.service(17, 161), "snmp");
}

TEST(ProtocolNames, SystemFilesWhenPresent) {
    if (read_text_file("/etc/services").empty()) GTEST_SKIP() << "no /etc/services";
    const ProtocolNames names(read_text_file("/etc/protocols"), read_text_file("/etc/services"));
    EXPECT_EQ(names.service(6, 443), "https");
    EXPECT_GT(names.service_count(), 100u);
}

TEST(ProtocolEnricher, AddsNamesBesideTheNumbers) {
    ProtocolOptions options;
    ProtocolEnricher enricher(options, std::make_shared<const ProtocolNames>("", ""));
    Record r;
    r.kind = RecordKind::flow;
    r.add("src_port", std::uint64_t{51000});
    r.add("dst_port", std::uint64_t{443});
    r.add("proto", std::uint64_t{6});
    r.add("tcp_flags", std::uint64_t{0x12});
    ASSERT_TRUE(enricher.enrich(r));
    EXPECT_EQ(value_to_text(*r.find("proto_name")), "tcp");
    EXPECT_EQ(r.find("src_service"), nullptr);  // 51000 is nobody's
    EXPECT_EQ(value_to_text(*r.find("dst_service")), "https");
    EXPECT_EQ(value_to_text(*r.find("tcp_flags_text")), "SA");

    Record udp;
    udp.add("proto", std::uint64_t{17});
    udp.add("src_port", std::uint64_t{53});
    udp.add("tcp_flags", std::uint64_t{0});
    ASSERT_TRUE(enricher.enrich(udp));
    EXPECT_EQ(value_to_text(*udp.find("src_service")), "domain");
    EXPECT_EQ(udp.find("tcp_flags_text"), nullptr);  // flags only mean something for TCP

    Record syslog;
    syslog.kind = RecordKind::syslog;
    syslog.add("message", std::string("x"));
    ASSERT_TRUE(enricher.enrich(syslog));
    EXPECT_EQ(syslog.fields.size(), 1u);
}

}  // namespace
}  // namespace netfeed::protocol
