// Fuzz target: decode_sflow on any datagram. Checks what every result must satisfy: a refused
// datagram yields no samples, and a decoded one yields no more samples than its bytes can hold
// and flows stamped with the datagram's header.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <span>

#include "collectors/sflow/sflow_datagram.hpp"

namespace {

using namespace netfeed::sflow;

void check(bool ok) {
    if (!ok) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static SflowDatagram d;  // reused, as the collector does: leftovers must not leak through
    const DecodeError error = decode_sflow(std::span<const std::uint8_t>(data, size), 77, d);
    check(static_cast<std::size_t>(error) < static_cast<std::size_t>(DecodeError::kCount));
    check(to_string(error) != "unknown");
    if (error != DecodeError::none) {
        check(d.flows.empty() && d.counters.empty());
        return 0;
    }
    // Every sample costs at least its 8-byte tag and length after a 28-byte header.
    check(size >= 28);
    check((d.flows.size() + d.counters.size()) * 8 <= size - 28);
    check(d.flows.size() + d.counters.size() + d.skipped_samples <= d.sample_count);
    for (const SflowFlow& f : d.flows) {
        check(f.flow.sampler_address == d.agent);
        check(f.flow.sequence_num == d.sequence);
        check(f.flow.time_received_ns == 77);
        check(f.sflow.as_path.size() * 4 <= size);
        check(f.flow.src_addr.family == 0 || f.flow.src_addr.family == 4 ||
              f.flow.src_addr.family == 6);
    }
    return 0;
}
