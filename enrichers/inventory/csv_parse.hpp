// RFC 4180 CSV as hand-kept inventories write it: a pure function from text to rows and findings.
// It never fails: whatever the text, it returns the rows it could read and says what was wrong.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace netfeed::inventory {

/// A problem found while reading a file, at the line it starts on (1-based).
struct CsvFinding {
    int line = 0;
    std::string message;
    bool operator==(const CsvFinding&) const = default;
};

struct CsvRow {
    int line = 0;  // where the row starts
    std::vector<std::string> fields;
};

struct CsvDocument {
    std::vector<CsvRow> rows;  // blank lines are not rows
    std::vector<CsvFinding> findings;
};

/// Splits `text` into rows of fields: quoted fields may hold commas, newlines and "" (a quote);
/// a UTF-8 BOM is skipped; CRLF, LF and CR end rows; spaces and tabs outside quotes are trimmed.
/// Quoting it cannot read (text after a closing quote, a quote inside an unquoted field, a
/// quote never closed) is reported and read as literally as possible.
CsvDocument parse_csv(std::string_view text);

}  // namespace netfeed::inventory
