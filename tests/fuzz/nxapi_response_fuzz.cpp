// Fuzzes the NX-API answer parsers and output shaping: any body must parse or be refused with
// an error type, in both formats, and a parsed output must survive normalisation, number
// conversion and explosion into rows without crashing.
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "collectors/nxapi/model.hpp"
#include "collectors/nxapi/table_shape.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace netfeed::nxapi;
    static const std::vector<std::string> commands = {"show version", "show interface",
                                                      "show lldp neighbors"};
    const std::string_view body(reinterpret_cast<const char*>(data), size);
    for (const auto format : {RequestFormat::jsonrpc, RequestFormat::ins_api}) {
        ParsedResponse parsed = parse_response(format, body, commands);
        if (parsed.error != ErrorType::none) {
            if (!parsed.results.empty()) std::abort();
            continue;
        }
        if (parsed.results.size() != commands.size()) std::abort();
        for (std::size_t i = 0; i < parsed.results.size(); ++i) {
            auto& result = parsed.results[i];
            if (!result) continue;
            if (result->error != ErrorType::none) {
                if (error_type_name(result->error).empty()) std::abort();
                continue;
            }
            Json shaped = result->body;
            normalize_tables(shaped);
            convert_numbers(shaped);
            const auto rows = explode_rows(shaped, "", default_row_key(commands[i]));
            for (const auto& row : rows) {
                if (row.key.empty() && !row.fields.is_object()) std::abort();
            }
            (void)shaped.dump(-1, ' ', false, Json::error_handler_t::replace);
        }
    }
    return 0;
}
