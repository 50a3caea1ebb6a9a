// Fuzzes the inventory CSV reader: any bytes must read into rows without crashing, every row
// must start on a line that exists, and findings must point at lines in order of the text.
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "enrichers/inventory/csv_parse.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace netfeed::inventory;
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    const CsvDocument doc = parse_csv(text);
    int lines = 1;
    for (char c : text)
        lines += c == '\n' || c == '\r';
    int previous = 0;
    for (const auto& row : doc.rows) {
        if (row.line < 1 || row.line > lines || row.line < previous) std::abort();
        if (row.fields.empty()) std::abort();
        previous = row.line;
    }
    for (const auto& finding : doc.findings) {
        if (finding.line < 1 || finding.line > lines || finding.message.empty()) std::abort();
    }
    return 0;
}
