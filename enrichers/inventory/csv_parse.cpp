// RFC 4180 reading with hand-kept leniency; see csv_parse.hpp.
#include "enrichers/inventory/csv_parse.hpp"

namespace netfeed::inventory {

namespace {

bool is_blank(char c) {
    return c == ' ' || c == '\t';
}
bool ends_field(char c) {
    return c == ',' || c == '\n' || c == '\r';
}
void trim_right(std::string& s) {
    while (!s.empty() && is_blank(s.back()))
        s.pop_back();
}

class CsvReader {
  public:
    explicit CsvReader(std::string_view text) : text_(text) {
        if (text_.starts_with("\xEF\xBB\xBF")) pos_ = 3;
    }

    CsvDocument read() {
        while (pos_ < text_.size()) {
            CsvRow row;
            row.line = line_;
            read_row(row.fields);
            const bool blank = row.fields.size() == 1 && row.fields[0].empty();
            if (!blank) doc_.rows.push_back(std::move(row));
        }
        return std::move(doc_);
    }

  private:
    void read_row(std::vector<std::string>& fields) {
        while (true) {
            fields.push_back(read_field());
            if (pos_ < text_.size() && text_[pos_] == ',') {
                ++pos_;
                continue;
            }
            end_line();
            return;
        }
    }

    // Consumes one line end (CRLF, LF or a lone CR) if there is one.
    void end_line() {
        if (pos_ >= text_.size()) return;
        if (text_[pos_] == '\r') {
            ++pos_;
            if (pos_ < text_.size() && text_[pos_] == '\n') ++pos_;
        } else if (text_[pos_] == '\n') {
            ++pos_;
        }
        ++line_;
    }

    std::string read_field() {
        while (pos_ < text_.size() && is_blank(text_[pos_]))
            ++pos_;
        if (pos_ < text_.size() && text_[pos_] == '"') return read_quoted();
        return read_unquoted(std::string());
    }

    std::string read_unquoted(std::string value) {
        bool reported = false;
        while (pos_ < text_.size() && !ends_field(text_[pos_])) {
            if (text_[pos_] == '"' && !reported) {
                finding(line_,
                        "a quote inside an unquoted field is taken as text (quote the "
                        "whole field and double the quote: \"a\"\"b\")");
                reported = true;
            }
            value.push_back(text_[pos_++]);
        }
        trim_right(value);
        return value;
    }

    std::string read_quoted() {
        const std::size_t quote = pos_;
        const int start_line = line_;
        ++pos_;
        std::string value;
        while (true) {
            if (pos_ >= text_.size()) {
                // Taking the rest of the file as one field would lose every later row: read the
                // quote as text instead and carry on from the line it is on.
                finding(start_line, "quoted field never closed; its quote is taken as text");
                pos_ = quote + 1;
                line_ = start_line;
                return read_unquoted("\"");
            }
            const char c = text_[pos_];
            if (c == '"') {
                if (pos_ + 1 < text_.size() && text_[pos_ + 1] == '"') {
                    value.push_back('"');
                    pos_ += 2;
                    continue;
                }
                ++pos_;
                break;
            }
            if (c == '\n' || (c == '\r' && (pos_ + 1 >= text_.size() || text_[pos_ + 1] != '\n')))
                ++line_;
            value.push_back(c);
            ++pos_;
        }
        while (pos_ < text_.size() && is_blank(text_[pos_]))
            ++pos_;
        if (pos_ < text_.size() && !ends_field(text_[pos_])) {
            finding(line_, "text after a closing quote is kept as part of the field");
            return read_unquoted(std::move(value));
        }
        return value;
    }

    void finding(int line, std::string message) {
        doc_.findings.push_back({line, std::move(message)});
    }

    std::string_view text_;
    std::size_t pos_ = 0;
    int line_ = 1;
    CsvDocument doc_;
};

}  // namespace

CsvDocument parse_csv(std::string_view text) {
    return CsvReader(text).read();
}

}  // namespace netfeed::inventory
