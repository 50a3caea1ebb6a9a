// JSON form of the decoder's saved state (see snapshot_json.hpp).
#include "collectors/netflow/snapshot_json.hpp"

#include <boost/asio/ip/address.hpp>
#include <limits>
#include <nlohmann/json.hpp>
#include <stdexcept>

namespace netfeed::netflow {

namespace {

using nlohmann::json;

constexpr std::string_view kFormatName = "netfeed-netflow-state";

std::string address_text(const FlowAddress& a) {
    if (a.family == 4) {
        return boost::asio::ip::address_v4({a.bytes[0], a.bytes[1], a.bytes[2], a.bytes[3]})
            .to_string();
    }
    boost::asio::ip::address_v6::bytes_type b;
    std::copy(a.bytes.begin(), a.bytes.end(), b.begin());
    return boost::asio::ip::address_v6(b).to_string();
}

FlowAddress parse_address(const std::string& text) {
    boost::system::error_code ec;
    const auto a = boost::asio::ip::make_address(text, ec);
    if (ec) throw std::invalid_argument("bad exporter address \"" + text + "\"");
    if (a.is_v4()) return FlowAddress::v4(a.to_v4().to_bytes().data());
    return FlowAddress::v6(a.to_v6().to_bytes().data());
}

json exporter_json(const ExporterKey& k) {
    return {{"exporter", address_text(k.address)}, {"version", k.version}, {"domain", k.domain}};
}

// Reads an unsigned integer member and checks it fits T: a damaged file must not wrap around.
template <typename T>
T number(const json& object, const char* name) {
    const json& v = object.at(name);
    if (!v.is_number_unsigned()) throw std::invalid_argument(std::string(name) + " is not a count");
    const auto n = v.get<std::uint64_t>();
    if (n > std::numeric_limits<T>::max())
        throw std::invalid_argument(std::string(name) + " out of range");
    return static_cast<T>(n);
}

ExporterKey parse_exporter(const json& j) {
    ExporterKey k;
    k.address = parse_address(j.at("exporter").get<std::string>());
    k.version = number<std::uint8_t>(j, "version");
    k.domain = number<std::uint32_t>(j, "domain");
    return k;
}

}  // namespace

std::string exporter_text(const ExporterKey& exporter) {
    return address_text(exporter.address) + "|v" + std::to_string(exporter.version) + "|" +
           std::to_string(exporter.domain);
}

std::string snapshot_to_json(const DecoderSnapshot& snapshot, std::uint64_t saved_at_ns) {
    json templates = json::array();
    for (const TemplateSnapshot& t : snapshot.templates) {
        json j = exporter_json(t.exporter);
        j["id"] = t.template_id;
        j["kind"] = t.kind == TemplateKind::options ? "options" : "data";
        if (t.kind == TemplateKind::options) j["scope_count"] = t.scope_count;
        json fields = json::array();
        // [element, length, enterprise]: the field specifiers as the exporter sent them.
        for (const FieldSpec& f : t.fields)
            fields.push_back({f.element, f.length, f.enterprise});
        j["fields"] = std::move(fields);
        j["sent_ns"] = t.sent_ns;
        templates.push_back(std::move(j));
    }
    json sampling = json::array();
    for (const SamplingSnapshot& s : snapshot.sampling) {
        json j = exporter_json(s.exporter);
        j["domain_rate"] = s.table.domain_rate;
        j["domain_rate_explicit"] = s.table.domain_rate_explicit;
        json samplers = json::array();
        for (const auto& sampler : s.table.samplers)
            samplers.push_back({sampler.id, sampler.rate});
        j["samplers"] = std::move(samplers);
        sampling.push_back(std::move(j));
    }
    const json document = {{"format", kFormatName},
                           {"version", kSnapshotFormatVersion},
                           {"saved_at_ns", saved_at_ns},
                           {"templates", std::move(templates)},
                           {"sampling", std::move(sampling)}};
    return document.dump(1) + "\n";
}

std::optional<DecoderSnapshot> snapshot_from_json(std::string_view text, std::string& error) {
    try {
        const json document = json::parse(text);
        if (document.at("format").get<std::string>() != kFormatName) {
            error = "not a netflow state file";
            return std::nullopt;
        }
        const int version = document.at("version").get<int>();
        if (version != kSnapshotFormatVersion) {
            error = "format version " + std::to_string(version) + " (this build reads " +
                    std::to_string(kSnapshotFormatVersion) + ")";
            return std::nullopt;
        }
        DecoderSnapshot out;
        for (const json& j : document.at("templates")) {
            TemplateSnapshot t;
            t.exporter = parse_exporter(j);
            t.template_id = number<std::uint16_t>(j, "id");
            const auto kind = j.at("kind").get<std::string>();
            if (kind != "data" && kind != "options")
                throw std::invalid_argument("bad kind " + kind);
            t.kind = kind == "options" ? TemplateKind::options : TemplateKind::data;
            if (t.kind == TemplateKind::options)
                t.scope_count = number<std::uint16_t>(j, "scope_count");
            for (const json& f : j.at("fields")) {
                if (!f.is_array() || f.size() != 3) throw std::invalid_argument("bad field");
                FieldSpec spec;
                spec.element = f.at(0).get<std::uint16_t>();
                spec.length = f.at(1).get<std::uint16_t>();
                spec.enterprise = f.at(2).get<std::uint32_t>();
                t.fields.push_back(spec);
            }
            t.sent_ns = number<std::uint64_t>(j, "sent_ns");
            out.templates.push_back(std::move(t));
        }
        for (const json& j : document.at("sampling")) {
            SamplingSnapshot s;
            s.exporter = parse_exporter(j);
            s.table.domain_rate = number<std::uint64_t>(j, "domain_rate");
            s.table.domain_rate_explicit = j.at("domain_rate_explicit").get<bool>();
            for (const json& sampler : j.at("samplers")) {
                if (!sampler.is_array() || sampler.size() != 2)
                    throw std::invalid_argument("bad sampler");
                s.table.samplers.push_back(
                    {sampler.at(0).get<std::uint64_t>(), sampler.at(1).get<std::uint64_t>()});
            }
            out.sampling.push_back(std::move(s));
        }
        return out;
    } catch (const std::exception& e) {
        error = e.what();
        return std::nullopt;
    }
}

}  // namespace netfeed::netflow
