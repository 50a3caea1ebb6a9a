// The trap decoder and the trap record on a table of real datagrams, captured once from the
// net-snmp tools (snmptrap/snmpinform 5.9 -v 1/2c, commands beside each) or built here with
// net-snmp's own encoder; each checked on every field. Then the datagrams that must be refused.
#include "collectors/snmp_trap/trap_decode.hpp"

#include <gtest/gtest.h>
#include <net-snmp/net-snmp-config.h>
#include <net-snmp/net-snmp-includes.h>

#include <string>
#include <vector>

#include "collectors/common/snmp_init.hpp"
#include "collectors/snmp_trap/trap_names.hpp"
#include "collectors/snmp_trap/trap_record.hpp"

namespace netfeed::snmp_trap {
namespace {

using snmp::Oid;
using Bytes = std::vector<std::uint8_t>;

Bytes from_hex(std::string_view hex) {
    Bytes out;
    for (std::size_t i = 0; i + 1 < hex.size(); i += 2) {
        out.push_back(
            static_cast<std::uint8_t>(std::stoi(std::string(hex.substr(i, 2)), nullptr, 16)));
    }
    return out;
}

// snmptrap -v 1 -c public HOST 1.3.6.1.4.1.9.1.1 127.0.0.1 2 0 12345
//   1.3.6.1.2.1.2.2.1.1.3 i 3 1.3.6.1.2.1.2.2.1.2.3 s GigabitEthernet0/3
const Bytes kV1LinkDown = from_hex(
    "305c02010004067075626c6963a44f06082b0601040109010140047f000001020102020100430230393033300f06"
    "0a2b0601020102020101030201033020060a2b06010201020201020304124769676162697445746865726e657430"
    "2f33");
// snmptrap -v 1 -c public HOST 1.3.6.1.4.1.9.9.43.2 192.0.2.9 6 1 777
//   1.3.6.1.4.1.9.9.43.1.1.6.1.3.1 i 1
const Bytes kV1Enterprise = from_hex(
    "303f02010004067075626c6963a43206092b0601040109092b024004c00002090201060201014302030930153013"
    "060e2b0601040109092b010106010301020101");
// snmptrap -v 2c -c public HOST 424242 1.3.6.1.6.3.1.1.5.1
const Bytes kV2cColdStart = from_hex(
    "304502010104067075626c6963a73802040cf2cc5a020100020100302a300f06082b060102010103004303067932"
    "3017060a2b06010603010104010006092b0601060301010501");
// snmptrap -v 2c -c public HOST 9000 1.3.6.1.6.3.1.1.5.4 1.3.6.1.2.1.2.2.1.1.3 i 3
//   1.3.6.1.2.1.2.2.1.7.3 i 1 1.3.6.1.2.1.2.2.1.8.3 i 1 1.3.6.1.2.1.31.1.1.1.1.3 s Gi0/3
//   1.3.6.1.2.1.31.1.1.1.18.3 s 'uplink to core'
const Bytes kV2cLinkUp = from_hex(
    "3081ae02010104067075626c6963a781a002046e0086fa020100020100308191300e06082b060102010103004302"
    "23283017060a2b06010603010104010006092b0601060301010504300f060a2b060102010202010103020103300f"
    "060a2b060102010202010703020101300f060a2b0601020102020108030201013014060b2b060102011f01010101"
    "0304054769302f33301d060b2b060102011f0101011203040e75706c696e6b20746f20636f7265");
// snmpinform -v 2c -c public HOST 5000 1.3.6.1.6.3.1.1.5.3 1.3.6.1.2.1.2.2.1.1.2 i 2
const Bytes kV2cInform = from_hex(
    "305502010104067075626c6963a64802043fcdebbf020100020100303a300e06082b060102010103004302138830"
    "17060a2b06010603010104010006092b0601060301010503300f060a2b060102010202010102020102");
// snmptrap -v 2c -c private HOST 100 1.3.6.1.2.1.15.7.2
//   1.3.6.1.2.1.15.3.1.7.192.0.2.1 a 192.0.2.1 1.3.6.1.2.1.15.3.1.14.192.0.2.1 x 0600
//   1.3.6.1.2.1.15.3.1.2.192.0.2.1 i 1
const Bytes kV2cBgp = from_hex(
    "308186020101040770726976617465a7780204355e28d1020100020100306a300d06082b06010201010300430164"
    "3016060a2b06010603010104010006082b060102010f07023016060e2b060102010f03010781400002014004c000"
    "02013014060e2b060102010f03010e8140000201040206003013060e2b060102010f0301028140000201020101");

struct PduFree {
    void operator()(netsnmp_pdu* pdu) const noexcept { snmp_free_pdu(pdu); }
};
using PduPtr = std::unique_ptr<netsnmp_pdu, PduFree>;

// Encodes a PDU with net-snmp's own builder.
Bytes encode(netsnmp_pdu* pdu, long version, const std::string& community) {
    snmp::ensure_snmp_library();
    netsnmp_session session;
    snmp_sess_init(&session);
    session.version = version;
    session.community = reinterpret_cast<u_char*>(const_cast<char*>(community.c_str()));
    session.community_len = community.size();
    pdu->version = version;
    std::size_t size = 4096;
    auto* buffer = static_cast<u_char*>(std::malloc(size));
    std::size_t used = 0;
    Bytes out;
    if (snmp_build(&buffer, &size, &used, &session, pdu) == 0) {
        const bool reverse =
            netsnmp_ds_get_boolean(NETSNMP_DS_LIBRARY_ID, NETSNMP_DS_LIB_REVERSE_ENCODE) != 0;
        const u_char* start = reverse ? buffer + size - used : buffer;
        out.assign(start, start + used);
    }
    std::free(buffer);
    snmp_free_pdu(pdu);
    return out;
}

DecodeResult decode(const Bytes& bytes, std::vector<std::string> communities = {}) {
    DecodeSettings settings;
    settings.communities = std::move(communities);
    return decode_trap(bytes, settings);
}

const Field* field(const Record& r, std::string_view name) {
    for (const Field& f : r.fields) {
        if (f.name.view() == name) return &f;
    }
    return nullptr;
}
template <class T>
T get(const Record& r, std::string_view name) {
    const Field* f = field(r, name);
    EXPECT_NE(f, nullptr) << name;
    if (f == nullptr || !std::holds_alternative<T>(f->value)) {
        ADD_FAILURE() << name << " missing or of another type";
        return T{};
    }
    return std::get<T>(f->value);
}

Record record_of(const Bytes& bytes) {
    const DecodeResult result = decode(bytes);
    EXPECT_EQ(result.error, TrapError::none) << to_string(result.error);
    return make_trap_record(result.trap, "edge-r1", boost::asio::ip::make_address("127.0.0.1"),
                            Timestamp(std::chrono::seconds(1'700'000'000)));
}

TEST(SnmpTrapDecode, V1LinkDownTranslatesGenericTrap) {
    const DecodeResult result = decode(kV1LinkDown);
    ASSERT_EQ(result.error, TrapError::none);
    const Trap& t = result.trap;
    EXPECT_EQ(t.version, SnmpVersion::v1);
    EXPECT_FALSE(t.inform);
    EXPECT_FALSE(t.request_id);
    EXPECT_EQ(t.enterprise, (Oid{1, 3, 6, 1, 4, 1, 9, 1, 1}));
    ASSERT_TRUE(t.agent_address);
    EXPECT_EQ(*t.agent_address, (std::array<std::uint8_t, 4>{127, 0, 0, 1}));
    EXPECT_EQ(t.generic_trap, 2);
    EXPECT_EQ(t.specific_trap, 0);
    EXPECT_EQ(t.uptime, 12345u);
    EXPECT_EQ(t.trap_oid, (Oid{1, 3, 6, 1, 6, 3, 1, 1, 5, 3}));
    ASSERT_EQ(t.varbinds.size(), 2u);
    EXPECT_EQ(t.varbinds[1].value.bytes, "GigabitEthernet0/3");
    EXPECT_TRUE(result.response.empty());

    const Record r = record_of(kV1LinkDown);
    EXPECT_EQ(r.kind, RecordKind::trap);
    EXPECT_EQ(r.device, "edge-r1");
    EXPECT_EQ(get<std::string>(r, "snmp_version"), "1");
    EXPECT_EQ(get<std::string>(r, "trap_oid"), "1.3.6.1.6.3.1.1.5.3");
    EXPECT_EQ(get<std::string>(r, "trap_name"), "linkDown");
    EXPECT_EQ(get<std::uint64_t>(r, "uptime"), 12345u);
    EXPECT_EQ(get<std::string>(r, "enterprise"), "1.3.6.1.4.1.9.1.1");
    EXPECT_EQ(get<IpAddress>(r, "agent_address").to_string(), "127.0.0.1");
    EXPECT_EQ(get<std::int64_t>(r, "generic_trap"), 2);
    EXPECT_EQ(get<std::uint64_t>(r, "if_index"), 3u);
    EXPECT_EQ(get<std::string>(r, "if_descr"), "GigabitEthernet0/3");
    EXPECT_EQ(field(r, "request_id"), nullptr) << "v1 has no request-id";
    EXPECT_EQ(field(r, "community"), nullptr);
    const Json varbinds = get<Json>(r, "varbinds");
    ASSERT_EQ(varbinds.size(), 2u);
    EXPECT_EQ(varbinds[0], (Json{{"oid", "1.3.6.1.2.1.2.2.1.1.3"},
                                 {"name", "ifIndex"},
                                 {"type", "integer"},
                                 {"value", 3}}));
    EXPECT_EQ(varbinds[1]["value"], "GigabitEthernet0/3");
}

TEST(SnmpTrapDecode, V1EnterpriseSpecific) {
    const DecodeResult result = decode(kV1Enterprise);
    ASSERT_EQ(result.error, TrapError::none);
    EXPECT_EQ(result.trap.generic_trap, 6);
    EXPECT_EQ(result.trap.specific_trap, 1);
    EXPECT_EQ(result.trap.trap_oid, (Oid{1, 3, 6, 1, 4, 1, 9, 9, 43, 2, 0, 1}));
    const Record r = record_of(kV1Enterprise);
    EXPECT_EQ(get<std::string>(r, "trap_oid"), "1.3.6.1.4.1.9.9.43.2.0.1");
    EXPECT_EQ(get<std::string>(r, "trap_name"), "ciscoConfigManEvent");
    EXPECT_EQ(get<IpAddress>(r, "agent_address").to_string(), "192.0.2.9");
    EXPECT_EQ(get<std::uint64_t>(r, "uptime"), 777u);
    EXPECT_EQ(get<Json>(r, "varbinds")[0]["name"], "ccmHistoryEventCommandSource");
}

TEST(SnmpTrapDecode, V1TrapOidTranslation) {
    const Oid enterprise = {1, 3, 6, 1, 4, 1, 2636};
    for (std::int64_t generic = 0; generic <= 5; ++generic) {
        EXPECT_EQ(v1_trap_oid(enterprise, generic, 0),
                  (Oid{1, 3, 6, 1, 6, 3, 1, 1, 5, static_cast<std::uint32_t>(generic + 1)}));
    }
    EXPECT_EQ(v1_trap_oid(enterprise, 6, 42), (Oid{1, 3, 6, 1, 4, 1, 2636, 0, 42}));
    EXPECT_TRUE(v1_trap_oid(enterprise, 7, 0).empty());
    EXPECT_TRUE(v1_trap_oid(enterprise, -1, 0).empty());
    EXPECT_EQ(notification_name({1, 3, 6, 1, 6, 3, 1, 1, 5, 5}), "authenticationFailure");
    EXPECT_EQ(notification_name({1, 3, 6, 1, 6, 3, 1, 1, 5, 6}), "egpNeighborLoss");
    EXPECT_EQ(notification_name({1, 3, 6, 1, 2, 1, 47, 2, 0, 1}), "entConfigChange");
    EXPECT_EQ(notification_name({1, 3, 6, 1, 6, 3, 1, 1, 5}), "");
}

TEST(SnmpTrapDecode, V2cColdStart) {
    const DecodeResult result = decode(kV2cColdStart);
    ASSERT_EQ(result.error, TrapError::none);
    EXPECT_EQ(result.trap.version, SnmpVersion::v2c);
    EXPECT_EQ(result.trap.request_id, 0x0cf2cc5a);
    EXPECT_EQ(result.trap.uptime, 424242u);
    EXPECT_FALSE(result.trap.agent_address);
    const Record r = record_of(kV2cColdStart);
    EXPECT_EQ(get<std::string>(r, "snmp_version"), "2c");
    EXPECT_EQ(get<std::string>(r, "trap_name"), "coldStart");
    EXPECT_EQ(get<std::int64_t>(r, "request_id"), 0x0cf2cc5a);
    EXPECT_FALSE(get<bool>(r, "inform"));
    EXPECT_EQ(field(r, "enterprise"), nullptr);
    const Json varbinds = get<Json>(r, "varbinds");
    ASSERT_EQ(varbinds.size(), 2u);
    EXPECT_EQ(varbinds[0]["name"], "sysUpTime");
    EXPECT_EQ(varbinds[0]["type"], "timeticks");
    EXPECT_EQ(varbinds[1], (Json{{"oid", "1.3.6.1.6.3.1.1.4.1.0"},
                                 {"name", "snmpTrapOID"},
                                 {"type", "object_id"},
                                 {"value", "1.3.6.1.6.3.1.1.5.1"}}));
}

TEST(SnmpTrapDecode, V2cLinkUpWithInterfaceFields) {
    const Record r = record_of(kV2cLinkUp);
    EXPECT_EQ(get<std::string>(r, "trap_oid"), "1.3.6.1.6.3.1.1.5.4");
    EXPECT_EQ(get<std::string>(r, "trap_name"), "linkUp");
    EXPECT_EQ(get<std::uint64_t>(r, "uptime"), 9000u);
    EXPECT_EQ(get<std::uint64_t>(r, "if_index"), 3u);
    EXPECT_EQ(get<std::int64_t>(r, "if_admin_status"), 1);
    EXPECT_EQ(get<std::int64_t>(r, "if_oper_status"), 1);
    EXPECT_EQ(get<std::string>(r, "if_name"), "Gi0/3");
    EXPECT_EQ(get<std::string>(r, "if_alias"), "uplink to core");
    const Json varbinds = get<Json>(r, "varbinds");
    ASSERT_EQ(varbinds.size(), 7u);
    EXPECT_EQ(varbinds[4]["name"], "ifOperStatus");
    EXPECT_EQ(varbinds[5]["oid"], "1.3.6.1.2.1.31.1.1.1.1.3");
}

TEST(SnmpTrapDecode, IfIndexFromInstanceWhenNotSent) {
    snmp::ensure_snmp_library();
    netsnmp_pdu* pdu = snmp_pdu_create(SNMP_MSG_TRAP2);
    const oid uptime[] = {1, 3, 6, 1, 2, 1, 1, 3, 0};
    ASSERT_EQ(snmp_add_var(pdu, uptime, 9, 't', "1"), 0);
    const oid trap_oid[] = {1, 3, 6, 1, 6, 3, 1, 1, 4, 1, 0};
    ASSERT_EQ(snmp_add_var(pdu, trap_oid, 11, 'o', "1.3.6.1.6.3.1.1.5.3"), 0);
    const oid oper[] = {1, 3, 6, 1, 2, 1, 2, 2, 1, 8, 17};
    ASSERT_EQ(snmp_add_var(pdu, oper, 11, 'i', "2"), 0);
    const Bytes bytes = encode(pdu, SNMP_VERSION_2c, "public");
    ASSERT_FALSE(bytes.empty());
    const Record r = record_of(bytes);
    EXPECT_EQ(get<std::uint64_t>(r, "if_index"), 17u);
    EXPECT_EQ(get<std::int64_t>(r, "if_oper_status"), 2);
}

TEST(SnmpTrapDecode, BgpAndTypes) {
    const Record r = record_of(kV2cBgp);
    EXPECT_EQ(get<std::string>(r, "trap_name"), "bgpBackwardTransition");
    const Json varbinds = get<Json>(r, "varbinds");
    ASSERT_EQ(varbinds.size(), 5u);
    EXPECT_EQ(varbinds[2], (Json{{"oid", "1.3.6.1.2.1.15.3.1.7.192.0.2.1"},
                                 {"name", "bgpPeerRemoteAddr"},
                                 {"type", "ip_address"},
                                 {"value", "192.0.2.1"}}));
    EXPECT_EQ(varbinds[3]["value"], "06:00");
    EXPECT_EQ(varbinds[4]["name"], "bgpPeerState");
}

TEST(SnmpTrapDecode, InformIsAnsweredWithItsRequestId) {
    const DecodeResult result = decode(kV2cInform);
    ASSERT_EQ(result.error, TrapError::none);
    EXPECT_TRUE(result.trap.inform);
    EXPECT_EQ(result.trap.request_id, 0x3fcdebbf);
    EXPECT_EQ(result.trap.trap_oid, (Oid{1, 3, 6, 1, 6, 3, 1, 1, 5, 3}));
    ASSERT_FALSE(result.response.empty());
    EXPECT_FALSE(result.response_failed);
    // The answer, read back with net-snmp: a Response-PDU echoing request-id and varbinds.
    Bytes response = result.response;
    netsnmp_session session;
    snmp_sess_init(&session);
    PduPtr pdu(snmp_pdu_create(0));
    ASSERT_EQ(snmp_parse(nullptr, &session, pdu.get(), response.data(), response.size()), 0);
    EXPECT_EQ(pdu->command, SNMP_MSG_RESPONSE);
    EXPECT_EQ(pdu->version, SNMP_VERSION_2c);
    EXPECT_EQ(pdu->reqid, 0x3fcdebbf);
    EXPECT_EQ(pdu->errstat, 0);
    EXPECT_EQ(std::string(reinterpret_cast<char*>(pdu->community), pdu->community_len), "public");
    EXPECT_EQ(snmp::read_varbinds(pdu->variables).size(), 3u);
    // ... and it is no trap itself.
    EXPECT_EQ(decode(result.response).error, TrapError::not_a_trap);
    const Record r = record_of(kV2cInform);
    EXPECT_TRUE(get<bool>(r, "inform"));
    EXPECT_EQ(get<std::uint64_t>(r, "if_index"), 2u);
}

TEST(SnmpTrapDecode, CommunityFilter) {
    EXPECT_EQ(decode(kV2cColdStart, {"public"}).error, TrapError::none);
    EXPECT_EQ(decode(kV2cColdStart, {"private", "public"}).error, TrapError::none);
    EXPECT_EQ(decode(kV2cColdStart, {"private"}).error, TrapError::bad_community);
    EXPECT_EQ(decode(kV1LinkDown, {"private"}).error, TrapError::bad_community);
    EXPECT_EQ(decode(kV2cBgp, {"private"}).error, TrapError::none);
    EXPECT_EQ(decode(kV2cBgp, {"privat"}).error, TrapError::bad_community) << "no prefix match";
    const DecodeResult inform = decode(kV2cInform, {"other"});
    EXPECT_EQ(inform.error, TrapError::bad_community);
    EXPECT_TRUE(inform.response.empty()) << "a refused inform is not acknowledged";
}

TEST(SnmpTrapDecode, SecretVarbindValuesAreLeftOut) {
    snmp::ensure_snmp_library();
    netsnmp_pdu* pdu = snmp_pdu_create(SNMP_MSG_TRAP2);
    const oid uptime[] = {1, 3, 6, 1, 2, 1, 1, 3, 0};
    ASSERT_EQ(snmp_add_var(pdu, uptime, 9, 't', "1"), 0);
    const oid trap_oid[] = {1, 3, 6, 1, 6, 3, 1, 1, 4, 1, 0};
    ASSERT_EQ(snmp_add_var(pdu, trap_oid, 11, 'o', "1.3.6.1.6.3.1.1.5.1"), 0);
    const oid community[] = {1, 3, 6, 1, 6, 3, 18, 1, 4, 0};
    ASSERT_EQ(snmp_add_var(pdu, community, 10, 's', "s3cret-community"), 0);
    const Record r = record_of(encode(pdu, SNMP_VERSION_2c, "public"));
    const Json varbinds = get<Json>(r, "varbinds");
    ASSERT_EQ(varbinds.size(), 3u);
    EXPECT_EQ(varbinds[2]["name"], "snmpTrapCommunity");
    EXPECT_TRUE(varbinds[2]["value"].is_null());
    EXPECT_EQ(varbinds.dump().find("s3cret"), std::string::npos);
}

TEST(SnmpTrapDecode, RefusedDatagrams) {
    const auto error = [](const Bytes& b) { return decode(b).error; };
    EXPECT_EQ(error({}), TrapError::not_snmp);
    EXPECT_EQ(error(from_hex("68656c6c6f")), TrapError::not_snmp) << "'hello'";
    const std::string text = "<13>Nov 23 01:00:00 host app: a syslog line";
    EXPECT_EQ(error(Bytes(text.begin(), text.end())), TrapError::not_snmp);
    EXPECT_EQ(error(from_hex("3080020101")), TrapError::not_snmp) << "indefinite length";
    EXPECT_EQ(error(from_hex("3003040100")), TrapError::not_snmp) << "no version INTEGER";
    for (std::size_t cut : {2u, 10u, 60u, 100u, 176u}) {
        Bytes truncated(kV2cLinkUp.begin(), kV2cLinkUp.begin() + static_cast<long>(cut));
        EXPECT_EQ(error(truncated), TrapError::truncated) << cut;
    }
    Bytes v2 = kV2cColdStart;
    v2[4] = 2;  // version 2 (SNMPv2u/SNMPv2*): never deployed
    EXPECT_EQ(error(v2), TrapError::unknown_version);
    Bytes v3 = kV2cColdStart;
    v3[4] = 3;
    EXPECT_EQ(error(v3), TrapError::v3_not_supported);
    // With v3 users configured the USM code reads it: a v2c body is no v3 message.
    DecodeSettings with_v3;
    with_v3.v3 = true;
    const DecodeResult garbled = decode_trap(v3, with_v3);
    EXPECT_NE(garbled.error, TrapError::none);
    EXPECT_TRUE(garbled.response.empty());
    // A v3 trap whose USM parameters claim more bytes than its outer SEQUENCE holds (the
    // datagram goes on past it): net-snmp would read past the message; refused first.
    const Bytes overlong = from_hex(
        "3081500201033011020479a92344020300ffe3040101020103043b30390408800000000102030402"
        "010102031674ca0409747261702d617574680418a442dfc912ee7a3bb97c89e846f4b52614ef1b47"
        "0d550fe90400304e041180001f88801ba9153b70660f6b000000000400a73702046d238f85020100"
        "0201003029300e06082b06010201010300430212c24c17060a2b06010603010104010006092b0601"
        "060301010501");
    EXPECT_EQ(decode_trap(overlong, with_v3).error, TrapError::malformed);
    Bytes inner = kV2cColdStart;
    inner[14] = 0x7f;  // the PDU's length now runs past the message
    EXPECT_EQ(error(inner), TrapError::malformed);
    Bytes bad_tag = kV2cColdStart;
    bad_tag[13] = 0xbf;
    EXPECT_EQ(error(bad_tag), TrapError::malformed);

    netsnmp_pdu* get = snmp_pdu_create(SNMP_MSG_GET);
    const oid sys_name[] = {1, 3, 6, 1, 2, 1, 1, 5, 0};
    snmp::ensure_snmp_library();
    snmp_add_null_var(get, sys_name, 9);
    EXPECT_EQ(error(encode(get, SNMP_VERSION_2c, "public")), TrapError::not_a_trap);
    // A v2-style notification in a v1 message is no v1 Trap-PDU.
    netsnmp_pdu* v2_in_v1 = snmp_pdu_create(SNMP_MSG_TRAP2);
    snmp_add_null_var(v2_in_v1, sys_name, 9);
    const Bytes mixed = encode(v2_in_v1, SNMP_VERSION_1, "public");
    if (!mixed.empty()) {
        EXPECT_NE(error(mixed), TrapError::none);
    }
}

TEST(SnmpTrapDecode, TrailingBytesAfterTheMessageAreIgnored) {
    Bytes padded = kV2cColdStart;
    padded.insert(padded.end(), {0, 0, 0, 0});
    const DecodeResult result = decode(padded);
    ASSERT_EQ(result.error, TrapError::none);
    EXPECT_EQ(result.trap.uptime, 424242u);
}

}  // namespace
}  // namespace netfeed::snmp_trap
