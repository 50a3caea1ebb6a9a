// snmp-sim: many simulated SNMP agents in one thread (lab only). Each device is one UDP socket
// (consecutive ports of one address, or consecutive addresses on one port); epoll says which
// sockets have requests, and each is answered on the spot (responder.hpp).
#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <string>
#include <vector>

#include "lab/snmp_sim/device_mib.hpp"
#include "lab/snmp_sim/responder.hpp"

using namespace netfeed::lab;

namespace {

std::uint64_t monotonic_ms() {
    timespec ts{};
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return static_cast<std::uint64_t>(ts.tv_sec) * 1000 +
           static_cast<std::uint64_t>(ts.tv_nsec) / 1000000;
}

std::string address_text(in_addr_t host_order, int port) {
    in_addr a{htonl(host_order)};
    char buf[INET_ADDRSTRLEN];
    inet_ntop(AF_INET, &a, buf, sizeof buf);
    return std::string(buf) + ":" + std::to_string(port);
}

std::string community_of(const std::string& pattern, std::uint32_t device) {
    const auto at = pattern.find("{}");
    if (at == std::string::npos) return pattern;
    return pattern.substr(0, at) + std::to_string(device) + pattern.substr(at + 2);
}

bool parse_oid(const std::string& text, std::vector<std::uint32_t>& out) {
    out.clear();
    std::size_t pos = text.starts_with('.') ? 1 : 0;
    while (pos < text.size()) {
        std::size_t end = text.find('.', pos);
        if (end == std::string::npos) end = text.size();
        try {
            out.push_back(static_cast<std::uint32_t>(std::stoul(text.substr(pos, end - pos))));
        } catch (const std::exception&) {
            return false;
        }
        pos = end + 1;
    }
    return out.size() >= 2;
}


// Binds one socket per device; on failure closes what it bound, leaves `sockets` empty, says why
// in `error`, and returns 0. `port` 0 asks the kernel for the first device's port. Returns the
// first device's port.
int bind_devices(in_addr_t base, int port, int devices, bool by_port, std::vector<int>& sockets,
                 std::string& error) {
    for (int i = 0; i < devices; ++i) {
        const auto u = static_cast<std::uint32_t>(i);
        const in_addr_t host = by_port ? base : base + u;
        const int p = i == 0 ? port : (by_port ? port + i : port);
        if (p > 65535) {
            error = "ports above 65535";
        } else {
            const int fd = socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
            sockaddr_in sa{};
            sa.sin_family = AF_INET;
            sa.sin_port = htons(static_cast<std::uint16_t>(p));
            sa.sin_addr.s_addr = htonl(host);
            const int buf = 1 << 20;  // a poller's burst of requests waits here, not on the floor
            if (fd >= 0) setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &buf, sizeof buf);
            if (fd >= 0 && bind(fd, reinterpret_cast<sockaddr*>(&sa), sizeof sa) == 0) {
                sockets.push_back(fd);
                if (i == 0) {
                    socklen_t len = sizeof sa;
                    getsockname(fd, reinterpret_cast<sockaddr*>(&sa), &len);
                    port = ntohs(sa.sin_port);
                }
                continue;
            }
            error = address_text(host, p) + ": " + std::strerror(errno);
            if (fd >= 0) close(fd);
        }
        for (int fd : sockets)
            close(fd);
        sockets.clear();
        return 0;
    }
    return port;
}

}  // namespace

int main(int argc, char** argv) {
    CLI::App app{"Simulated SNMP v1/v2c agents (system, ifTable, ifXTable, entPhysicalTable)"};
    int devices = 1, port = 0, interfaces = 48;
    std::string address = "127.0.0.1", spread = "ports", community = "public", ready_file, gen_err;
    std::size_t max_message = 1472;
    bool no_entity = false, frozen = false;
    double rate_scale = 1.0;
    app.add_option("--devices", devices, "Number of simulated devices")
        ->check(CLI::Range(1, 20000));
    app.add_option("--address", address, "IPv4 address of the first device");
    app.add_option("--port", port, "UDP port of the first device (0: any free one, printed in the ready line)")
        ->required()
        ->check(CLI::Range(0, 65535));
    app.add_option("--spread", spread,
                   "ports: device i at address:port+i; addresses: device i at (address+i):port")
        ->check(CLI::IsMember({"ports", "addresses"}));
    app.add_option("--community", community,
                   "Community of every device; {} is replaced by the device number (0, 1, ...)");
    app.add_option("--interfaces", interfaces, "Interfaces per device")->check(CLI::Range(1, 255));
    app.add_flag("--no-entity", no_entity, "Serve no entPhysicalTable");
    app.add_flag("--frozen", frozen, "Counters and sysUpTime stand still (exact comparisons)");
    app.add_option("--rate-scale", rate_scale, "Multiplier of every port's traffic rate");
    app.add_option("--max-message", max_message, "Largest SNMP message sent, in bytes")
        ->check(CLI::Range(200, 65000));
    app.add_option("--gen-err", gen_err, "Objects under this OID answer genErr");
    bool bulk_too_big = false;
    app.add_flag("--bulk-too-big", bulk_too_big,
                 "A GETBULK answer that does not fit is tooBig instead of cut short (as some "
                 "agents do)");
    app.add_option("--ready-file", ready_file, "Written with the ready line once serving");
    CLI11_PARSE(app, argc, argv);

    ResponderSettings rs;
    rs.max_message = max_message;
    rs.bulk_too_big = bulk_too_big;
    if (!gen_err.empty() && !parse_oid(gen_err, rs.gen_err_prefix)) {
        std::fprintf(stderr, "snmp-sim: --gen-err %s is not a numeric OID\n", gen_err.c_str());
        return 2;
    }
    in_addr first{};
    if (inet_pton(AF_INET, address.c_str(), &first) != 1) {
        std::fprintf(stderr, "snmp-sim: --address %s is not an IPv4 address\n", address.c_str());
        return 2;
    }
    const bool by_port = spread == "ports";
    if (by_port && port != 0 && port + devices - 1 > 65535) {
        std::fprintf(stderr, "snmp-sim: %d devices from port %d pass port 65535\n", devices, port);
        return 2;
    }
    // One socket per device: make room for them.
    rlimit lim{};
    if (getrlimit(RLIMIT_NOFILE, &lim) == 0 && lim.rlim_cur < lim.rlim_max) {
        lim.rlim_cur = lim.rlim_max;
        setrlimit(RLIMIT_NOFILE, &lim);
    }

    MibSettings ms;
    ms.interfaces = interfaces;
    ms.entity = !no_entity;
    ms.frozen = frozen;
    ms.rate_scale = rate_scale;
    const DeviceMib mib(ms);
    Responder responder(mib, rs);

    sigset_t mask;
    sigemptyset(&mask);
    sigaddset(&mask, SIGTERM);
    sigaddset(&mask, SIGINT);
    sigprocmask(SIG_BLOCK, &mask, nullptr);
    const int sigfd = signalfd(-1, &mask, SFD_CLOEXEC);
    const int ep = epoll_create1(EPOLL_CLOEXEC);
    if (sigfd < 0 || ep < 0) {
        std::perror("snmp-sim: signalfd/epoll");
        return 1;
    }
    epoll_event ev{};
    ev.events = EPOLLIN;
    ev.data.u64 = ~std::uint64_t{0};
    epoll_ctl(ep, EPOLL_CTL_ADD, sigfd, &ev);

    const in_addr_t base = ntohl(first.s_addr);
    std::vector<int> sockets;
    std::string bind_error;
    // --port 0: the kernel picks the first device's port and the others follow it; a block
    // that is partly taken is given back and another one tried, so tests never guess a port.
    const int wanted = port;
    const int attempts = wanted == 0 ? 64 : 1;
    for (int attempt = 0; attempt < attempts && sockets.empty(); ++attempt) {
        port = bind_devices(base, wanted, devices, by_port, sockets, bind_error);
    }
    if (sockets.empty()) {
        std::fprintf(stderr, "snmp-sim: cannot bind %s\n", bind_error.c_str());
        return 1;
    }
    std::vector<std::string> communities;
    for (int i = 0; i < devices; ++i) {
        const auto u = static_cast<std::uint32_t>(i);
        ev.data.u64 = u;
        epoll_ctl(ep, EPOLL_CTL_ADD, sockets[u], &ev);
        communities.push_back(community_of(community, u));
    }
    const auto last = static_cast<std::uint32_t>(devices - 1);
    const std::string ready =
        "snmp-sim ready: " + std::to_string(devices) + " devices, " + address_text(base, port) +
        " .. " + address_text(by_port ? base : base + last, by_port ? port + devices - 1 : port) +
        ", " + std::to_string(interfaces) + " interfaces each, " +
        std::to_string(mib.entries().size()) + " objects";
    if (!ready_file.empty()) {
        std::ofstream(ready_file) << ready << "\n";
    }
    std::printf("%s\n", ready.c_str());
    std::fflush(stdout);

    const std::uint64_t start = monotonic_ms();
    std::vector<epoll_event> events(256);
    std::vector<std::uint8_t> datagram(65536);
    std::string reply;
    reply.reserve(65536);
    bool running = true;
    std::uint64_t send_errors = 0;
    while (running) {
        const int n = epoll_wait(ep, events.data(), static_cast<int>(events.size()), -1);
        if (n < 0 && errno != EINTR) {
            std::perror("snmp-sim: epoll_wait");
            return 1;
        }
        const std::uint64_t elapsed = monotonic_ms() - start;
        for (int e = 0; e < n; ++e) {
            const std::uint64_t id = events[static_cast<std::size_t>(e)].data.u64;
            if (id == ~std::uint64_t{0}) {
                running = false;
                continue;
            }
            const int fd = sockets[id];
            // A bounded number per wake-up, so one busy device does not starve the others.
            for (int k = 0; k < 64; ++k) {
                sockaddr_in from{};
                socklen_t from_len = sizeof from;
                const ssize_t got = recvfrom(fd, datagram.data(), datagram.size(), 0,
                                             reinterpret_cast<sockaddr*>(&from), &from_len);
                if (got < 0) break;
                const Bytes request(datagram.data(), static_cast<std::size_t>(got));
                if (!responder.respond(request, static_cast<std::uint32_t>(id), communities[id],
                                       elapsed, reply)) {
                    continue;
                }
                if (sendto(fd, reply.data(), reply.size(), 0, reinterpret_cast<sockaddr*>(&from),
                           from_len) < 0) {
                    ++send_errors;
                }
            }
        }
    }
    const ResponderCounts& c = responder.counts();
    std::fprintf(
        stderr,
        "snmp-sim stopped: requests %llu, responses %llu, wrong community %llu, "
        "malformed %llu, unsupported %llu, too big %llu, truncated %llu, gen err %llu, "
        "send errors %llu\n",
        static_cast<unsigned long long>(c.requests), static_cast<unsigned long long>(c.responses),
        static_cast<unsigned long long>(c.wrong_community),
        static_cast<unsigned long long>(c.malformed),
        static_cast<unsigned long long>(c.unsupported), static_cast<unsigned long long>(c.too_big),
        static_cast<unsigned long long>(c.truncated), static_cast<unsigned long long>(c.gen_err),
        static_cast<unsigned long long>(send_errors));
    for (int fd : sockets)
        close(fd);
    close(ep);
    close(sigfd);
    return 0;
}
