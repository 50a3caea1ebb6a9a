// A v9 or IPFIX template compiled, when it is learnt, into a flat list of decode ops, so that
// decoding a record is one tight loop with no table lookups and no allocation.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "collectors/netflow/flow_fields.hpp"

namespace netfeed::netflow {

/// IPFIX field length meaning "variable: the record says" (RFC 7011 7).
inline constexpr std::uint16_t kVariableLength = 65535;
/// More fields than any real template has; beyond it a template is taken as garbage.
inline constexpr std::size_t kMaxTemplateFields = 512;
/// A record must fit in one set (the set length is 16 bits, 4 of them the set header).
inline constexpr std::uint32_t kMaxRecordLength = 65535 - 4;

enum class TemplateKind : std::uint8_t { data, options };

/// One field specifier as the exporter sent it.
struct FieldSpec {
    std::uint16_t element = 0;  // without the IPFIX enterprise bit
    std::uint16_t length = 0;
    std::uint32_t enterprise = 0;

    bool operator==(const FieldSpec&) const = default;
};

/// One step of the decoding loop: take `length` bytes (or a variable-length field) to `target`.
struct FieldOp {
    std::uint16_t length = 0;  // kVariableLength: read the length from the record
    FieldTarget target = FieldTarget::skip;
    std::uint8_t unused = 0;
    // For a variable-length op: the least number of bytes the fields after it take, so one
    // check after reading its length keeps every later fixed field inside the record.
    std::uint16_t rest_min = 0;
    std::uint16_t element = 0;     // for `extra`
    std::uint32_t enterprise = 0;  // for `extra`
};

struct CompiledTemplate {
    TemplateKind kind = TemplateKind::data;
    std::uint16_t scope_count = 0;  // options templates: the first fields are scopes
    std::vector<FieldSpec> fields;  // the definition as sent: a resend is a refresh, not a change
    std::vector<FieldOp> ops;
    std::uint32_t min_length = 0;    // a fixed record's length; the least a variable one takes
    bool variable = false;           // some field has kVariableLength
    std::uint64_t present = 0;       // FlowField bits that every record of this template sets
    std::uint32_t time_mask = 0;     // bit i: time target kFirstTimeTarget + i is filled
    bool has_sampler_id = false;     // records carry a sampler id: sampling is looked up per record
    bool has_sampling_rate = false;  // records carry their own sampling interval
    bool has_extra = false;          // some field goes to FlowRecord::extra
};

/// Compiles a template for NetFlow `version` 9 or 10 (IPFIX). v9 option scopes use their own
/// numbers (1 system, 2 interface, ...), so they are skipped; IPFIX scopes are ordinary elements.
/// Fields of length 0 are skipped. Returns nothing for a template no record could follow: no
/// fields (or only zero-length ones), more than kMaxTemplateFields, or a record longer than
/// kMaxRecordLength.
std::optional<CompiledTemplate> compile_template(std::uint8_t version, TemplateKind kind,
                                                 std::span<const FieldSpec> fields,
                                                 std::uint16_t scope_count);

}  // namespace netfeed::netflow
