// The stdout sink: each record as one JSON line on standard output (logs go to stderr).
#include <unistd.h>

#include <cstring>

#include "agent/option_table.hpp"
#include "sinks/common/json_lines_writer.hpp"
#include "sinks/stdout/plugin.hpp"

namespace netfeed {

namespace {

struct StdoutOptions {
    bool with_delivery = false;
    static const OptionTable<StdoutOptions>& options() {
        static const auto table = OptionTable<StdoutOptions>().add(
            "with_delivery", &StdoutOptions::with_delivery,
            "Print {\"topic\",\"key\",\"value\"} around each record instead of the value alone.");
        return table;
    }
};

class StdoutSink final : public Sink {
  public:
    explicit StdoutSink(const StdoutOptions& options) : writer_(options.with_delivery) {}

    void start(SinkContext& context) override { context_ = &context; }

    void write(std::vector<RoutedRecord>& batch, SteadyTime) override {
        const std::size_t n = batch.size();
        if (writer_.write(STDOUT_FILENO, batch)) {
            context_->metrics.sent().inc(n);
        } else {
            // A closed pipe will not come back: count and drop rather than block forever.
            context_->metrics.dropped(std::string("write_failed: ") + std::strerror(errno)).inc(n);
            batch.clear();
        }
    }

    std::size_t flush(SteadyTime) override { return 0; }

  private:
    JsonLinesWriter writer_;
    SinkContext* context_ = nullptr;
};

}  // namespace

void register_stdout_sink(PluginRegistry& registry) {
    registry.add_sink<StdoutOptions>("stdout", "Records as JSON lines on standard output.",
                                     [](const StdoutOptions& options, const BuildContext&) {
                                         return std::make_unique<StdoutSink>(options);
                                     });
}

}  // namespace netfeed
