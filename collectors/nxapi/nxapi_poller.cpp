// The NX-API poller's engine; see nxapi_poller.hpp.
//
// Each device owns one easy handle, reused for every request so that libcurl keeps its
// connection (and TLS session) alive in the multi handle's pool between polls. Requests wait in
// our own queue until fewer than max_connections are running, so a device's timeout measures
// its own request, not its wait for a free connection. The first request of a session carries
// basic auth; the switch answers with an nxapi_auth cookie, which later requests send instead,
// so a poll does not cost the switch an AAA login. A 401 to a request that sent the cookie means
// it expired: the request is sent again at once with basic auth.
#include "collectors/nxapi/nxapi_poller.hpp"

#include <curl/curl.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <deque>
#include <map>
#include <queue>
#include <random>

#include "agent/logging.hpp"
#include "agent/poll_slots.hpp"
#include "collectors/nxapi/nxapi_records.hpp"
#include "collectors/nxapi/transfer_error.hpp"

namespace netfeed::nxapi {

namespace {

using Steady = std::chrono::steady_clock;

bool iequals_prefix(std::string_view text, std::string_view prefix) {
    if (text.size() < prefix.size()) return false;
    for (std::size_t i = 0; i < prefix.size(); ++i) {
        if (std::tolower(static_cast<unsigned char>(text[i])) !=
            std::tolower(static_cast<unsigned char>(prefix[i])))
            return false;
    }
    return true;
}

std::string url_host(const IpAddress& address) {
    return address.is_v6() ? "[" + address.to_string() + "]" : address.to_string();
}

}  // namespace

struct NxapiPoller::Device {
    PollTarget target;
    Impl* impl = nullptr;
    std::size_t position = 0;
    CURL* easy = nullptr;
    curl_slist* headers = nullptr;
    std::string url;
    std::string cookie;        // "nxapi_auth=<token>" of the current session
    std::string fresh_cookie;  // from the answer being received
    bool cookie_cleared = false;
    std::string request;
    std::string response;
    bool too_large = false;
    std::size_t max_response_bytes = 0;
    bool sent_cookie = false;
    // The round in progress.
    bool active = false;
    Steady::time_point round_start{};
    Steady::time_point due{};
    poll_slots::DeviceSlots slots;   // a fleet member's wall-clock slots
    std::vector<std::size_t> asked;  // positions in settings.commands of the request in flight
    std::vector<std::optional<Json>> outputs;
    std::vector<std::optional<CommandError>> errors;
    bool relogged = false;
    bool retried_missing = false;
    // Across rounds: the error each command is in, to log only changes.
    std::vector<ErrorType> reported;
    LogRateLimiter log_limit{std::chrono::seconds(10)};  // per device: one noisy switch cannot
                                                         // hide the others' first lines
    std::map<std::pair<std::size_t, ErrorType>, Counter*> error_counters;
};

struct NxapiPoller::Impl {
    PollerSettings settings;
    std::vector<std::unique_ptr<Device>> devices;
    CURLM* multi = nullptr;
    std::deque<Device*> waiting;  // requests ready to go, waiting for a connection slot
    int running = 0;
    std::vector<Device*> finished;
    CollectorContext* context = nullptr;
    std::unique_ptr<RecordBuilder> builder;
    std::mt19937_64 random{std::random_device{}()};
    // Metrics.
    Histogram* poll_duration = nullptr;
    Counter* requests = nullptr;
    Counter* logins = nullptr;
    Counter* response_bytes = nullptr;
    Counter* polls_ok = nullptr;
    Counter* polls_partial = nullptr;
    Counter* polls_failed = nullptr;
    Gauge* in_flight = nullptr;

    bool setup(Device& d);
    void start_round(Device& d, Steady::time_point now);
    void send(Device& d, std::vector<std::size_t> commands);
    void pump();
    void done(Device& d, CURLcode code);
    void fail_asked(Device& d, ErrorType type, const std::string& detail, long status);
    void finish_round(Device& d);
    Counter& error_counter(Device& d, std::size_t command, ErrorType type);
};

namespace {

std::size_t on_body(char* data, std::size_t size, std::size_t count, void* user) {
    auto* d = static_cast<NxapiPoller::Device*>(user);
    const std::size_t n = size * count;
    if (d->response.size() + n > d->max_response_bytes) {
        d->too_large = true;
        return 0;  // libcurl ends the transfer with CURLE_WRITE_ERROR
    }
    d->response.append(data, n);
    return n;
}

// Keeps the nxapi_auth cookie of Set-Cookie headers; an empty value or Max-Age=0 ends it.
std::size_t on_header(char* data, std::size_t size, std::size_t count, void* user) {
    auto* d = static_cast<NxapiPoller::Device*>(user);
    const std::size_t n = size * count;
    std::string_view line(data, n);
    constexpr std::string_view name = "set-cookie:";
    if (!iequals_prefix(line, name)) return n;
    line.remove_prefix(name.size());
    while (!line.empty() && (line.front() == ' ' || line.front() == '\t'))
        line.remove_prefix(1);
    constexpr std::string_view cookie = "nxapi_auth=";
    if (!line.starts_with(cookie)) return n;
    const std::string_view pair = line.substr(0, line.find_first_of(";\r\n"));
    const std::string_view value = pair.substr(cookie.size());
    std::string attributes(line.substr(pair.size()));
    for (auto& c : attributes)
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (value.empty() || attributes.find("max-age=0") != std::string::npos) {
        d->fresh_cookie.clear();
        d->cookie_cleared = true;
    } else {
        d->fresh_cookie = std::string(pair);
        d->cookie_cleared = false;
    }
    return n;
}

}  // namespace

Counter& NxapiPoller::Impl::error_counter(Device& d, std::size_t command, ErrorType type) {
    const auto key = std::make_pair(command, type);
    if (auto it = d.error_counters.find(key); it != d.error_counters.end()) return *it->second;
    Labels labels = context->metrics.labels();
    labels.emplace_back("device", d.target.device);
    labels.emplace_back("command", d.target.settings.commands[command].command);
    labels.emplace_back("error", std::string(error_type_name(type)));
    Counter& c = context->metrics.registry().counter(
        "netfeed_nxapi_errors_total", "Failed NX-API commands per device and command, by error.",
        labels);
    d.error_counters.emplace(key, &c);
    return c;
}

bool NxapiPoller::Impl::setup(Device& d) {
    d.easy = curl_easy_init();
    if (d.easy == nullptr) return false;
    const DeviceSettings& s = d.target.settings;
    d.max_response_bytes = settings.max_response_bytes;
    d.url = std::string(s.scheme == Scheme::https ? "https://" : "http://") +
            url_host(d.target.address) + ":" + std::to_string(s.port) + s.path;
    d.headers = curl_slist_append(d.headers,
                                  ("Content-Type: " + std::string(content_type(s.format))).c_str());
    d.headers = curl_slist_append(d.headers, "Expect:");  // no 100-continue round trip
    CURL* e = d.easy;
    curl_easy_setopt(e, CURLOPT_URL, d.url.c_str());
    curl_easy_setopt(e, CURLOPT_PRIVATE, &d);
    curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(e, CURLOPT_POST, 1L);
    curl_easy_setopt(e, CURLOPT_HTTPHEADER, d.headers);
    curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, on_body);
    curl_easy_setopt(e, CURLOPT_WRITEDATA, &d);
    curl_easy_setopt(e, CURLOPT_HEADERFUNCTION, on_header);
    curl_easy_setopt(e, CURLOPT_HEADERDATA, &d);
    curl_easy_setopt(e, CURLOPT_TIMEOUT_MS, static_cast<long>(s.timeout.count()));
    curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(s.timeout.count()));
    curl_easy_setopt(e, CURLOPT_TCP_KEEPALIVE, 1L);
    curl_easy_setopt(e, CURLOPT_USERAGENT, "netfeed/" NETFEED_VERSION);
    curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(e, CURLOPT_SSL_VERIFYPEER, s.tls_verify ? 1L : 0L);
    curl_easy_setopt(e, CURLOPT_SSL_VERIFYHOST, s.tls_verify ? 2L : 0L);
    if (!settings.ca_file.empty()) curl_easy_setopt(e, CURLOPT_CAINFO, settings.ca_file.c_str());
    return true;
}

void NxapiPoller::Impl::start_round(Device& d, Steady::time_point now) {
    const std::size_t n = d.target.settings.commands.size();
    d.active = true;
    d.round_start = now;
    d.outputs.assign(n, std::nullopt);
    d.errors.assign(n, std::nullopt);
    d.relogged = false;
    d.retried_missing = false;
    std::vector<std::size_t> all(n);
    for (std::size_t i = 0; i < n; ++i)
        all[i] = i;
    send(d, std::move(all));
}

void NxapiPoller::Impl::send(Device& d, std::vector<std::size_t> commands) {
    d.asked = std::move(commands);
    std::vector<std::string> texts;
    for (std::size_t i : d.asked)
        texts.push_back(d.target.settings.commands[i].command);
    const DeviceSettings& s = d.target.settings;
    d.request = request_body(s.format, texts, s.jsonrpc_version);
    d.response.clear();
    d.fresh_cookie.clear();
    d.cookie_cleared = false;
    d.too_large = false;
    CURL* e = d.easy;
    curl_easy_setopt(e, CURLOPT_POSTFIELDS, d.request.data());
    curl_easy_setopt(e, CURLOPT_POSTFIELDSIZE, static_cast<long>(d.request.size()));
    d.sent_cookie = !d.cookie.empty();
    if (d.sent_cookie) {
        curl_easy_setopt(e, CURLOPT_COOKIE, d.cookie.c_str());
        curl_easy_setopt(e, CURLOPT_HTTPAUTH, CURLAUTH_NONE);
        curl_easy_setopt(e, CURLOPT_USERNAME, nullptr);
        curl_easy_setopt(e, CURLOPT_PASSWORD, nullptr);
    } else {
        curl_easy_setopt(e, CURLOPT_COOKIE, nullptr);
        curl_easy_setopt(e, CURLOPT_HTTPAUTH, CURLAUTH_BASIC);
        curl_easy_setopt(e, CURLOPT_USERNAME, d.target.username.c_str());
        curl_easy_setopt(e, CURLOPT_PASSWORD, d.target.password.reveal().c_str());
    }
    waiting.push_back(&d);
}

void NxapiPoller::Impl::pump() {
    while (!waiting.empty() && running < settings.max_connections) {
        Device* d = waiting.front();
        waiting.pop_front();
        const CURLMcode rc = curl_multi_add_handle(multi, d->easy);
        if (rc != CURLM_OK) {
            fail_asked(*d, ErrorType::connection,
                       std::string("cannot start the request: ") + curl_multi_strerror(rc), 0);
            finished.push_back(d);
            continue;
        }
        ++running;
        requests->inc();
    }
    in_flight->set(running);
}

void NxapiPoller::Impl::fail_asked(Device& d, ErrorType type, const std::string& detail,
                                   long status) {
    for (std::size_t i : d.asked) {
        if (!d.outputs[i] && !d.errors[i]) d.errors[i] = CommandError{type, detail, status, {}};
    }
    d.asked.clear();
}

void NxapiPoller::Impl::done(Device& d, CURLcode code) {
    long status = 0;
    curl_easy_getinfo(d.easy, CURLINFO_RESPONSE_CODE, &status);
    response_bytes->inc(d.response.size());
    if (d.cookie_cleared) d.cookie.clear();
    if (code != CURLE_OK) {
        const ErrorType type = d.too_large ? ErrorType::too_large : transfer_error(code);
        std::string detail = curl_easy_strerror(code);
        if (d.too_large)
            detail = "answer longer than " + std::to_string(settings.max_response_bytes) + " bytes";
        fail_asked(d, type, detail, status);
        finished.push_back(&d);
        return;
    }
    if (status == 401) {
        d.cookie.clear();
        if (d.sent_cookie && !d.relogged) {
            // The session ended (expired, or the switch restarted): log in again at once.
            d.relogged = true;
            send(d, d.asked);
            return;
        }
        fail_asked(d, ErrorType::unauthorized, "HTTP 401: the switch refused the credentials",
                   status);
        finished.push_back(&d);
        return;
    }
    if (!d.fresh_cookie.empty()) {
        if (!d.sent_cookie) logins->inc();
        d.cookie = d.fresh_cookie;
    }
    if (status == 403) {
        fail_asked(d, ErrorType::forbidden, "HTTP 403: the user may not use NX-API", status);
        finished.push_back(&d);
        return;
    }
    std::vector<std::string> texts;
    for (std::size_t i : d.asked)
        texts.push_back(d.target.settings.commands[i].command);
    ParsedResponse parsed = parse_response(d.target.settings.format, d.response, texts);
    if (parsed.error != ErrorType::none) {
        // NX-OS answers a failed command with HTTP 500 and an NX-API body; without one, the
        // status is the news.
        if (status != 200) {
            fail_asked(d, ErrorType::http_error,
                       "HTTP " + std::to_string(status) + " (" + parsed.detail + ")", status);
        } else {
            fail_asked(d, parsed.error, parsed.detail, status);
        }
        finished.push_back(&d);
        return;
    }
    std::vector<std::size_t> missing;
    bool answered = false;
    for (std::size_t k = 0; k < d.asked.size(); ++k) {
        const std::size_t i = d.asked[k];
        auto& result = parsed.results[k];
        if (!result) {
            missing.push_back(i);
            continue;
        }
        answered = true;
        if (result->error == ErrorType::none) {
            d.outputs[i] = std::move(result->body);
        } else {
            d.errors[i] = CommandError{result->error, result->message, status, result->code};
        }
    }
    d.asked.clear();
    if (!missing.empty()) {
        // A switch that stops a batch at a failed command leaves the rest unanswered: they are
        // asked again, once, on their own.
        if (answered && !d.retried_missing) {
            d.retried_missing = true;
            send(d, std::move(missing));
            return;
        }
        d.asked = missing;
        fail_asked(d, ErrorType::missing_answer, "the answer has no output for this command",
                   status);
    }
    finished.push_back(&d);
}

void NxapiPoller::Impl::finish_round(Device& d) {
    const auto wall = Clock::now();
    d.active = false;
    poll_duration->observe(std::chrono::duration<double>(Steady::now() - d.round_start).count());
    const DeviceIdentity who{d.target.device, d.target.address};
    std::vector<Record> out;
    std::size_t failed = 0;
    const auto& commands = d.target.settings.commands;
    for (std::size_t i = 0; i < commands.size(); ++i) {
        const CommandSpec& command = commands[i];
        if (d.outputs[i]) {
            builder->add_output(who, command, std::move(*d.outputs[i]), wall, out);
            if (d.reported[i] != ErrorType::none) {
                std::uint64_t held = 0;
                if (d.log_limit.allow(held)) {
                    context->log->info(
                        "nxapi {}: device {}: {} answers again (was {}){}", settings.component,
                        d.target.device, command.command, error_type_name(d.reported[i]),
                        held ? fmt::format(" (and {} more lines held back)", held) : std::string());
                }
                d.reported[i] = ErrorType::none;
            }
            continue;
        }
        ++failed;
        CommandError error =
            d.errors[i].value_or(CommandError{ErrorType::missing_answer, "no answer", 0, {}});
        error_counter(d, i, error.type).inc();
        context->metrics.errors(error_type_name(error.type)).inc();
        if (d.reported[i] != error.type) {
            std::uint64_t held = 0;
            if (d.log_limit.allow(held)) {
                context->log->warn(
                    "nxapi {}: device {} ({}): {}: {}: {}{}", settings.component, d.target.device,
                    d.url, command.command, error_type_name(error.type), error.detail,
                    held ? fmt::format(" (and {} more lines held back)", held) : std::string());
            }
            d.reported[i] = error.type;
        }
        out.push_back(builder->error_record(who, command, error, wall));
    }
    (failed == 0 ? polls_ok : failed == commands.size() ? polls_failed : polls_partial)->inc();
    d.outputs.clear();
    d.errors.clear();
    d.response.clear();
    d.response.shrink_to_fit();  // 500 idle switches should not each keep their last answer
    context->metrics.received().inc(out.size());
    for (auto& r : out) {
        if (!context->emitter.emit(r)) return;  // the agent is stopping
        context->metrics.sent().inc();
    }
    if (context->poll_ledger != nullptr)
        context->poll_ledger->polled(d.target.device, d.slots.round_ms);
}

NxapiPoller::NxapiPoller(PollerSettings settings, std::vector<PollTarget> targets)
    : impl_(std::make_unique<Impl>()) {
    impl_->settings = std::move(settings);
    impl_->builder = std::make_unique<RecordBuilder>(impl_->settings.error_topic);
    for (auto& target : targets) {
        auto d = std::make_unique<Device>();
        d->impl = impl_.get();
        d->target = std::move(target);
        d->position = impl_->devices.size();
        d->reported.assign(d->target.settings.commands.size(), ErrorType::none);
        impl_->devices.push_back(std::move(d));
    }
}

NxapiPoller::~NxapiPoller() {
    for (auto& d : impl_->devices) {
        if (d->easy != nullptr) {
            if (impl_->multi != nullptr) curl_multi_remove_handle(impl_->multi, d->easy);
            curl_easy_cleanup(d->easy);
        }
        curl_slist_free_all(d->headers);
    }
    if (impl_->multi != nullptr) curl_multi_cleanup(impl_->multi);
}

void NxapiPoller::run(CollectorContext& context, const std::atomic<bool>& stop) {
    Impl& m = *impl_;
    m.context = &context;
    auto& registry = context.metrics.registry();
    const Labels& labels = context.metrics.labels();
    m.poll_duration = &registry.histogram(
        "netfeed_nxapi_poll_duration_seconds",
        "Time from the start of a device's poll to its last answer (re-logins included).", labels,
        {0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60});
    m.requests = &registry.counter("netfeed_nxapi_requests_total", "NX-API requests sent.", labels);
    m.logins = &registry.counter(
        "netfeed_nxapi_logins_total",
        "Requests sent with basic auth that opened a session (the switch set nxapi_auth).", labels);
    m.response_bytes = &registry.counter("netfeed_nxapi_response_bytes_total",
                                         "Bytes of NX-API answer bodies received.", labels);
    Labels ok = labels, partial = labels, failed = labels;
    ok.emplace_back("result", "ok");
    partial.emplace_back("result", "partial");
    failed.emplace_back("result", "failed");
    const char* polls_help = "Device polls by result (partial: some commands failed).";
    m.polls_ok = &registry.counter("netfeed_nxapi_polls_total", polls_help, ok);
    m.polls_partial = &registry.counter("netfeed_nxapi_polls_total", polls_help, partial);
    m.polls_failed = &registry.counter("netfeed_nxapi_polls_total", polls_help, failed);
    m.in_flight =
        &registry.gauge("netfeed_nxapi_requests_in_flight",
                        "NX-API requests running (not waiting for a connection).", labels);

    m.multi = curl_multi_init();
    if (m.multi == nullptr) {
        context.log->error("nxapi {}: cannot create a libcurl multi handle; not polling",
                           m.settings.component);
        return;
    }
    // Idle connections count against the total too: libcurl closes the oldest idle one when a
    // request needs a new connection and the limit is reached.
    curl_multi_setopt(m.multi, CURLMOPT_MAX_TOTAL_CONNECTIONS,
                      static_cast<long>(m.settings.max_connections));
    curl_multi_setopt(m.multi, CURLMOPT_MAXCONNECTS, static_cast<long>(m.settings.max_connections));
    for (auto& d : m.devices) {
        if (!m.setup(*d)) {
            context.log->error("nxapi {}: cannot create a libcurl handle; not polling",
                               m.settings.component);
            return;
        }
    }

    using Entry = std::pair<Steady::time_point, std::size_t>;
    std::priority_queue<Entry, std::vector<Entry>, std::greater<>> schedule;
    const auto began = Steady::now();
    std::uniform_real_distribution<double> unit(0.0, 1.0);
    PollLedger* const ledger = context.poll_ledger;
    for (auto& d : m.devices) {
        if (ledger != nullptr) {
            // A fleet member continues the slots where the device's previous owner stopped.
            d->due = d->slots.begin(d->target.device, d->target.settings.interval,
                                    ledger->last_polled(d->target.device), began);
        } else {
            const Duration spread =
                m.settings.first_poll_spread.value_or(d->target.settings.interval);
            d->due = began + std::chrono::duration_cast<Steady::duration>(spread * unit(m.random));
        }
        schedule.push({d->due, d->position});
    }
    while (!stop.load(std::memory_order_relaxed)) {
        auto now = Steady::now();
        std::vector<std::size_t> busy;
        while (!schedule.empty() && schedule.top().first <= now) {
            const std::size_t i = schedule.top().second;
            schedule.pop();
            Device& d = *m.devices[i];
            if (d.active) {
                busy.push_back(i);  // still polling: the next round starts when this one ends
                continue;
            }
            m.start_round(d, now);
            if (ledger != nullptr) {
                d.due = d.slots.advance(d.target.device, d.target.settings.interval, now);
                schedule.push({d.due, i});
                continue;
            }
            const double j = m.settings.jitter * (2 * unit(m.random) - 1);
            d.due +=
                std::chrono::duration_cast<Steady::duration>(d.target.settings.interval * (1 + j));
            if (d.due < now) d.due = now;
            schedule.push({d.due, i});
        }
        for (std::size_t i : busy)
            schedule.push({now + std::chrono::milliseconds(10), i});
        m.pump();
        int still_running = 0;
        curl_multi_perform(m.multi, &still_running);
        int queued = 0;
        while (CURLMsg* msg = curl_multi_info_read(m.multi, &queued)) {
            if (msg->msg != CURLMSG_DONE) continue;
            CURL* easy = msg->easy_handle;
            const CURLcode code = msg->data.result;
            Device* d = nullptr;
            curl_easy_getinfo(easy, CURLINFO_PRIVATE, reinterpret_cast<char**>(&d));
            curl_multi_remove_handle(m.multi, easy);
            --m.running;
            if (d != nullptr) m.done(*d, code);
        }
        m.pump();
        for (Device* d : m.finished)
            m.finish_round(*d);
        m.finished.clear();

        int wait_ms = 100;  // how often `stop` is looked at when nothing happens
        if (!schedule.empty()) {
            const auto until = std::chrono::duration_cast<std::chrono::milliseconds>(
                                   schedule.top().first - Steady::now())
                                   .count();
            wait_ms = static_cast<int>(std::clamp<long long>(until, 0, wait_ms));
        }
        if (!m.waiting.empty() && m.running < m.settings.max_connections) wait_ms = 0;
        curl_multi_poll(m.multi, nullptr, 0, wait_ms, nullptr);
    }
}

}  // namespace netfeed::nxapi
