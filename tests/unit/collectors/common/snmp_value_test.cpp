// SNMP varbind values (collectors/common/snmp_value): OID text both ways, the text-or-hex rule
// for octet strings, and read_varbind on every type as net-snmp's own list builder makes them.
#include "collectors/common/snmp_value.hpp"

#include <gtest/gtest.h>
#include <net-snmp/net-snmp-config.h>
#include <net-snmp/net-snmp-includes.h>

#include <memory>
#include <string>

#include "collectors/common/snmp_init.hpp"

namespace netfeed::snmp {
namespace {

TEST(SnmpValue, ParsesAndPrintsOids) {
    Oid oid;
    ASSERT_TRUE(parse_oid("1.3.6.1.2.1.1.3.0", oid));
    EXPECT_EQ(oid, (Oid{1, 3, 6, 1, 2, 1, 1, 3, 0}));
    EXPECT_EQ(oid_to_string(oid), "1.3.6.1.2.1.1.3.0");
    ASSERT_TRUE(parse_oid(".1.3.6", oid));
    EXPECT_EQ(oid, (Oid{1, 3, 6}));
    ASSERT_TRUE(parse_oid("0", oid));
    EXPECT_EQ(oid, (Oid{0}));
    ASSERT_TRUE(parse_oid("1.3.4294967295", oid));
    EXPECT_EQ(oid.back(), 4294967295u);
    EXPECT_EQ(oid_to_string(oid), "1.3.4294967295");
    EXPECT_EQ(oid_to_string({}), "");
}

TEST(SnmpValue, RefusesMalformedOids) {
    Oid oid;
    for (const char* bad : {"", ".", "1..3", "1.3.", "..1", "1.3.a", "1.3.-1", "1.3.4294967296",
                            " 1.3", "1.3 ", "1,3", "+1.3", "IF-MIB::ifName"}) {
        EXPECT_FALSE(parse_oid(bad, oid)) << bad;
    }
    std::string longest = "1";
    for (int i = 1; i < MAX_OID_LEN; ++i)
        longest += ".1";
    EXPECT_TRUE(parse_oid(longest, oid));
    EXPECT_EQ(oid.size(), static_cast<std::size_t>(MAX_OID_LEN));
    EXPECT_FALSE(parse_oid(longest + ".1", oid)) << "longer than net-snmp's MAX_OID_LEN";
}

TEST(SnmpValue, OidPrefix) {
    EXPECT_TRUE(oid_has_prefix({1, 3, 6, 1}, {1, 3}));
    EXPECT_TRUE(oid_has_prefix({1, 3}, {1, 3}));
    EXPECT_TRUE(oid_has_prefix({1, 3}, {}));
    EXPECT_FALSE(oid_has_prefix({1}, {1, 3}));
    EXPECT_FALSE(oid_has_prefix({1, 4, 6}, {1, 3}));
}

TEST(SnmpValue, OctetsAsTextOrHex) {
    EXPECT_EQ(octets_to_text("GigabitEthernet0/1"), "GigabitEthernet0/1");
    EXPECT_EQ(octets_to_text("Cisco IOS\r\nVersion 15.2\tx"), "Cisco IOS\r\nVersion 15.2\tx");
    EXPECT_EQ(octets_to_text(std::string("eth0\0", 5)), "eth0") << "a trailing NUL is dropped";
    EXPECT_EQ(octets_to_text(std::string("eth0\0\0", 6)), "eth0");
    EXPECT_EQ(octets_to_text(""), "");
    EXPECT_EQ(octets_to_text("Zürich"), "Zürich") << "valid UTF-8 stays text";
    EXPECT_EQ(octets_to_text(std::string("\x00\x1b\x21\x3a\x4f\x5e", 6)), "00:1b:21:3a:4f:5e");
    EXPECT_EQ(octets_to_text(std::string("a\0b", 3)), "61:00:62") << "an inner NUL is binary";
    EXPECT_EQ(octets_to_text("\x7f"), "7f");
    EXPECT_EQ(octets_to_text("\x1b[0m"), "1b:5b:30:6d") << "escape sequences are binary";
    // Invalid UTF-8: a lone continuation byte, a cut sequence, an overlong form, a surrogate.
    EXPECT_EQ(octets_to_text("\x80"), "80");
    EXPECT_EQ(octets_to_text("ab\xc3"), "61:62:c3");
    EXPECT_EQ(octets_to_text("\xc0\xaf"), "c0:af");
    EXPECT_EQ(octets_to_text("\xed\xa0\x80"), "ed:a0:80");
    EXPECT_EQ(octets_to_text("\xf4\x90\x80\x80"), "f4:90:80:80") << "past U+10FFFF";
    EXPECT_EQ(octets_to_hex("AB"), "41:42");
    EXPECT_EQ(octets_to_hex(""), "");
}

struct VarlistFree {
    void operator()(netsnmp_variable_list* v) const noexcept { snmp_free_varbind(v); }
};

class SnmpValueVarbind : public ::testing::Test {
  protected:
    void SetUp() override { ensure_snmp_library(); }
    // Adds one variable of `type` with net-snmp's own list builder and reads it back.
    VarBind add(u_char type, const void* value, std::size_t length) {
        const oid name[] = {1, 3, 6, 1, 4, 1, 99, 1, 0};
        netsnmp_variable_list* list = nullptr;
        EXPECT_NE(snmp_varlist_add_variable(&list, name, 9, type, value, length), nullptr);
        std::unique_ptr<netsnmp_variable_list, VarlistFree> owned(list);
        EXPECT_EQ(read_varbinds(list).size(), 1u);
        return read_varbind(*list);
    }
};

TEST_F(SnmpValueVarbind, EveryType) {
    const long negative = -42;
    VarBind vb = add(ASN_INTEGER, &negative, sizeof negative);
    EXPECT_EQ(vb.oid, (Oid{1, 3, 6, 1, 4, 1, 99, 1, 0}));
    EXPECT_EQ(vb.value.type, SnmpType::integer);
    EXPECT_EQ(vb.value.integer, -42);
    EXPECT_EQ(std::get<std::int64_t>(to_record_value(vb.value)), -42);

    const u_long big = 4294967295ul;
    vb = add(ASN_GAUGE, &big, sizeof big);
    EXPECT_EQ(vb.value.type, SnmpType::unsigned32);
    EXPECT_EQ(vb.value.unsigned_, 4294967295u);
    vb = add(ASN_COUNTER, &big, sizeof big);
    EXPECT_EQ(vb.value.type, SnmpType::counter32);
    EXPECT_TRUE(vb.value.is_counter());
    EXPECT_EQ(vb.value.unsigned_, 4294967295u);
    const u_long ticks = 123456;
    vb = add(ASN_TIMETICKS, &ticks, sizeof ticks);
    EXPECT_EQ(vb.value.type, SnmpType::timeticks);
    EXPECT_EQ(std::get<std::uint64_t>(to_record_value(vb.value)), 123456u);

    counter64 c64{};
    c64.high = 0x00000001;
    c64.low = 0x00000002;
    vb = add(ASN_COUNTER64, &c64, sizeof c64);
    EXPECT_EQ(vb.value.type, SnmpType::counter64);
    EXPECT_EQ(vb.value.unsigned_, 0x100000002ull);

    const char text[] = "uplink to core";
    vb = add(ASN_OCTET_STR, text, sizeof text - 1);
    EXPECT_EQ(vb.value.type, SnmpType::octets);
    EXPECT_EQ(std::get<std::string>(to_record_value(vb.value)), "uplink to core");
    const unsigned char mac[] = {0x00, 0x1b, 0x21, 0x3a, 0x4f, 0x5e};
    vb = add(ASN_OCTET_STR, mac, sizeof mac);
    EXPECT_EQ(std::get<std::string>(to_record_value(vb.value)), "00:1b:21:3a:4f:5e");
    vb = add(ASN_OCTET_STR, "", 0);
    EXPECT_EQ(vb.value.type, SnmpType::octets);
    EXPECT_EQ(std::get<std::string>(to_record_value(vb.value)), "");

    const unsigned char address[] = {192, 0, 2, 7};
    vb = add(ASN_IPADDRESS, address, sizeof address);
    EXPECT_EQ(vb.value.type, SnmpType::ip_address);
    EXPECT_EQ(std::get<IpAddress>(to_record_value(vb.value)).to_string(), "192.0.2.7");

    const oid object[] = {1, 3, 6, 1, 6, 3, 1, 1, 5, 3};
    vb = add(ASN_OBJECT_ID, object, sizeof object);
    EXPECT_EQ(vb.value.type, SnmpType::object_id);
    EXPECT_EQ(std::get<std::string>(to_record_value(vb.value)), "1.3.6.1.6.3.1.1.5.3");

    const unsigned char opaque[] = {0x9f, 0x78, 0x04, 0x3f, 0x80, 0x00, 0x00};
    vb = add(ASN_OPAQUE, opaque, sizeof opaque);
    EXPECT_EQ(vb.value.type, SnmpType::opaque);
    EXPECT_EQ(std::get<std::string>(to_record_value(vb.value)), "9f:78:04:3f:80:00:00");

    vb = add(ASN_NULL, nullptr, 0);
    EXPECT_EQ(vb.value.type, SnmpType::null);
    EXPECT_TRUE(std::holds_alternative<std::monostate>(to_record_value(vb.value)));
    for (const auto& [type, expected] : {std::pair{SNMP_NOSUCHOBJECT, SnmpType::no_such_object},
                                         std::pair{SNMP_NOSUCHINSTANCE, SnmpType::no_such_instance},
                                         std::pair{SNMP_ENDOFMIBVIEW, SnmpType::end_of_mib_view}}) {
        vb = add(static_cast<u_char>(type), nullptr, 0);
        EXPECT_EQ(vb.value.type, expected);
        EXPECT_TRUE(vb.value.is_exception());
        EXPECT_TRUE(std::holds_alternative<std::monostate>(to_record_value(vb.value)));
    }
}

TEST(SnmpValue, TypeNames) {
    EXPECT_EQ(to_string(SnmpType::counter64), "counter64");
    EXPECT_EQ(to_string(SnmpType::octets), "octets");
    EXPECT_EQ(to_string(SnmpType::no_such_instance), "no_such_instance");
}

}  // namespace
}  // namespace netfeed::snmp
