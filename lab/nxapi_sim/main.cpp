// nxapi-sim: serves many simulated Cisco Nexus switches over NX-API on loopback (README.md).
#include <sys/resource.h>

#include <CLI/CLI.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/ssl/context.hpp>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>
#include <thread>

#include "lab/nxapi_sim/control_server.hpp"
#include "lab/nxapi_sim/nxapi_handler.hpp"
#include "lab/nxapi_sim/nxos_bodies.hpp"
#include "lab/nxapi_sim/switch_facts.hpp"
#include "lab/nxapi_sim/switch_listener.hpp"

namespace {

namespace net = boost::asio;
using tcp = net::ip::tcp;

struct Options {
    int switches = 1;
    std::string address = "127.0.0.1";
    int port = 0;
    std::string spread = "ports";
    bool tls = false;
    std::string cert;
    std::string key;
    std::string user = "admin";
    std::string password = "admin";
    int cookie_ttl = 600;
    std::string hostname_prefix = "sim-sw";
    std::string control;
    std::string ready_file;
    int threads = 1;
};

tcp::endpoint parse_host_port(const std::string& text) {
    auto colon = text.rfind(':');
    if (colon == std::string::npos) throw std::runtime_error("expected ADDRESS:PORT, got " + text);
    std::string host = text.substr(0, colon);
    if (host.size() > 2 && host.front() == '[' && host.back() == ']')
        host = host.substr(1, host.size() - 2);
    int port = std::stoi(text.substr(colon + 1));
    if (port < 0 || port > 65535) throw std::runtime_error("port out of range in " + text);
    return {net::ip::make_address(host), static_cast<uint16_t>(port)};
}

// Where switch i listens: A:P+i (ports) or A+i:P (addresses).
tcp::endpoint switch_endpoint(const Options& o, int i) {
    auto base = net::ip::make_address(o.address);
    if (o.spread == "addresses") {
        if (!base.is_v4()) throw std::runtime_error("--spread addresses needs an IPv4 --address");
        auto v4 = net::ip::make_address_v4(base.to_v4().to_uint() + static_cast<uint32_t>(i));
        return {v4, static_cast<uint16_t>(o.port)};
    }
    int port = o.port == 0 ? 0 : o.port + i;
    if (port > 65535) throw std::runtime_error("--port + --switches goes past port 65535");
    return {base, static_cast<uint16_t>(port)};
}

void write_ready_file(const std::string& path, const nxapi_sim::SwitchStates& switches,
                      int control_port) {
    nlohmann::json list = nlohmann::json::array();
    for (const auto& s : switches) {
        list.push_back({{"index", s->index},
                        {"hostname", s->hostname},
                        {"address", s->address},
                        {"port", s->port}});
    }
    nlohmann::json ready{{"switches", std::move(list)}};
    if (control_port > 0) ready["control_port"] = control_port;
    std::string temporary = path + ".tmp";
    {
        std::ofstream out(temporary, std::ios::trunc);
        out << ready.dump() << "\n";
        if (!out) throw std::runtime_error("cannot write " + temporary);
    }
    if (std::rename(temporary.c_str(), path.c_str()) != 0)
        throw std::runtime_error("cannot rename " + temporary + " to " + path);
}

// Every switch is a listening socket plus its clients' connections: 500 switches need more
// than the usual soft limit of 1024 descriptors, so take what the hard limit allows.
void raise_descriptor_limit() {
    rlimit limit{};
    if (getrlimit(RLIMIT_NOFILE, &limit) == 0 && limit.rlim_cur < limit.rlim_max) {
        limit.rlim_cur = limit.rlim_max;
        setrlimit(RLIMIT_NOFILE, &limit);
    }
}

}  // namespace

int main(int argc, char** argv) {
    Options o;
    CLI::App app{"nxapi-sim: many simulated Cisco Nexus switches answering NX-API"};
    app.add_option("--switches", o.switches, "number of simulated switches")
        ->check(CLI::Range(1, 65000));
    app.add_option("--address", o.address, "first listen address");
    app.add_option("--port", o.port, "first port (0: free ports)")->check(CLI::Range(0, 65535));
    app.add_option("--spread", o.spread, "ports: switch i on A:P+i; addresses: on A+i:P")
        ->check(CLI::IsMember({"ports", "addresses"}));
    app.add_flag("--tls", o.tls, "HTTPS instead of HTTP");
    app.add_option("--cert", o.cert, "server certificate chain (PEM), with --tls");
    app.add_option("--key", o.key, "server private key (PEM), with --tls");
    app.add_option("--user", o.user, "accepted basic-auth user");
    app.add_option("--password", o.password, "accepted basic-auth password");
    app.add_option("--cookie-ttl", o.cookie_ttl, "nxapi_auth cookie lifetime in seconds")
        ->check(CLI::Range(1, 86400 * 365));
    app.add_option("--hostname-prefix", o.hostname_prefix, "switch i is <prefix><i+1, 3 digits>");
    app.add_option("--control", o.control, "ADDRESS:PORT of the plain-HTTP control endpoint");
    app.add_option("--ready-file", o.ready_file, "written with the switches once listening");
    app.add_option("--threads", o.threads, "io_context threads")->check(CLI::Range(1, 64));
    CLI11_PARSE(app, argc, argv);
    if (o.tls && (o.cert.empty() || o.key.empty())) {
        std::cerr << "nxapi-sim: --tls needs --cert FILE and --key FILE\n";
        return 2;
    }

    raise_descriptor_limit();
    try {
        net::io_context io(o.threads);
        std::unique_ptr<net::ssl::context> tls;
        if (o.tls) {
            tls = std::make_unique<net::ssl::context>(net::ssl::context::tls_server);
            tls->set_options(net::ssl::context::default_workarounds | net::ssl::context::no_sslv2 |
                             net::ssl::context::no_sslv3 | net::ssl::context::no_tlsv1 |
                             net::ssl::context::no_tlsv1_1);
            tls->use_certificate_chain_file(o.cert);
            tls->use_private_key_file(o.key, net::ssl::context::pem);
        }

        nxapi_sim::NxosBodies bodies;
        nxapi_sim::NxapiHandler handler(bodies, o.hostname_prefix, o.switches);
        nxapi_sim::SwitchStates switches;
        switches.reserve(static_cast<size_t>(o.switches));
        for (int i = 0; i < o.switches; ++i) {
            nxapi_sim::SessionStore sessions(o.user, o.password, std::chrono::seconds(o.cookie_ttl),
                                             o.tls,
                                             0x9e3779b97f4a7c15ULL * static_cast<uint64_t>(i + 1) ^
                                                 static_cast<uint64_t>(time(nullptr)));
            switches.push_back(std::make_unique<nxapi_sim::SwitchState>(
                i, nxapi_sim::hostname(o.hostname_prefix, i), std::move(sessions)));
        }
        for (int i = 0; i < o.switches; ++i) {
            auto endpoint = switch_endpoint(o, i);
            try {
                nxapi_sim::open_switch_listener(io, handler, tls.get(), *switches[i], endpoint);
            } catch (const boost::system::system_error& e) {
                std::cerr << "nxapi-sim: cannot listen on " << endpoint << " for switch " << i
                          << ": " << e.code().message()
                          << " (pick another --port, or fewer --switches)\n";
                return 1;
            }
        }
        int control_port = 0;
        if (!o.control.empty()) {
            auto endpoint = parse_host_port(o.control);
            try {
                control_port = nxapi_sim::open_control_server(io, switches, endpoint);
            } catch (const boost::system::system_error& e) {
                std::cerr << "nxapi-sim: cannot listen on " << endpoint
                          << " for --control: " << e.code().message() << "\n";
                return 1;
            }
        }
        if (!o.ready_file.empty()) write_ready_file(o.ready_file, switches, control_port);
        std::cout << "ready " << o.switches << " switches" << std::endl;

        net::signal_set signals(io, SIGINT, SIGTERM);
        signals.async_wait([&io](boost::system::error_code, int) { io.stop(); });
        std::vector<std::thread> extra;
        for (int t = 1; t < o.threads; ++t)
            extra.emplace_back([&io] { io.run(); });
        io.run();
        for (auto& thread : extra)
            thread.join();
    } catch (const std::exception& e) {
        std::cerr << "nxapi-sim: " << e.what() << "\n";
        return 1;
    }
    return 0;
}
