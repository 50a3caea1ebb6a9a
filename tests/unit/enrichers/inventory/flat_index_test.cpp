// The inventory's flat indexes: every entry found, misses stop, colliding keys (the same home
// slot) are told apart, and an empty index answers no.
#include "enrichers/inventory/flat_index.hpp"

#include <gtest/gtest.h>

#include <string>

namespace netfeed::inventory {
namespace {

AddressKey v4(std::uint32_t a) {
    return address_key(boost::asio::ip::address_v4(a));
}

TEST(FlatIndex, EmptyIndexesFindNothing) {
    AddressIndex addresses;
    NameIndex names;
    EXPECT_EQ(addresses.find(v4(1)), kNoRow);
    EXPECT_EQ(names.find("rtr-1"), kNoRow);
    addresses.build({});
    names.build({});
    EXPECT_TRUE(addresses.empty());
    EXPECT_EQ(addresses.find(v4(1)), kNoRow);
    EXPECT_EQ(names.find(""), kNoRow);
}

TEST(FlatIndex, EveryAddressOfBothFamiliesIsFoundAndOthersAreNot) {
    std::vector<std::pair<AddressKey, std::uint32_t>> entries;
    for (std::uint32_t i = 0; i < 5000; ++i)
        entries.emplace_back(v4(0x0A000000u + i), i);
    const AddressKey v6 = address_key(boost::asio::ip::make_address("2001:db8::1"));
    entries.emplace_back(v6, 7777);
    AddressIndex index;
    index.build(entries);
    for (const auto& [key, row] : entries)
        ASSERT_EQ(index.find(key), row);
    EXPECT_EQ(index.find(address_key(boost::asio::ip::make_address("2001:db8::2"))), kNoRow);
    // An IPv4 address and an IPv6 address with the same low bytes are different devices.
    EXPECT_EQ(index.find(address_key(boost::asio::ip::make_address("::10.0.0.1"))), kNoRow);
    for (std::uint32_t i = 5000; i < 10000; ++i)
        ASSERT_EQ(index.find(v4(0x0A000000u + i)), kNoRow);
}

TEST(FlatIndex, AddressesSharingAHomeSlotAreToldApart) {
    // Find keys whose hashes land in the same slot of a 16-slot table (the smallest size).
    std::vector<std::pair<AddressKey, std::uint32_t>> entries;
    const std::size_t home = AddressKeyHash{}(v4(1)) & 15;
    for (std::uint32_t a = 1; entries.size() < 6; ++a) {
        if ((AddressKeyHash{}(v4(a)) & 15) == home)
            entries.emplace_back(v4(a), static_cast<std::uint32_t>(entries.size()));
    }
    AddressIndex index;
    index.build(entries);
    for (const auto& [key, row] : entries)
        EXPECT_EQ(index.find(key), row);
}

TEST(FlatIndex, NamesAreFoundByTheirExactBytes) {
    std::vector<std::pair<std::string, std::uint32_t>> entries;
    for (std::uint32_t i = 0; i < 3000; ++i)
        entries.emplace_back("rtr-" + std::to_string(i), i);
    const std::string long_name(200, 'x');
    entries.emplace_back(long_name, 9999);
    NameIndex index;
    index.build(entries);
    for (const auto& [name, row] : entries)
        ASSERT_EQ(index.find(name), row);
    EXPECT_EQ(index.find("rtr-3000"), kNoRow);
    EXPECT_EQ(index.find("rtr-1 "), kNoRow);
    EXPECT_EQ(index.find("rtr-"), kNoRow);
    EXPECT_EQ(index.find(std::string(199, 'x')), kNoRow);
    EXPECT_EQ(index.find(""), kNoRow);
}

}  // namespace
}  // namespace netfeed::inventory
