// The standalone embedded broker; see standalone_broker.hpp.
#include "sinks/kafka/standalone_broker.hpp"

#include <csignal>
#include <iostream>

#include "sinks/kafka/embedded_broker.hpp"

namespace netfeed {

int run_standalone_broker(const StandaloneBrokerOptions& options) {
    if (options.port < 0 || options.port > 65535) {
        std::cerr << "--port must be 0 to 65535\n";
        return 2;
    }
    sigset_t signals;
    sigemptyset(&signals);
    sigaddset(&signals, SIGINT);
    sigaddset(&signals, SIGTERM);
    // Block before any thread starts so that every thread inherits the mask and sigwait sees it.
    pthread_sigmask(SIG_BLOCK, &signals, nullptr);
    try {
        auto broker = EmbeddedBroker::acquire(
            Endpoint{"127.0.0.1", static_cast<std::uint16_t>(options.port)});
        for (const auto& topic : options.topics) {
            std::string error;
            if (!broker->create_topic(topic, options.partitions, error)) {
                std::cerr << "cannot create topic " << topic << ": " << error << "\n";
                return 1;
            }
        }
        for (const auto& topic : options.refused_topics)
            broker->refuse_topic(topic);
        std::cout << "netfeed broker listening on " << broker->bootstrap() << std::endl;
        int received = 0;
        sigwait(&signals, &received);
        return 0;
    } catch (const std::exception& e) {
        std::cerr << e.what() << "\n";
        return 1;
    }
}

}  // namespace netfeed
