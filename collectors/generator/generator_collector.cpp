// The generator collector; see generator_collector.hpp.
#include "collectors/generator/generator_collector.hpp"

#include <spdlog/spdlog.h>

#include "collectors/generator/plugin.hpp"
#include "collectors/generator/record_schema.hpp"

namespace netfeed {

const OptionTable<GeneratorOptions>& GeneratorOptions::options() {
    static const auto table =
        OptionTable<GeneratorOptions>()
            .add("kind", &GeneratorOptions::kind, "Kind of the records it makes.")
            .add("count", &GeneratorOptions::count,
                 "How many records to make before it stops by itself.", range(1, 1e9))
            .add("rate", &GeneratorOptions::rate,
                 "Records per second; 0 makes them as fast as the pipeline takes them.",
                 range(0, 1e8))
            .add("devices", &GeneratorOptions::devices,
                 "Device names to cycle through (keys); empty: the configured devices, or "
                 "gen-1.")
            .add("message_bytes", &GeneratorOptions::message_bytes,
                 "Length of each record's message field.", range(0, 1'000'000))
            .add("start_delay", &GeneratorOptions::start_delay,
                 "Wait this long after start before the first record.");
    return table;
}

GeneratorCollector::GeneratorCollector(GeneratorOptions options, std::vector<Device> devices)
    : options_(std::move(options)), devices_(std::move(devices)) {
    message_.reserve(options_.message_bytes);
    for (std::size_t i = 0; i < options_.message_bytes; ++i) {
        message_.push_back(static_cast<char>('a' + i % 26));
    }
}

GeneratorCollector::~GeneratorCollector() {
    stop();
}

void GeneratorCollector::start(CollectorContext& context) {
    stop_ = false;
    thread_ = std::thread([this, &context] { run(context); });
}

void GeneratorCollector::stop() {
    stop_ = true;
    if (thread_.joinable()) thread_.join();
}

Record GeneratorCollector::make_record(std::uint64_t seq) const {
    const Device& device = devices_[seq % devices_.size()];
    Record record;
    record.kind = options_.kind;
    record.time = record.received = Clock::now();
    record.device = device.name;
    record.device_address = device.address;
    record.fields.reserve(3);
    record.add("seq", seq);
    record.add("generator_device_seq", seq / devices_.size());
    record.add("message", message_);
    return record;
}

void GeneratorCollector::run(CollectorContext& context) {
    using clock = std::chrono::steady_clock;
    const auto began = clock::now() + options_.start_delay;
    while (!stop_ && clock::now() < began)
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    std::uint64_t seq = 0;
    const auto start = clock::now();
    while (!stop_ && seq < options_.count) {
        if (options_.rate > 0) {
            // Pace against the start time, not the previous record, so the average rate holds.
            const auto due = start + std::chrono::duration_cast<clock::duration>(
                                         std::chrono::duration<double>(seq / options_.rate));
            const auto now = clock::now();
            if (due > now) {
                std::this_thread::sleep_for(
                    std::min<clock::duration>(due - now, std::chrono::milliseconds(50)));
                continue;
            }
        }
        Record record = make_record(seq);
        context.metrics.received().inc();
        // Wait for room rather than drop: a generator behaves like a poller.
        if (!context.emitter.emit(record)) break;
        ++seq;
    }
    context.log->info("generator emitted {} records", seq);
}

void register_generator_collector(PluginRegistry& registry) {
    // The generator writes these fields whatever kind it is set to; `test` is its own.
    registry.add_record_fields("test", generator_declaration());
    registry.add_collector<GeneratorOptions>(
        "generator", "Synthetic numbered records for demos, tests and benchmarks.",
        [](const GeneratorOptions& options, const BuildContext& context) {
            std::vector<Device> devices;
            if (!options.devices.empty()) {
                for (const auto& name : options.devices) {
                    const Device* configured = context.devices->by_name(name);
                    devices.push_back(configured != nullptr ? *configured
                                                            : Device{name, {}, {}, {}, nullptr});
                }
            } else if (!context.devices->all().empty()) {
                devices = context.devices->all();
            } else {
                devices.push_back(Device{"gen-1", {}, {}, {}, nullptr});
            }
            for (auto& d : devices)
                d.credentials = nullptr;  // the snapshot may not outlive us
            return std::make_unique<GeneratorCollector>(options, std::move(devices));
        });
}

}  // namespace netfeed
