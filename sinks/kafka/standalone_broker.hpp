// `netfeed broker`: the embedded broker on its own, for tests and demos that need a broker
// which outlives an agent (to read back what an agent delivered before it stopped).
#pragma once

#include <string>
#include <vector>

namespace netfeed {

struct StandaloneBrokerOptions {
    int port = 9092;
    int partitions = 4;
    std::vector<std::string> topics;
    std::vector<std::string> refused_topics;
};

/// Prints "netfeed broker listening on 127.0.0.1:PORT" once ready, then runs until SIGTERM or
/// SIGINT. Returns the exit code.
int run_standalone_broker(const StandaloneBrokerOptions& options);

}  // namespace netfeed
