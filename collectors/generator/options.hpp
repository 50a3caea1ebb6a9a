// Options of the generator collector.
#pragma once

#include <string>
#include <vector>

#include "agent/config.hpp"
#include "agent/option_table.hpp"

namespace netfeed {

struct GeneratorOptions {
    RecordKind kind = RecordKind::test;
    std::uint64_t count = 1000;
    double rate = 1000;  // records per second; 0: as fast as the pipeline takes them
    std::vector<std::string> devices;
    std::size_t message_bytes = 64;
    Duration start_delay{0};
    static const OptionTable<GeneratorOptions>& options();
};

}  // namespace netfeed
