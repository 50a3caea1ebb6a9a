// SNMP request handling of the simulator; see responder.hpp.
#include "lab/snmp_sim/responder.hpp"

#include <algorithm>

namespace netfeed::lab {

namespace {
constexpr long kNoError = 0, kTooBig = 1, kNoSuchName = 2, kGenErr = 5;
constexpr std::size_t kMaxVarbinds = 2048;

std::string_view view(Bytes b) {
    return {reinterpret_cast<const char*>(b.data()), b.size()};
}
}  // namespace

std::size_t Responder::next_of(std::span<const std::uint32_t> oid, bool v1) const {
    const auto& entries = mib_.entries();
    std::size_t i = mib_.upper_bound(oid);
    // SNMPv1 has no Counter64: a v1 walk steps over such objects (RFC 3584 4.2.2.1).
    while (v1 && i < entries.size() && entries[i].counter64)
        ++i;
    return i < entries.size() ? i : npos;
}

bool Responder::gen_err(std::size_t entry) const {
    const auto& prefix = settings_.gen_err_prefix;
    if (prefix.empty() || entry == npos) return false;
    const auto& oid = mib_.entries()[entry].oid;
    return oid.size() >= prefix.size() && std::equal(prefix.begin(), prefix.end(), oid.begin());
}

bool Responder::respond(Bytes request, std::uint32_t device, std::string_view community,
                        std::uint64_t elapsed_ms, std::string& out) {
    ++counts_.requests;
    BerReader top(request);
    Bytes msg, version_bytes, community_bytes, pdu, request_id, a, b, list;
    std::int64_t version = 0, first = 0, second = 0;
    std::uint8_t pdu_type = 0;
    if (!top.expect(tag::sequence, msg)) return ++counts_.malformed, false;
    BerReader m(msg);
    if (!m.expect(tag::integer, version_bytes) || !ber_integer(version_bytes, version))
        return ++counts_.malformed, false;
    if (version != 0 && version != 1) return ++counts_.unsupported, false;  // v3 is not served
    if (!m.expect(tag::octets, community_bytes)) return ++counts_.malformed, false;
    if (view(community_bytes) != community) return ++counts_.wrong_community, false;
    if (!m.next(pdu_type, pdu)) return ++counts_.malformed, false;
    const bool v1 = version == 0;
    if (pdu_type != tag::get && pdu_type != tag::get_next && !(pdu_type == tag::get_bulk && !v1)) {
        return ++counts_.unsupported, false;
    }
    BerReader p(pdu);
    if (!p.expect(tag::integer, request_id) || request_id.size() > 5 ||
        !p.expect(tag::integer, a) || !ber_integer(a, first) || !p.expect(tag::integer, b) ||
        !ber_integer(b, second) || !p.expect(tag::sequence, list)) {
        return ++counts_.malformed, false;
    }
    std::size_t count = 0;
    BerReader l(list);
    while (!l.at_end()) {
        Bytes vb, name;
        if (!l.expect(tag::sequence, vb)) return ++counts_.malformed, false;
        BerReader x(vb);
        if (!x.expect(tag::oid, name) || count >= kMaxVarbinds) return ++counts_.malformed, false;
        if (oids_.size() <= count) oids_.emplace_back();
        if (!ber_oid(name, oids_[count])) return ++counts_.malformed, false;
        ++count;
    }

    // Resolve every requested object to an entry or an exception.
    const auto& entries = mib_.entries();
    results_.clear();
    long status = kNoError, index = 0;
    const bool bulk = pdu_type == tag::get_bulk;
    const auto fail = [&](long s, std::size_t k) {
        if (status == kNoError) status = s, index = static_cast<long>(k + 1);
    };
    if (pdu_type == tag::get) {
        for (std::size_t k = 0; k < count; ++k) {
            const auto& o = oids_[k];
            const std::size_t i = mib_.lower_bound(o);
            if (i < entries.size() && entries[i].oid == o && !(v1 && entries[i].counter64)) {
                if (gen_err(i)) fail(kGenErr, k);
                results_.push_back({i, 0, k});
                continue;
            }
            if (v1) fail(kNoSuchName, k);
            // An instance of a column we have is noSuchInstance; anything else noSuchObject.
            const auto same_column = [&](std::size_t j) {
                return j < entries.size() && o.size() > 1 && entries[j].oid.size() == o.size() &&
                       std::equal(o.begin(), o.end() - 1, entries[j].oid.begin());
            };
            const bool column = same_column(i) || (i > 0 && same_column(i - 1));
            results_.push_back({npos, column ? tag::no_such_instance : tag::no_such_object, k});
        }
    } else if (pdu_type == tag::get_next) {
        for (std::size_t k = 0; k < count; ++k) {
            const std::size_t i = next_of(oids_[k], v1);
            if (i == npos && v1) fail(kNoSuchName, k);
            if (gen_err(i)) fail(kGenErr, k);
            results_.push_back({i, tag::end_of_mib_view, k});
        }
    } else {
        const std::size_t non_repeaters =
            static_cast<std::size_t>(std::clamp<std::int64_t>(first, 0, count));
        const std::size_t repetitions =
            static_cast<std::size_t>(std::clamp<std::int64_t>(second, 0, kMaxVarbinds));
        for (std::size_t k = 0; k < non_repeaters; ++k) {
            const std::size_t i = next_of(oids_[k], false);
            if (gen_err(i)) fail(kGenErr, k);
            results_.push_back({i, tag::end_of_mib_view, k});
        }
        const std::size_t repeaters = count - non_repeaters;
        // cursor per repeater: the entry it stands on (npos: before its request OID).
        std::vector<std::size_t>& cursor = cursor_;
        cursor.assign(repeaters, npos);
        ended_.assign(repeaters, false);
        auto& ended = ended_;
        for (std::size_t r = 0; r < repetitions && results_.size() < kMaxVarbinds; ++r) {
            bool any = false;
            for (std::size_t k = 0; k < repeaters; ++k) {
                const std::size_t q = non_repeaters + k;
                std::size_t i = npos;
                if (r == 0) {
                    i = next_of(oids_[q], false);
                } else if (cursor[k] != npos && cursor[k] + 1 < entries.size() && !ended[k]) {
                    i = cursor[k] + 1;
                }
                if (gen_err(i)) fail(kGenErr, q);
                if (i == npos) ended[k] = true;
                if (i != npos) {
                    any = true;
                    cursor[k] = i;
                    results_.push_back({i, tag::end_of_mib_view, q});
                } else {
                    // Past the end: endOfMibView under the name this repeater reached last.
                    results_.push_back({npos, tag::end_of_mib_view, q, cursor[k]});
                }
            }
            if (!any) break;  // every repeater is past the end
        }
    }

    // Encode: values until the message is full.
    const std::size_t overhead = 3 + 2 + length_size(community.size()) + community.size() + 2 +
                                 request_id.size() + 6 + 4 + 4 + 4 + 4;
    const std::size_t budget =
        settings_.max_message > overhead ? settings_.max_message - overhead : 0;
    varbinds_.clear();
    if (status != kNoError) {
        varbinds_.assign(view(list));  // errors echo the request's variable bindings
        counts_.gen_err += status == kGenErr;
    } else {
        std::size_t encoded = 0;
        for (const Result& r : results_) {
            value_.clear();
            if (r.entry != npos) {
                mib_.put_value(value_, entries[r.entry], device, elapsed_ms);
            } else {
                value_.push_back(static_cast<char>(r.exception));
                value_.push_back('\0');
            }
            varbind_.clear();
            if (r.entry != npos || r.name != npos) {
                varbind_.append(entries[r.entry != npos ? r.entry : r.name].oid_tlv);
            } else {
                put_oid(varbind_, oids_[r.request_oid]);
            }
            varbind_.append(value_);
            const std::size_t size = 1 + length_size(varbind_.size()) + varbind_.size();
            if (varbinds_.size() + size > budget) {
                if (bulk && encoded > 0 && !settings_.bulk_too_big) {
                    ++counts_.truncated;  // a GETBULK answer may stop early (RFC 3416 4.2.3)
                    break;
                }
                status = kTooBig;
                index = 0;
                varbinds_.clear();
                ++counts_.too_big;
                break;
            }
            put_tlv(varbinds_, tag::sequence, varbind_);
            ++encoded;
        }
    }
    pdu_.clear();
    put_tlv(pdu_, tag::integer, view(request_id));
    put_int(pdu_, tag::integer, status);
    put_int(pdu_, tag::integer, index);
    put_tlv(pdu_, tag::sequence, varbinds_);
    message_.clear();
    put_int(message_, tag::integer, version);
    put_tlv(message_, tag::octets, community);
    put_tlv(message_, tag::response, pdu_);
    out.clear();
    put_tlv(out, tag::sequence, message_);
    ++counts_.responses;
    return true;
}

}  // namespace netfeed::lab
