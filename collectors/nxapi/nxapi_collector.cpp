// The NX-API collector; see nxapi_collector.hpp.
#include "collectors/nxapi/nxapi_collector.hpp"

#include <curl/curl.h>
#include <pthread.h>
#include <spdlog/spdlog.h>

#include <mutex>
#include <stdexcept>

namespace netfeed::nxapi {

namespace {

// curl_global_init must run once, before any other libcurl call, in a process with one thread
// calling it at a time.
void ensure_curl() {
    static std::once_flag once;
    static CURLcode result = CURLE_OK;
    std::call_once(once, [] { result = curl_global_init(CURL_GLOBAL_DEFAULT); });
    if (result != CURLE_OK)
        throw std::runtime_error(std::string("nxapi: libcurl did not initialise: ") +
                                 curl_easy_strerror(result));
}

}  // namespace

NxapiCollector::NxapiCollector(std::unique_ptr<NxapiPoller> poller, std::size_t devices,
                               std::vector<std::string> warnings, std::vector<std::string> topics)
    : poller_(std::move(poller)),
      devices_(devices),
      warnings_(std::move(warnings)),
      topics_(std::move(topics)) {}

std::vector<TopicRequest> NxapiCollector::topics() const {
    std::vector<TopicRequest> out;
    for (const auto& t : topics_)
        out.push_back({RecordKind::nxapi, t});
    return out;
}

NxapiCollector::~NxapiCollector() {
    stop();
}

void NxapiCollector::start(CollectorContext& context) {
    ensure_curl();
    stop_ = false;
    for (const auto& w : warnings_)
        context.log->warn("{}", w);
    context.log->info("nxapi: polling {} devices from one thread", devices_);
    thread_ = std::thread([this, &context] {
        pthread_setname_np(pthread_self(), "nxapi-poller");  // for top -H and the benchmark
        poller_->run(context, stop_);
    });
}

void NxapiCollector::stop() {
    stop_ = true;
    if (thread_.joinable()) thread_.join();
}

}  // namespace netfeed::nxapi
