// Writes routed records as JSON lines to a file descriptor: shared by the stdout and file sinks.
#pragma once

#include <string>
#include <vector>

#include "agent/metrics.hpp"
#include "agent/sink.hpp"

namespace netfeed {

class JsonLinesWriter {
  public:
    /// @param with_delivery wrap each value as {"topic":..,"key":..,"value":..}
    explicit JsonLinesWriter(bool with_delivery) : with_delivery_(with_delivery) {}

    /// Serializes the whole batch and writes it with as few write() calls as the fd allows.
    /// Returns false (errno set) when the descriptor fails; the batch is then left untouched.
    bool write(int fd, std::vector<RoutedRecord>& batch);

  private:
    bool with_delivery_;
    std::string buffer_;
};

}  // namespace netfeed
