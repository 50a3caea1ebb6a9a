// The inventory enricher as the agent builds it (from YAML through the registry): joins, no-match,
// device naming (device list, inventory, secondary addresses, reverse DNS), reloads by inotify
// and by hand, a bad reload, and records enriched while the file is rewritten.
#include "enrichers/inventory/inventory_enricher.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <set>
#include <thread>

#include "agent/built_config.hpp"
#include "agent/logging.hpp"

namespace netfeed::inventory {
namespace {

using namespace std::chrono_literals;

IpAddress ip(const char* text) {
    return boost::asio::ip::make_address(text);
}

const char* kInventory =
    "hostname, street, city, zip, addresses\n"
    "lax-cor-r1, 123 Main St, Los Angeles, 90001, 10.255.0.1\n"
    "sfo-cor-r1, \"1 Market St, Suite 5\", San Francisco, 94105, \"10.255.0.2;2001:db8::2\"\n";

class InventoryEnricherTest : public ::testing::Test {
  protected:
    void SetUp() override {
        setup_logging(LogLevel::off);
        dir_ = std::filesystem::temp_directory_path() /
               ("netfeed_inventory_" + std::to_string(::getpid()) + "_" +
                ::testing::UnitTest::GetInstance()->current_test_info()->name());
        std::filesystem::remove_all(dir_);
        std::filesystem::create_directories(dir_);
        write_csv(kInventory);
    }
    void TearDown() override {
        if (enricher_) enricher_->stop();
        std::filesystem::remove_all(dir_);
    }

    // Editors write a new file and rename it over the old one; do the same.
    void write_csv(const std::string& text) {
        const auto tmp = dir_ / ".inventory.csv.tmp";
        {
            std::ofstream out(tmp, std::ios::binary);
            out << text;
        }
        std::filesystem::rename(tmp, dir_ / "inventory.csv");
    }

    InventoryEnricher& build(const std::string& options, bool start = true) {
        const std::string yaml =
            "inventory: {path: inventory.csv}\n"
            "devices:\n"
            "  - {name: lax-cor-r1, address: 192.0.2.1}\n"
            "  - {name: core-list-name, address: 10.255.0.2}\n"
            "enrichers:\n"
            "  - type: inventory\n"
            "    addresses_column: addresses\n" +
            options;
        built_ = std::make_unique<BuiltConfig>(build_config(
            parse_config_text(yaml, (dir_ / "netfeed.yaml").string()), builtin_plugins()));
        devices_.replace(built_->devices);
        enricher_.reset(
            static_cast<InventoryEnricher*>(built_->enrichers.at(0).instance.release()));
        if (start) enricher_->start(context_);
        return *enricher_;
    }

    static Record record(const std::string& device, const char* address) {
        Record r;
        r.kind = RecordKind::flow;
        r.device = device;
        r.device_address = ip(address);
        r.add("bytes", std::uint64_t{100});
        return r;
    }
    static std::string text(const Record& r, std::string_view name) {
        for (const Field& f : r.fields) {
            if (f.name == name) return value_to_text(f.value);
        }
        return "<absent>";
    }

    std::filesystem::path dir_;
    std::unique_ptr<BuiltConfig> built_;
    DeviceDirectory devices_;
    SharedTables tables_;
    MetricsRegistry registry_;
    ComponentMetrics metrics_{registry_, "enricher", "inventory", "inventory"};
    EnricherContext context_{devices_, tables_, metrics_, make_logger("enricher.inventory")};
    std::unique_ptr<InventoryEnricher> enricher_;
};

TEST_F(InventoryEnricherTest, JoinsByConfiguredNameUnderThePrefix) {
    auto& e = build("");
    Record r = record("lax-cor-r1", "192.0.2.1");
    ASSERT_TRUE(e.enrich(r));
    EXPECT_EQ(r.device, "lax-cor-r1");
    EXPECT_EQ(text(r, "inventory_match"), "true");
    EXPECT_EQ(text(r, "inventory_street"), "123 Main St");
    EXPECT_EQ(text(r, "inventory_city"), "Los Angeles");
    EXPECT_EQ(text(r, "inventory_zip"), "90001");
    EXPECT_EQ(text(r, "bytes"), "100");  // the body stays
}

TEST_F(InventoryEnricherTest, NoMatchIsDeliveredMarkedOrDropped) {
    auto& e = build("");
    Record r = record("203.0.113.9", "203.0.113.9");
    ASSERT_TRUE(e.enrich(r));
    EXPECT_EQ(r.device, "203.0.113.9");
    EXPECT_EQ(text(r, "inventory_match"), "false");
    EXPECT_EQ(text(r, "inventory_city"), "<absent>");
    EXPECT_EQ(registry_.counter("netfeed_inventory_unmatched_total", "", metrics_.labels()).value(),
              1u);

    e.stop();
    auto& dropping = build("    drop_unmatched: true\n");
    Record r2 = record("203.0.113.9", "203.0.113.9");
    EXPECT_FALSE(dropping.enrich(r2));
    Record r3 = record("lax-cor-r1", "192.0.2.1");
    EXPECT_TRUE(dropping.enrich(r3));
}

TEST_F(InventoryEnricherTest, SecondaryAddressNamesAnUnlistedDevice) {
    auto& e = build("");
    Record r = record("10.255.0.1", "10.255.0.1");  // lax-cor-r1's loopback, not in the list
    ASSERT_TRUE(e.enrich(r));
    EXPECT_EQ(r.device, "lax-cor-r1");
    EXPECT_EQ(text(r, "inventory_zip"), "90001");
    Record v6 = record("2001:db8::2", "2001:db8::2");
    ASSERT_TRUE(e.enrich(v6));
    EXPECT_EQ(v6.device, "sfo-cor-r1");
    EXPECT_EQ(text(v6, "inventory_street"), "1 Market St, Suite 5");
}

TEST_F(InventoryEnricherTest, TheDeviceListNamesFirst) {
    auto& e = build("");
    // 10.255.0.2 is in the device list as core-list-name and in the inventory as sfo-cor-r1:
    // the name stays, the row still joins by address.
    Record r = record("core-list-name", "10.255.0.2");
    ASSERT_TRUE(e.enrich(r));
    EXPECT_EQ(r.device, "core-list-name");
    EXPECT_EQ(text(r, "inventory_zip"), "94105");
}

TEST_F(InventoryEnricherTest, NamingCanBeTurnedOff) {
    auto& e = build("    name_devices: false\n");
    Record r = record("10.255.0.1", "10.255.0.1");
    ASSERT_TRUE(e.enrich(r));
    EXPECT_EQ(r.device, "10.255.0.1");
    EXPECT_EQ(text(r, "inventory_zip"), "90001");
}

TEST_F(InventoryEnricherTest, ReverseDnsNamesLaterRecordsWithoutWaiting) {
    auto& e = build("    reverse_dns: true\n    dns_timeout: 1s\n");
    // 127.0.0.1 is in neither list; /etc/hosts names it.
    Record first = record("127.0.0.1", "127.0.0.1");
    ASSERT_TRUE(e.enrich(first));
    EXPECT_EQ(first.device, "127.0.0.1");  // went out at once, with the address
    std::string name;
    for (int i = 0; i < 100; ++i) {
        Record r = record("127.0.0.1", "127.0.0.1");
        e.enrich(r);
        name = r.device;
        if (name != "127.0.0.1") break;
        std::this_thread::sleep_for(50ms);
    }
    EXPECT_EQ(name, ReverseDns::resolve(ip("127.0.0.1"), 1s));
    EXPECT_NE(name, "127.0.0.1");
}

// prefetch() is only a hint: a batch enriched after it comes out exactly as without it, whether
// the answer cache knows its records or not, and across a table swap between the two calls.
TEST_F(InventoryEnricherTest, PrefetchChangesNothingEnrichSees) {
    auto& e = build("    watch: false\n");
    const auto batch = [] {
        std::vector<Record> b;
        for (int round = 0; round < 2; ++round) {
            b.push_back(record("lax-cor-r1", "192.0.2.1"));
            b.push_back(record("10.255.0.1", "10.255.0.1"));
            b.push_back(record("2001:db8::2", "2001:db8::2"));
            b.push_back(record("203.0.113.9", "203.0.113.9"));
            Record no_address = record("sfo-cor-r1", "0.0.0.0");
            b.push_back(no_address);
        }
        return b;
    };
    const auto fingerprint = [](const std::vector<Record>& b) {
        std::string out;
        for (const Record& r : b) {
            out += r.device + ":";
            for (const Field& f : r.fields)
                out += std::string(f.name.view()) + "=" + value_to_text(f.value) + ",";
            out += "\n";
        }
        return out;
    };
    std::vector<Record> plain = batch();
    for (Record& r : plain)
        e.enrich(r);
    for (int pass = 0; pass < 2; ++pass) {  // a cold cache, then a warm one
        std::vector<Record> hinted = batch();
        e.prefetch(hinted);
        for (Record& r : hinted)
            e.enrich(r);
        EXPECT_EQ(fingerprint(hinted), fingerprint(plain)) << "pass " << pass;
    }
    EXPECT_NE(fingerprint(plain).find("inventory_city=San Francisco"), std::string::npos);

    // The table changes between the hint and the records: the new table is used.
    std::vector<Record> hinted = batch();
    e.prefetch(hinted);
    write_csv("hostname,city\nlax-cor-r1,Pasadena\n");
    ASSERT_TRUE(e.reload());
    e.prefetch({});
    for (Record& r : hinted)
        e.enrich(r);
    EXPECT_EQ(text(hinted[0], "inventory_city"), "Pasadena");
    EXPECT_EQ(text(hinted[1], "inventory_match"), "false");
}

TEST_F(InventoryEnricherTest, ReloadByHandAndBadReloadKeepsTheOldData) {
    auto& e = build("    watch: false\n");
    write_csv("hostname,city\nlax-cor-r1,Pasadena\n");
    ASSERT_TRUE(e.reload());
    Record r = record("lax-cor-r1", "192.0.2.1");
    e.enrich(r);
    EXPECT_EQ(text(r, "inventory_city"), "Pasadena");

    write_csv("name,city\nlax-cor-r1,Nowhere\n");  // no key column: unusable
    EXPECT_FALSE(e.reload());
    std::filesystem::remove(dir_ / "inventory.csv");
    EXPECT_FALSE(e.reload());
    Record again = record("lax-cor-r1", "192.0.2.1");
    e.enrich(again);
    EXPECT_EQ(text(again, "inventory_city"), "Pasadena");
    EXPECT_EQ(metrics_.errors("inventory_reload").value(), 2u);
}

TEST_F(InventoryEnricherTest, InotifySeesARenamedReplacementAndAnInPlaceRewrite) {
    auto& e = build("");
    const auto city_now = [&] {
        Record r = record("lax-cor-r1", "192.0.2.1");
        e.enrich(r);
        return text(r, "inventory_city");
    };
    EXPECT_EQ(city_now(), "Los Angeles");
    write_csv("hostname,city\nlax-cor-r1,Burbank\n");
    for (int i = 0; i < 60 && city_now() != "Burbank"; ++i)
        std::this_thread::sleep_for(50ms);
    EXPECT_EQ(city_now(), "Burbank");
    {
        std::ofstream out(dir_ / "inventory.csv", std::ios::binary | std::ios::trunc);
        out << "hostname,city\nlax-cor-r1,Glendale\n";
    }
    for (int i = 0; i < 60 && city_now() != "Glendale"; ++i)
        std::this_thread::sleep_for(50ms);
    EXPECT_EQ(city_now(), "Glendale");
}

TEST_F(InventoryEnricherTest, RecordsEnrichedDuringRewritesAreWholeVersions) {
    const auto version = [](int v) {
        std::string text = "hostname,a,b,c\n";
        for (int d = 0; d < 200; ++d) {
            const std::string n = std::to_string(v);
            text += "dev" + std::to_string(d) + ",a" + n + ",b" + n + ",c" + n + "\n";
        }
        return text;
    };
    write_csv(version(0));
    auto& e = build("    watch: false\n");
    std::atomic<bool> done{false};
    std::atomic<int> reloads{0};
    std::thread writer([&] {
        for (int v = 1; v <= 40; ++v) {
            write_csv(version(v));
            if (e.reload()) ++reloads;
        }
        done = true;
    });
    std::size_t checked = 0;
    std::set<std::string> versions_seen;
    while (!done || checked < 1000) {
        Record r = record("dev" + std::to_string(checked % 200), "192.0.2.200");
        ASSERT_TRUE(e.enrich(r));
        const std::string a = text(r, "inventory_a");
        ASSERT_NE(a, "<absent>");
        const std::string n = a.substr(1);
        ASSERT_EQ(text(r, "inventory_b"), "b" + n) << "half of one version, half of another";
        ASSERT_EQ(text(r, "inventory_c"), "c" + n);
        versions_seen.insert(n);
        ++checked;
    }
    writer.join();
    EXPECT_EQ(reloads.load(), 40);
    EXPECT_GT(versions_seen.size(), 1u);
    Record last = record("dev0", "192.0.2.200");
    e.enrich(last);
    EXPECT_EQ(text(last, "inventory_a"), "a40");
}

TEST_F(InventoryEnricherTest, FindingsAreBuildWarningsWithFileAndLine) {
    write_csv("hostname, street\nlax-cor-r1, 123 Main St, Los Angeles, 90001\nshort-row\n");
    build("", false);
    // Line 1: the configured addresses column is not in this header.
    ASSERT_EQ(built_->warnings.size(), 3u);
    EXPECT_EQ(built_->warnings[0].line, 1);
    EXPECT_NE(built_->warnings[0].message.find("no addresses column 'addresses'"),
              std::string::npos);
    EXPECT_EQ(built_->warnings[1].line, 2);
    EXPECT_EQ(built_->warnings[1].file, (dir_ / "inventory.csv").string());
    EXPECT_EQ(built_->warnings[2].line, 3);
    EXPECT_NE(built_->warnings[1].to_string().find("inventory.csv:2: enrichers[0]: 4 fields"),
              std::string::npos)
        << built_->warnings[1].to_string();
}

TEST_F(InventoryEnricherTest, AnUnusableFileFailsTheBuild) {
    write_csv("name\nx\n");
    try {
        build("");
        FAIL() << "built";
    } catch (const ConfigError& e) {
        EXPECT_NE(std::string(e.what()).find("no key column 'hostname'"), std::string::npos)
            << e.what();
    }
}

}  // namespace
}  // namespace netfeed::inventory
