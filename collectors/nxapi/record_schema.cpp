// The NX-API record's fields; see record_schema.hpp and docs/nxapi.md. An exploded row's own
// fields are named by the switch, so the kind is open.
#include "collectors/nxapi/record_schema.hpp"

namespace netfeed::nxapi {

namespace {

using T = FieldType;

constexpr SchemaField kNxapi[] = {
    {"command", T::string, "the CLI command whose output this is"},
    {"body", T::object, "the command's output, every ROW_x an array", "", "answers"},
    {"row_key", T::string, "the row's key (the command's row_key fields)", "", "exploded rows"},
    {"extra_fields", T::object, "row fields beyond max_field_names distinct names", "",
     "exploded rows, when some did not fit"},
    {"error_type", T::string, "what went wrong (docs/nxapi.md lists the types)", "", "errors"},
    {"error", T::string, "the problem in words", "", "errors"},
    {"http_status", T::integer, "the HTTP status of the answer", "", "errors, when there was one"},
    {"error_code", T::string, "the code NX-API gave", "", "errors, when given"},
    {"command_topic", T::string, "the topic the command's answers go to", "", "errors"},
};

}  // namespace

KindDeclaration nxapi_declaration() noexcept {
    return {"collectors/nxapi",
            "an answer (body, key <device>), an exploded table row (row_key and the row's own "
            "fields at the top level, key <device>|<row key>), or an error (key "
            "<device>|<command>), each with command",
            kNxapi, true};
}

}  // namespace netfeed::nxapi
