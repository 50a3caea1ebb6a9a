// The SNMP collector; see snmp_collector.hpp.
#include "collectors/snmp/snmp_collector.hpp"

#include <pthread.h>
#include <spdlog/spdlog.h>

#include "collectors/common/snmp_init.hpp"

namespace netfeed::snmp {

SnmpCollector::SnmpCollector(std::unique_ptr<SnmpPoller> poller, std::size_t devices)
    : poller_(std::move(poller)), devices_(devices) {}

SnmpCollector::~SnmpCollector() {
    stop();
}

void SnmpCollector::start(CollectorContext& context) {
    ensure_snmp_library();
    stop_ = false;
    context.log->info("snmp: polling {} devices from one thread", devices_);
    thread_ = std::thread([this, &context] {
        // Named so that its CPU can be told from the pipeline's in top and /proc (benchmarks).
        pthread_setname_np(pthread_self(), "snmp-poller");
        poller_->run(context, stop_);
    });
}

void SnmpCollector::stop() {
    stop_ = true;
    if (thread_.joinable()) thread_.join();
}

}  // namespace netfeed::snmp
