#include "lab/nxapi_sim/control_server.hpp"

#include <boost/asio/strand.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>
#include <nlohmann/json.hpp>

namespace nxapi_sim {
namespace {

namespace net = boost::asio;
namespace http = boost::beast::http;
using tcp = net::ip::tcp;
using boost::system::error_code;
using nlohmann::json;

ControlAnswer error(unsigned status, std::string_view message) {
    return {status, json{{"error", message}}.dump() + "\n"};
}

ControlAnswer ok() {
    return {200, "{\"ok\":true}\n"};
}

json stats_of(const SwitchState& s) {
    auto get = [](const std::atomic<uint64_t>& c) { return c.load(std::memory_order_relaxed); };
    return json{{"index", s.index},
                {"hostname", s.hostname},
                {"address", s.address},
                {"port", s.port},
                {"logins", get(s.stats.logins)},
                {"requests", get(s.stats.requests)},
                {"commands", get(s.stats.commands)},
                {"cookie_hits", get(s.stats.cookie_hits)},
                {"unauthorized", get(s.stats.unauthorized)},
                {"faults", get(s.stats.faults)}};
}

// The switches a request names: {"switch": i} or -1 (all). Empty with an error message set
// when the request is wrong.
std::vector<SwitchState*> selected(SwitchStates& switches, const json& request,
                                   std::string& problem) {
    std::vector<SwitchState*> chosen;
    int index = -1;
    if (auto found = request.find("switch"); found != request.end()) {
        if (!found->is_number_integer()) {
            problem = "switch must be an integer (-1 = all)";
            return chosen;
        }
        index = found->get<int>();
    }
    if (index == -1) {
        for (auto& s : switches)
            chosen.push_back(s.get());
    } else if (index >= 0 && static_cast<size_t>(index) < switches.size()) {
        chosen.push_back(switches[static_cast<size_t>(index)].get());
    } else {
        problem = "no switch " + std::to_string(index);
    }
    return chosen;
}

ControlAnswer set_fault(SwitchStates& switches, const json& request) {
    auto kind_field = request.find("kind");
    if (kind_field == request.end() || !kind_field->is_string()) {
        return error(400,
                     "fault needs a kind: slow, 401, 403, 500, malformed, truncated, close, clear");
    }
    auto kind = parse_fault_kind(kind_field->get<std::string>());
    if (!kind) return error(400, "unknown fault kind " + kind_field->get<std::string>());
    int count = -1;
    int delay_ms = 0;
    for (auto [name, target] : {std::pair{"count", &count}, std::pair{"delay_ms", &delay_ms}}) {
        auto found = request.find(name);
        if (found == request.end()) continue;
        if (!found->is_number_integer())
            return error(400, std::string(name) + " must be an integer");
        *target = found->get<int>();
    }
    if (count < -1) return error(400, "count must be -1 (until cleared) or more");
    if (delay_ms < 0) return error(400, "delay_ms must not be negative");
    if (*kind == FaultKind::slow && delay_ms == 0) delay_ms = 1000;
    std::string problem;
    auto chosen = selected(switches, request, problem);
    if (!problem.empty()) return error(400, problem);
    for (SwitchState* s : chosen) {
        std::lock_guard lock(s->mutex);
        s->faults.set(*kind, *kind == FaultKind::none ? 0 : count, delay_ms);
    }
    return ok();
}

}  // namespace

ControlAnswer answer_control(SwitchStates& switches, std::string_view method,
                             std::string_view target, std::string_view body) {
    std::string_view path = target.substr(0, target.find('?'));
    if (path == "/stats") {
        if (method != "GET") return error(405, "GET /stats");
        json list = json::array();
        for (const auto& s : switches)
            list.push_back(stats_of(*s));
        return {200, json{{"switches", std::move(list)}}.dump() + "\n"};
    }
    if (path != "/fault" && path != "/expire-cookies" && path != "/reset-stats") {
        return error(404, "unknown control path");
    }
    if (method != "POST") return error(405, "POST only");
    json request = body.empty() ? json::object() : json::parse(body, nullptr, false);
    if (!request.is_object()) return error(400, "the body must be a JSON object");
    if (path == "/fault") return set_fault(switches, request);
    std::string problem;
    auto chosen = selected(switches, request, problem);
    if (!problem.empty()) return error(400, problem);
    for (SwitchState* s : chosen) {
        if (path == "/reset-stats") {
            s->stats.reset();
        } else {
            std::lock_guard lock(s->mutex);
            s->sessions.expire_all();
        }
    }
    return ok();
}

namespace {

class ControlConnection : public std::enable_shared_from_this<ControlConnection> {
  public:
    ControlConnection(tcp::socket socket, SwitchStates& switches)
        : socket_(std::move(socket)), switches_(switches) {}

    void read() {
        request_ = {};
        http::async_read(socket_, buffer_, request_,
                         [self = shared_from_this()](error_code ec, size_t) {
                             if (ec) return;
                             self->answer();
                         });
    }

  private:
    void answer() {
        auto method = request_.method_string();
        auto target = request_.target();
        ControlAnswer a;
        try {
            a = answer_control(switches_, {method.data(), method.size()},
                               {target.data(), target.size()}, request_.body());
        } catch (const std::exception& e) {
            // A request no check above foresaw must not stop the simulator.
            a = error(500, e.what());
        }
        response_ = {};
        response_.result(a.status);
        response_.version(11);
        response_.set(http::field::content_type, "application/json");
        response_.keep_alive(request_.keep_alive());
        response_.body() = std::move(a.body);
        response_.prepare_payload();
        http::async_write(socket_, response_, [self = shared_from_this()](error_code ec, size_t) {
            if (ec) return;
            if (self->response_.keep_alive()) return self->read();
            error_code ignored;
            self->socket_.shutdown(tcp::socket::shutdown_send, ignored);
        });
    }

    tcp::socket socket_;
    SwitchStates& switches_;
    boost::beast::flat_buffer buffer_;
    http::request<http::string_body> request_;
    http::response<http::string_body> response_;
};

void accept_control(std::shared_ptr<tcp::acceptor> acceptor, SwitchStates& switches) {
    acceptor->async_accept([acceptor, &switches](error_code ec, tcp::socket socket) {
        if (ec == net::error::operation_aborted) return;
        if (!ec) std::make_shared<ControlConnection>(std::move(socket), switches)->read();
        accept_control(acceptor, switches);
    });
}

}  // namespace

uint16_t open_control_server(net::io_context& io, SwitchStates& switches,
                             const tcp::endpoint& endpoint) {
    // One strand for every control connection: their requests touch all switches.
    auto acceptor = std::make_shared<tcp::acceptor>(net::make_strand(io));
    acceptor->open(endpoint.protocol());
    acceptor->set_option(net::socket_base::reuse_address(true));
    acceptor->bind(endpoint);
    acceptor->listen();
    accept_control(acceptor, switches);
    return acceptor->local_endpoint().port();
}

}  // namespace nxapi_sim
