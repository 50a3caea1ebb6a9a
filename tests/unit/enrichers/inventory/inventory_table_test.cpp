// Building the inventory from CSV: header semantics, extra and short rows, duplicate keys,
// secondary addresses, case-insensitive names, and what makes a file unusable.
#include "enrichers/inventory/inventory_table.hpp"

#include <gtest/gtest.h>

#include <string>

namespace netfeed::inventory {
namespace {

IpAddress ip(const char* text) {
    return boost::asio::ip::make_address(text);
}

InventoryBuild build(const std::string& text, InventoryLayout layout = {}) {
    return build_inventory(parse_csv(text), layout);
}

std::string field(const InventoryTable::Row& row, std::string_view name) {
    for (const Field& f : row.fields) {
        if (f.name == name) return std::get<std::string>(f.value);
    }
    return "<absent>";
}

TEST(InventoryTable, TwoNameHeaderOverFourFieldRowsWithLeadingSpaces) {
    const auto b = build(
        "hostname, street\n"
        "lax-cor-r1, 123 Main St, Los Angeles, 90001\n"
        "sfo-cor-r1, 1 Market St, San Francisco, 94105\n");
    ASSERT_TRUE(b.table);
    ASSERT_EQ(b.table->size(), 2u);
    const auto* row = b.table->by_name("lax-cor-r1");
    ASSERT_NE(row, nullptr);
    EXPECT_EQ(field(*row, "inventory_hostname"), "lax-cor-r1");
    EXPECT_EQ(field(*row, "inventory_street"), "123 Main St");
    EXPECT_EQ(field(*row, "inventory_column_3"), "Los Angeles");
    EXPECT_EQ(field(*row, "inventory_column_4"), "90001");
    EXPECT_EQ(row->name, "lax-cor-r1");
    // Reported once, at the first such row, with how many rows are like it.
    ASSERT_EQ(b.findings.size(), 1u);
    EXPECT_EQ(b.findings[0].line, 2);
    EXPECT_NE(b.findings[0].message.find("column_3 to column_4"), std::string::npos)
        << b.findings[0].message;
    EXPECT_NE(b.findings[0].message.find("2 rows"), std::string::npos) << b.findings[0].message;
}

TEST(InventoryTable, ShortRowsAreReportedEachWithTheirLine) {
    const auto b = build("hostname,site,role\nr1,lax\nr2,sfo,core\nr3\n");
    ASSERT_TRUE(b.table);
    EXPECT_EQ(b.table->size(), 3u);
    ASSERT_EQ(b.findings.size(), 2u);
    EXPECT_EQ(b.findings[0].line, 2);
    EXPECT_EQ(b.findings[1].line, 4);
    const auto* r1 = b.table->by_name("r1");
    ASSERT_NE(r1, nullptr);
    EXPECT_EQ(field(*r1, "inventory_site"), "lax");
    EXPECT_EQ(field(*r1, "inventory_role"), "<absent>");
}

TEST(InventoryTable, DuplicateKeyKeepsTheFirstRow) {
    const auto b = build("hostname,site\nr1,lax\nR1,sfo\n");
    ASSERT_TRUE(b.table);
    EXPECT_EQ(b.table->size(), 1u);
    ASSERT_EQ(b.findings.size(), 1u);
    EXPECT_EQ(b.findings[0].line, 3);
    EXPECT_NE(b.findings[0].message.find("first at line 2"), std::string::npos);
    EXPECT_EQ(field(*b.table->by_name("r1"), "inventory_site"), "lax");
}

TEST(InventoryTable, NamesMatchWithoutCase) {
    const auto b = build("hostname\nLAX-Cor-R1\n");
    ASSERT_NE(b.table->by_name("lax-cor-r1"), nullptr);
    ASSERT_NE(b.table->by_name("LAX-COR-R1"), nullptr);
    EXPECT_EQ(b.table->by_name("lax-cor-r2"), nullptr);
    EXPECT_EQ(b.table->by_name(std::string(300, 'a')), nullptr);
}

TEST(InventoryTable, QuotingFindingsComeThroughWithTheirLines) {
    const auto b = build("hostname,street\nr1,\"12 \"A\" St\"\n");
    ASSERT_TRUE(b.table);
    ASSERT_FALSE(b.findings.empty());
    EXPECT_EQ(b.findings[0].line, 2);
}

TEST(InventoryTable, SecondaryAddressesFindTheDevice) {
    InventoryLayout layout;
    layout.addresses_column = "addresses";
    const auto b = build(
        "hostname,mgmt,addresses\n"
        "r1,192.0.2.1,\"10.255.0.1; 198.51.100.1 ;2001:db8::1\"\n"
        "r2,192.0.2.2,10.255.0.2;not-an-ip;10.255.0.1\n",
        layout);
    ASSERT_TRUE(b.table);
    ASSERT_NE(b.table->by_address(ip("10.255.0.1")), nullptr);
    EXPECT_EQ(b.table->by_address(ip("10.255.0.1"))->name, "r1");
    EXPECT_EQ(b.table->by_address(ip("198.51.100.1"))->name, "r1");
    EXPECT_EQ(b.table->by_address(ip("2001:db8::1"))->name, "r1");
    EXPECT_EQ(b.table->by_address(ip("10.255.0.2"))->name, "r2");
    EXPECT_EQ(b.table->by_address(ip("192.0.2.1")), nullptr);  // mgmt is not the key column
    // The bad address and the address already taken by r1, both at line 3.
    ASSERT_EQ(b.findings.size(), 2u);
    EXPECT_EQ(b.findings[0].line, 3);
    EXPECT_EQ(b.findings[1].line, 3);
}

TEST(InventoryTable, AddressKeyColumn) {
    InventoryLayout layout;
    layout.key_column = "mgmt_ip";
    layout.key_type = KeyType::address;
    layout.columns = {"site"};
    const auto b = build(
        "hostname,mgmt_ip,site\nr1,192.0.2.1,lax\nr2,bogus,sfo\nr3,::ffff:192.0.2.1,x\n", layout);
    ASSERT_TRUE(b.table);
    EXPECT_EQ(b.table->size(), 1u);
    const auto* row = b.table->by_address(ip("192.0.2.1"));
    ASSERT_NE(row, nullptr);
    EXPECT_EQ(row->name, "r1");
    ASSERT_EQ(row->fields.size(), 1u);
    EXPECT_EQ(field(*row, "inventory_site"), "lax");
    EXPECT_EQ(b.table->by_address(ip("::ffff:192.0.2.1")), row);  // mapped is the same device
    ASSERT_EQ(b.findings.size(), 2u);  // bogus key, duplicate (mapped) key
    EXPECT_EQ(b.findings[0].line, 3);
    EXPECT_EQ(b.findings[1].line, 4);
}

TEST(InventoryTable, SelectedColumnsPrefixAndMissingColumn) {
    InventoryLayout layout;
    layout.columns = {"city", "nope", "hostname"};
    layout.prefix = "site_";
    const auto b = build("hostname,city\nr1,LA\n", layout);
    ASSERT_TRUE(b.table);
    const auto* row = b.table->by_name("r1");
    ASSERT_EQ(row->fields.size(), 2u);
    EXPECT_EQ(row->fields[0].name.view(), "site_city");
    EXPECT_EQ(row->fields[1].name.view(), "site_hostname");
    ASSERT_EQ(b.findings.size(), 1u);
    EXPECT_EQ(b.findings[0].line, 1);
}

TEST(InventoryTable, EmptyCellsAddNoField) {
    const auto b = build("hostname,site,role\nr1,,core\n");
    const auto* row = b.table->by_name("r1");
    ASSERT_EQ(row->fields.size(), 2u);
    EXPECT_EQ(field(*row, "inventory_site"), "<absent>");
}

TEST(InventoryTable, RowsWithoutKeyAreIgnoredAndReported) {
    const auto b = build("hostname,site\n,lax\nr2,sfo\n");
    EXPECT_EQ(b.table->size(), 1u);
    ASSERT_EQ(b.findings.size(), 1u);
    EXPECT_EQ(b.findings[0].line, 2);
}

TEST(InventoryTable, UnusableFiles) {
    EXPECT_TRUE(build("").error);
    EXPECT_FALSE(build("").table);
    const auto no_key = build("name,site\nr1,lax\n");
    ASSERT_TRUE(no_key.error);
    EXPECT_NE(no_key.error->find("no key column 'hostname'"), std::string::npos) << *no_key.error;
    EXPECT_TRUE(load_inventory("/nonexistent/inventory.csv", {}).error);
    // A header alone is a usable, empty inventory.
    const auto header_only = build("hostname,site\n");
    ASSERT_TRUE(header_only.table);
    EXPECT_EQ(header_only.table->size(), 0u);
}

TEST(InventoryTable, ManyFindingsOfAKindAreSummarized) {
    std::string text = "hostname,site\n";
    for (int i = 0; i < 50; ++i)
        text += "r" + std::to_string(i) + "\n";
    const auto b = build(text);
    ASSERT_EQ(b.findings.size(), 21u);
    EXPECT_NE(b.findings.back().message.find("30 more short rows"), std::string::npos);
}

}  // namespace
}  // namespace netfeed::inventory
