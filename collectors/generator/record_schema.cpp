// The generator's fields; see record_schema.hpp.
#include "collectors/generator/record_schema.hpp"

namespace netfeed {

namespace {

constexpr SchemaField kGenerated[] = {
    {"seq", FieldType::integer, "0, 1, 2, ... in the order made, across all devices"},
    {"generator_device_seq", FieldType::integer, "the record's number for its device"},
    {"message", FieldType::string, "message_bytes letters"},
};

}  // namespace

KindDeclaration generator_declaration() noexcept {
    return {"collectors/generator", "synthetic records for tests and benchmarks", kGenerated};
}

}  // namespace netfeed
