// Interface naming on flows from the shared ifIndex table (filled here as the SNMP collector
// fills it): names, aliases, speeds, unknown indexes, a device with no table, and republishing.
#include "enrichers/interfaces/interfaces_enricher.hpp"

#include <gtest/gtest.h>

#include "agent/logging.hpp"

namespace netfeed::interfaces {
namespace {

class InterfacesEnricherTest : public ::testing::Test {
  protected:
    void SetUp() override {
        InterfaceTable::DeviceInterfaces r1;
        r1[1] = {"Ethernet1/1", "uplink to spine-1", 100000};
        r1[2] = {"Ethernet1/2", "", 0};
        tables_.interfaces.publish("leaf-1", r1);
    }

    Record flow(const std::string& device, std::uint64_t in, std::uint64_t out) {
        Record r;
        r.kind = RecordKind::flow;
        r.device = device;
        r.add("in_if", in);
        r.add("out_if", out);
        return r;
    }
    static std::string text(const Record& r, FieldName name) {
        const Value* v = r.find(name);
        return v != nullptr ? value_to_text(*v) : "<absent>";
    }

    DeviceDirectory devices_;
    SharedTables tables_;
    MetricsRegistry registry_;
    ComponentMetrics metrics_{registry_, "enricher", "interfaces", "interfaces"};
    EnricherContext context_{devices_, tables_, metrics_, make_logger("enricher.interfaces")};
};

TEST_F(InterfacesEnricherTest, NamesAliasesAndSpeeds) {
    InterfacesEnricher e({});
    e.start(context_);
    Record r = flow("leaf-1", 1, 2);
    ASSERT_TRUE(e.enrich(r));
    EXPECT_EQ(text(r, "in_if_name"), "Ethernet1/1");
    EXPECT_EQ(text(r, "in_if_alias"), "uplink to spine-1");
    EXPECT_EQ(text(r, "in_if_speed_mbps"), "100000");
    EXPECT_EQ(text(r, "out_if_name"), "Ethernet1/2");
    EXPECT_EQ(text(r, "out_if_alias"), "<absent>");  // empty alias, no field
    EXPECT_EQ(text(r, "out_if_speed_mbps"), "<absent>");
}

TEST_F(InterfacesEnricherTest, UnknownIndexesAndDevicesAreCountedNotGuessed) {
    InterfacesEnricher e({});
    e.start(context_);
    Record r = flow("leaf-1", 1, 99);
    ASSERT_TRUE(e.enrich(r));
    EXPECT_EQ(text(r, "in_if_name"), "Ethernet1/1");
    EXPECT_EQ(text(r, "out_if_name"), "<absent>");
    Record other = flow("leaf-2", 1, 0);  // no table; 0 is "unknown" to the exporter itself
    ASSERT_TRUE(e.enrich(other));
    EXPECT_EQ(text(other, "in_if_name"), "<absent>");
    EXPECT_EQ(registry_.counter("netfeed_interfaces_unknown_total", "", metrics_.labels()).value(),
              2u);
}

TEST_F(InterfacesEnricherTest, ANewPollIsSeenWithinRefreshEvery) {
    InterfacesOptions options;
    options.refresh_every = 4;
    InterfacesEnricher e(options);
    e.start(context_);
    Record before = flow("leaf-1", 1, 1);
    e.enrich(before);
    InterfaceTable::DeviceInterfaces renamed;
    renamed[1] = {"Ethernet1/1-renamed", "", 0};
    tables_.interfaces.publish("leaf-1", renamed);
    std::string name;
    for (int i = 0; i < 4; ++i) {
        Record r = flow("leaf-1", 1, 1);
        e.enrich(r);
        name = text(r, "in_if_name");
    }
    EXPECT_EQ(name, "Ethernet1/1-renamed");
}

TEST_F(InterfacesEnricherTest, RecordsWithoutIndexesAreLeftAlone) {
    InterfacesOptions options;
    options.aliases = false;
    InterfacesEnricher e(options);
    e.start(context_);
    Record r;
    r.kind = RecordKind::syslog;
    r.device = "leaf-1";
    r.add("message", std::string("hello"));
    ASSERT_TRUE(e.enrich(r));
    EXPECT_EQ(r.fields.size(), 1u);
    Record f = flow("leaf-1", 1, 2);
    e.enrich(f);
    EXPECT_EQ(text(f, "in_if_alias"), "<absent>");  // turned off
}

}  // namespace
}  // namespace netfeed::interfaces
