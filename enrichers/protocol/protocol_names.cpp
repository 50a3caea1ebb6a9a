// Protocol, service and TCP flag names; see protocol_names.hpp.
#include "enrichers/protocol/protocol_names.hpp"

#include <charconv>
#include <fstream>
#include <sstream>

namespace netfeed::protocol {

const std::string ProtocolNames::kEmpty;

namespace {

// Splits a line into whitespace-separated words, ignoring everything after '#'.
std::vector<std::string_view> words(std::string_view line) {
    if (auto hash = line.find('#'); hash != std::string_view::npos) line = line.substr(0, hash);
    std::vector<std::string_view> out;
    std::size_t i = 0;
    while (i < line.size()) {
        while (i < line.size() && (line[i] == ' ' || line[i] == '\t' || line[i] == '\r'))
            ++i;
        const std::size_t start = i;
        while (i < line.size() && line[i] != ' ' && line[i] != '\t' && line[i] != '\r')
            ++i;
        if (i > start) out.push_back(line.substr(start, i - start));
    }
    return out;
}

template <class F>
void for_each_line(std::string_view text, F f) {
    std::size_t start = 0;
    while (start < text.size()) {
        std::size_t end = text.find('\n', start);
        if (end == std::string_view::npos) end = text.size();
        f(text.substr(start, end - start));
        start = end + 1;
    }
}

template <class T>
bool to_number(std::string_view s, T& out) {
    auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
    return ec == std::errc() && p == s.data() + s.size();
}

}  // namespace

std::vector<std::pair<int, std::string>> parse_protocols(std::string_view text) {
    std::vector<std::pair<int, std::string>> out;
    for_each_line(text, [&](std::string_view line) {
        auto w = words(line);
        int number = 0;
        if (w.size() >= 2 && to_number(w[1], number) && number >= 0 && number <= 255)
            out.emplace_back(number, std::string(w[0]));
    });
    return out;
}

std::vector<ServiceEntry> parse_services(std::string_view text) {
    std::vector<ServiceEntry> out;
    for_each_line(text, [&](std::string_view line) {
        auto w = words(line);
        if (w.size() < 2) return;
        const auto slash = w[1].find('/');
        if (slash == std::string_view::npos) return;
        unsigned port = 0;
        if (!to_number(w[1].substr(0, slash), port) || port > 65535) return;
        out.push_back({std::string(w[0]), static_cast<std::uint16_t>(port),
                       std::string(w[1].substr(slash + 1))});
    });
    return out;
}

std::string tcp_flags_text(std::uint16_t flags) {
    static constexpr char kLetters[] = "FSRPAUECN";
    std::string out;
    for (int bit = 0; bit < 9; ++bit) {
        if ((flags >> bit) & 1u) out.push_back(kLetters[bit]);
    }
    return out;
}

ProtocolNames::ProtocolNames(std::string_view protocols_text, std::string_view services_text) {
    if (protocols_text.empty()) protocols_text = builtin_protocols();
    if (services_text.empty()) services_text = builtin_services();
    for (auto& [number, name] : parse_protocols(protocols_text)) {
        // The first name given for a number is the one people use (/etc/protocols lists the
        // canonical lowercase name first).
        if (protocols_[static_cast<std::size_t>(number)].empty())
            protocols_[static_cast<std::size_t>(number)] = std::move(name);
    }
    for (auto& entry : parse_services(services_text)) {
        std::vector<std::string>* table = entry.protocol == "tcp"    ? &tcp_
                                          : entry.protocol == "udp"  ? &udp_
                                          : entry.protocol == "sctp" ? &sctp_
                                                                     : nullptr;
        if (table == nullptr) continue;
        if (table->empty()) table->resize(65536);
        auto& slot = (*table)[entry.port];
        if (slot.empty()) {
            slot = std::move(entry.name);
            ++service_count_;
        }
    }
    for (std::size_t f = 0; f < flags_.size(); ++f)
        flags_[f] = tcp_flags_text(static_cast<std::uint16_t>(f));
}

const std::string& ProtocolNames::protocol(std::uint64_t number) const noexcept {
    return number < protocols_.size() ? protocols_[number] : kEmpty;
}

const std::string& ProtocolNames::service(std::uint64_t proto, std::uint64_t port) const noexcept {
    const std::vector<std::string>* table = proto == 6     ? &tcp_
                                            : proto == 17  ? &udp_
                                            : proto == 132 ? &sctp_
                                                           : nullptr;
    if (table == nullptr || port >= table->size()) return kEmpty;
    return (*table)[port];
}

const std::string& ProtocolNames::tcp_flags(std::uint64_t flags) const noexcept {
    return flags < flags_.size() ? flags_[flags] : kEmpty;
}

std::string read_text_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) return {};
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

std::string_view builtin_protocols() {
    return "icmp 1\nigmp 2\nipencap 4\ntcp 6\negp 8\nigp 9\nudp 17\nipv6 41\nipv6-route 43\n"
           "ipv6-frag 44\nrsvp 46\ngre 47\nesp 50\nah 51\nipv6-icmp 58\nipv6-nonxt 59\n"
           "ipv6-opts 60\neigrp 88\nospf 89\nipip 94\nencap 98\npim 103\nipcomp 108\nvrrp 112\n"
           "l2tp 115\nisis 124\nsctp 132\nudplite 136\nmpls-in-ip 137\nethernet 143\n";
}

std::string_view builtin_services() {
    return "ftp-data 20/tcp\nftp 21/tcp\nssh 22/tcp\ntelnet 23/tcp\nsmtp 25/tcp\n"
           "domain 53/tcp\ndomain 53/udp\nbootps 67/udp\nbootpc 68/udp\ntftp 69/udp\n"
           "http 80/tcp\nkerberos 88/tcp\nkerberos 88/udp\npop3 110/tcp\nsunrpc 111/tcp\n"
           "sunrpc 111/udp\nntp 123/udp\nnetbios-ns 137/udp\nnetbios-dgm 138/udp\n"
           "netbios-ssn 139/tcp\nimap2 143/tcp\nsnmp 161/tcp\nsnmp 161/udp\nsnmp-trap 162/udp\n"
           "bgp 179/tcp\nldap 389/tcp\nhttps 443/tcp\nhttps 443/udp\nmicrosoft-ds 445/tcp\n"
           "isakmp 500/udp\nsyslog 514/udp\nsubmission 587/tcp\nldaps 636/tcp\nimaps 993/tcp\n"
           "pop3s 995/tcp\nopenvpn 1194/tcp\nopenvpn 1194/udp\nms-sql-s 1433/tcp\n"
           "radius 1812/udp\nradius-acct 1813/udp\nnfs 2049/tcp\nnfs 2049/udp\nmysql 3306/tcp\n"
           "ms-wbt-server 3389/tcp\nsip 5060/tcp\nsip 5060/udp\npostgresql 5432/tcp\n"
           "x11 6000/tcp\nhttp-alt 8080/tcp\n";
}

}  // namespace netfeed::protocol
