// MaxMind lookups on flows; see geoip_enricher.hpp.
#include "enrichers/geoip/geoip_enricher.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <cstring>
#include <stdexcept>

#include "enrichers/geoip/record_schema.hpp"

namespace netfeed::geoip {

const OptionTable<GeoipOptions>& GeoipOptions::options() {
    static const auto table =
        OptionTable<GeoipOptions>()
            .add("databases", &GeoipOptions::databases,
                 "MaxMind database files (.mmdb: Country or City, and ASN), read when the "
                 "enricher is built; the first one that knows a field's value gives it.",
                 required())
            .add("fields", &GeoipOptions::fields,
                 "Address fields to look up; each adds <field without _addr>_country, _asn and "
                 "_as_org (src_addr -> src_country, src_asn, src_as_org).");
    return table;
}

GeoipDatabase::GeoipDatabase(const std::string& path) {
    const int status = MMDB_open(path.c_str(), MMDB_MODE_MMAP, &mmdb_);
    if (status != MMDB_SUCCESS)
        throw std::runtime_error("cannot open MaxMind database " + path + ": " +
                                 MMDB_strerror(status));
    type_ = mmdb_.metadata.database_type != nullptr ? mmdb_.metadata.database_type : "";
}

GeoipDatabase::~GeoipDatabase() {
    MMDB_close(&mmdb_);
}

namespace {

std::string text_at(MMDB_entry_s* entry, const char* const* path) {
    MMDB_entry_data_s data{};
    if (MMDB_aget_value(entry, &data, path) != MMDB_SUCCESS || !data.has_data ||
        data.type != MMDB_DATA_TYPE_UTF8_STRING) {
        return {};
    }
    return std::string(data.utf8_string, data.data_size);
}

std::uint64_t number_at(MMDB_entry_s* entry, const char* const* path) {
    MMDB_entry_data_s data{};
    if (MMDB_aget_value(entry, &data, path) != MMDB_SUCCESS || !data.has_data) return 0;
    switch (data.type) {
        case MMDB_DATA_TYPE_UINT16:
            return data.uint16;
        case MMDB_DATA_TYPE_UINT32:
            return data.uint32;
        case MMDB_DATA_TYPE_UINT64:
            return data.uint64;
        default:
            return 0;
    }
}

}  // namespace

bool GeoipDatabase::lookup(const IpAddress& address, Answer& out) const noexcept {
    sockaddr_storage storage{};
    if (address.is_v4()) {
        auto* in = reinterpret_cast<sockaddr_in*>(&storage);
        in->sin_family = AF_INET;
        in->sin_addr.s_addr = htonl(address.to_v4().to_uint());
    } else {
        auto* in6 = reinterpret_cast<sockaddr_in6*>(&storage);
        in6->sin6_family = AF_INET6;
        const auto bytes = address.to_v6().to_bytes();
        std::memcpy(in6->sin6_addr.s6_addr, bytes.data(), bytes.size());
    }
    int error = 0;
    // libmaxminddb only reads the mapping; the const_cast is for its C signature.
    MMDB_lookup_result_s result = MMDB_lookup_sockaddr(
        const_cast<MMDB_s*>(&mmdb_), reinterpret_cast<const sockaddr*>(&storage), &error);
    if (error != MMDB_SUCCESS || !result.found_entry) return false;
    static const char* const kCountry[] = {"country", "iso_code", nullptr};
    static const char* const kAsn[] = {"autonomous_system_number", nullptr};
    static const char* const kOrg[] = {"autonomous_system_organization", nullptr};
    try {
        if (out.country.empty()) out.country = text_at(&result.entry, kCountry);
        if (out.asn == 0) out.asn = number_at(&result.entry, kAsn);
        if (out.as_org.empty()) out.as_org = text_at(&result.entry, kOrg);
    } catch (...) {
        return false;
    }
    return true;
}

bool is_public(const IpAddress& address) noexcept {
    if (address.is_unspecified() || address.is_loopback() || address.is_multicast()) return false;
    if (address.is_v4()) {
        const std::uint32_t a = address.to_v4().to_uint();
        const auto in = [a](std::uint32_t net, int bits) {
            return (a >> (32 - bits)) == (net >> (32 - bits));
        };
        return !(in(0x0A000000, 8) || in(0xAC100000, 12) || in(0xC0A80000, 16) ||
                 in(0xA9FE0000, 16) || in(0x64400000, 10) || in(0xC0000200, 24) ||
                 in(0xC6336400, 24) || in(0xCB007100, 24) || in(0x00000000, 8) || a == 0xFFFFFFFFu);
    }
    const auto v6 = address.to_v6();
    if (v6.is_link_local() || v6.is_site_local()) return false;
    const auto b = v6.to_bytes();
    if ((b[0] & 0xFE) == 0xFC) return false;  // fc00::/7 unique local
    if (b[0] == 0x20 && b[1] == 0x01 && b[2] == 0x0D && b[3] == 0xB8)
        return false;  // 2001:db8::/32
    if (v6.is_v4_mapped())
        return is_public(boost::asio::ip::make_address_v4(boost::asio::ip::v4_mapped, v6));
    return true;
}

GeoipEnricher::GeoipEnricher(const GeoipOptions& options,
                             std::vector<std::shared_ptr<const GeoipDatabase>> databases)
    : databases_(std::move(databases)) {
    for (const auto& field : options.fields) {
        std::string stem = field;
        if (stem.ends_with("_addr")) stem.resize(stem.size() - 5);
        targets_.push_back({FieldName::intern(field), FieldName::intern(stem + "_country"),
                            FieldName::intern(stem + "_asn"), FieldName::intern(stem + "_as_org")});
        for (SchemaField& f : geoip_fields_for(stem))
            fields_.push_back(f);
    }
}

bool GeoipEnricher::enrich(Record& record) noexcept {
    for (const Target& target : targets_) {
        const Value* value = record.find(target.address);
        const IpAddress* address = value != nullptr ? std::get_if<IpAddress>(value) : nullptr;
        if (address == nullptr || !is_public(*address)) continue;
        const IpAddress copy = *address;  // adding fields may move the value it points into
        GeoipDatabase::Answer answer;
        bool found = false;
        for (const auto& database : databases_)
            found = database->lookup(copy, answer) || found;
        if (!found) continue;
        try {
            if (!answer.country.empty()) record.add(target.country, std::move(answer.country));
            if (answer.asn != 0) record.add(target.asn, answer.asn);
            if (!answer.as_org.empty()) record.add(target.as_org, std::move(answer.as_org));
        } catch (...) {
            return true;  // allocation failed: the record goes on with what it has
        }
    }
    return true;
}

}  // namespace netfeed::geoip
