// The sample readers decode_sflow() hands each sample to: flow samples (1, 3) in
// decode_flow_sample.cpp, counter samples (2, 4) in decode_counter_sample.cpp.
#pragma once

#include <cstdint>

#include "collectors/sflow/sflow_datagram.hpp"
#include "collectors/sflow/xdr_reader.hpp"

namespace netfeed::sflow::detail {

/// Appends the flow of one flow sample to `out.flows`; `header` gives the datagram's fields.
DecodeError read_flow_sample(xdr::Bytes body, bool expanded, const SflowDatagram& header,
                             std::uint64_t received_ns, SflowDatagram& out) noexcept;

/// Appends the interface counters of one counter sample to `out.counters` (or counts the
/// sample as skipped when it has none).
DecodeError read_counter_sample(xdr::Bytes body, bool expanded, SflowDatagram& out) noexcept;

}  // namespace netfeed::sflow::detail
