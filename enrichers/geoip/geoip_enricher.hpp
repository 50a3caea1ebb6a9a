// The geoip enricher: country and autonomous system of a flow's public addresses from a MaxMind
// database file (GeoLite2/GeoIP2 Country, City or ASN; libmaxminddb), looked up in memory.
#pragma once

#include <maxminddb.h>

#include <memory>
#include <string>
#include <vector>

#include "agent/enricher.hpp"
#include "agent/option_table.hpp"

namespace netfeed::geoip {

struct GeoipOptions {
    std::vector<FilePath> databases;
    std::vector<std::string> fields = {"src_addr", "dst_addr"};
    static const OptionTable<GeoipOptions>& options();
};

/// One open database file; the mapping is shared by every lookup and never written.
class GeoipDatabase {
  public:
    explicit GeoipDatabase(const std::string& path);  // throws std::runtime_error
    ~GeoipDatabase();
    GeoipDatabase(const GeoipDatabase&) = delete;
    GeoipDatabase& operator=(const GeoipDatabase&) = delete;

    struct Answer {
        std::string country;  // ISO 3166-1 alpha-2, "" when the database has none
        std::uint64_t asn = 0;
        std::string as_org;
    };
    /// Fills what the database knows about `address`; false when it has no entry.
    bool lookup(const IpAddress& address, Answer& out) const noexcept;
    const std::string& type() const noexcept { return type_; }

  private:
    MMDB_s mmdb_{};
    std::string type_;
};

/// True for addresses that no database places: private, loopback, link-local, CGNAT,
/// documentation, multicast, unspecified.
bool is_public(const IpAddress& address) noexcept;

class GeoipEnricher final : public Enricher {
  public:
    GeoipEnricher(const GeoipOptions& options,
                  std::vector<std::shared_ptr<const GeoipDatabase>> databases);
    bool enrich(Record& record) noexcept override;
    std::vector<SchemaField> added_fields() const override { return fields_; }

  private:
    struct Target {
        FieldName address;
        FieldName country;
        FieldName asn;
        FieldName as_org;
    };
    std::vector<Target> targets_;
    std::vector<SchemaField> fields_;
    std::vector<std::shared_ptr<const GeoipDatabase>> databases_;
};

}  // namespace netfeed::geoip
