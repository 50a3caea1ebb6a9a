// Fuzz target: the flow decoder on IPFIX (templates, withdrawal, variable-length and
// enterprise fields), several packets per input through one decoder; invariants in
// netflow_fuzz_driver.hpp.
#include <cstddef>
#include <cstdint>

#include "tests/fuzz/netflow_fuzz_driver.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    netfeed::netflow::fuzz::run_decoder(data, size, 10);
    return 0;
}
