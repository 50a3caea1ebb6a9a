// BER reading and writing for the SNMP simulator; see ber.hpp.
#include "lab/snmp_sim/ber.hpp"

namespace netfeed::lab {

bool BerReader::next(std::uint8_t& tag, Bytes& content) {
    if (!ok_ || pos_ + 2 > data_.size()) return ok_ = false;
    tag = data_[pos_++];
    std::size_t length = data_[pos_++];
    if (length & 0x80) {
        const std::size_t n = length & 0x7f;
        if (n == 0 || n > 4 || pos_ + n > data_.size()) return ok_ = false;
        length = 0;
        for (std::size_t i = 0; i < n; ++i)
            length = (length << 8) | data_[pos_++];
    }
    if (length > data_.size() - pos_) return ok_ = false;
    content = data_.subspan(pos_, length);
    pos_ += length;
    return true;
}

bool BerReader::expect(std::uint8_t wanted, Bytes& content) {
    std::uint8_t t = 0;
    if (!next(t, content)) return false;
    if (t != wanted) return ok_ = false;
    return true;
}

bool ber_integer(Bytes content, std::int64_t& value) {
    if (content.empty() || content.size() > 8) return false;
    std::uint64_t v = (content[0] & 0x80) ? ~std::uint64_t{0} : 0;
    for (std::uint8_t b : content)
        v = (v << 8) | b;
    value = static_cast<std::int64_t>(v);
    return true;
}

bool ber_oid(Bytes content, std::vector<std::uint32_t>& out, std::size_t max) {
    out.clear();
    std::uint64_t sub = 0;
    bool first = true;
    for (std::size_t i = 0; i < content.size(); ++i) {
        sub = (sub << 7) | (content[i] & 0x7f);
        if (sub > 0xffffffffULL) return false;
        if (content[i] & 0x80) continue;
        if (first) {
            const std::uint32_t a = sub < 40 ? 0 : sub < 80 ? 1 : 2;
            out.push_back(a);
            out.push_back(static_cast<std::uint32_t>(sub - 40 * a));
            first = false;
        } else {
            out.push_back(static_cast<std::uint32_t>(sub));
        }
        if (out.size() > max) return false;
        sub = 0;
    }
    return !content.empty() && (content.back() & 0x80) == 0;
}

std::size_t length_size(std::size_t length) {
    return length < 0x80 ? 1 : length < 0x100 ? 2 : length < 0x10000 ? 3 : 4;
}

void put_length(std::string& out, std::size_t length) {
    if (length < 0x80) {
        out.push_back(static_cast<char>(length));
    } else if (length < 0x100) {
        out.push_back('\x81');
        out.push_back(static_cast<char>(length));
    } else if (length < 0x10000) {
        out.push_back('\x82');
        out.push_back(static_cast<char>(length >> 8));
        out.push_back(static_cast<char>(length));
    } else {
        out.push_back('\x83');
        out.push_back(static_cast<char>(length >> 16));
        out.push_back(static_cast<char>(length >> 8));
        out.push_back(static_cast<char>(length));
    }
}

void put_tlv(std::string& out, std::uint8_t t, std::string_view content) {
    out.push_back(static_cast<char>(t));
    put_length(out, content.size());
    out.append(content);
}

void put_int(std::string& out, std::uint8_t t, std::int64_t value) {
    // Minimal two's complement: drop leading bytes that only repeat the sign.
    int n = 8;
    while (n > 1) {
        const auto top = static_cast<std::uint8_t>(value >> (8 * (n - 1)));
        const auto next = static_cast<std::uint8_t>(value >> (8 * (n - 2)));
        if ((top == 0x00 && !(next & 0x80)) || (top == 0xff && (next & 0x80)))
            --n;
        else
            break;
    }
    out.push_back(static_cast<char>(t));
    out.push_back(static_cast<char>(n));
    for (int i = n - 1; i >= 0; --i)
        out.push_back(static_cast<char>(value >> (8 * i)));
}

void put_unsigned(std::string& out, std::uint8_t t, std::uint64_t value) {
    int n = 1;
    while (n < 8 && (value >> (8 * n)) != 0)
        ++n;
    const bool pad = (value >> (8 * (n - 1))) & 0x80;  // unsigned: a set top bit needs a 0 byte
    out.push_back(static_cast<char>(t));
    out.push_back(static_cast<char>(n + (pad ? 1 : 0)));
    if (pad) out.push_back('\0');
    for (int i = n - 1; i >= 0; --i)
        out.push_back(static_cast<char>(value >> (8 * i)));
}

namespace {
void put_subid(std::string& out, std::uint64_t v) {
    char buf[10];
    int n = 0;
    do {
        buf[n++] = static_cast<char>(v & 0x7f);
        v >>= 7;
    } while (v != 0);
    while (n > 1)
        out.push_back(static_cast<char>(buf[--n] | 0x80));
    out.push_back(buf[0]);
}
}  // namespace

void put_oid(std::string& out, std::span<const std::uint32_t> oid) {
    std::string content;
    if (oid.size() >= 2) {
        put_subid(content, std::uint64_t{oid[0]} * 40 + oid[1]);
        for (std::size_t i = 2; i < oid.size(); ++i)
            put_subid(content, oid[i]);
    } else {
        content.push_back(oid.empty() ? '\0' : static_cast<char>(oid[0] * 40));
    }
    put_tlv(out, tag::oid, content);
}

}  // namespace netfeed::lab
