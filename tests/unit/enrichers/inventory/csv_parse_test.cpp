// The CSV reader: a table of RFC 4180 cases and the hand-kept mistakes it must survive, each
// checked on every row, field, line number and finding.
#include "enrichers/inventory/csv_parse.hpp"

#include <gtest/gtest.h>

#include <cctype>
#include <string>
#include <vector>

namespace netfeed::inventory {
namespace {

struct Case {
    std::string name;
    std::string text;
    std::vector<std::vector<std::string>> rows;
    std::vector<int> lines;          // where each row starts
    std::vector<int> finding_lines;  // one per finding, in order
};

const std::vector<Case> kCases = {
    {"plain", "a,b,c\n1,2,3\n", {{"a", "b", "c"}, {"1", "2", "3"}}, {1, 2}, {}},
    {"no final newline", "a,b\n1,2", {{"a", "b"}, {"1", "2"}}, {1, 2}, {}},
    {"crlf", "a,b\r\n1,2\r\n", {{"a", "b"}, {"1", "2"}}, {1, 2}, {}},
    {"lone cr", "a,b\r1,2\r", {{"a", "b"}, {"1", "2"}}, {1, 2}, {}},
    {"bom",
     "\xEF\xBB\xBFhostname,site\nr1,lax\n",
     {{"hostname", "site"}, {"r1", "lax"}},
     {1, 2},
     {}},
    {"bom and crlf",
     "\xEF\xBB\xBF"
     "a\r\nb\r\n",
     {{"a"}, {"b"}},
     {1, 2},
     {}},
    {"whitespace trimmed",
     "hostname, street\n  lax-cor-r1 ,\t123 Main St \n",
     {{"hostname", "street"}, {"lax-cor-r1", "123 Main St"}},
     {1, 2},
     {}},
    {"hand-kept four fields",
     "hostname, street\nlax-cor-r1, 123 Main St, Los Angeles, 90001\n",
     {{"hostname", "street"}, {"lax-cor-r1", "123 Main St", "Los Angeles", "90001"}},
     {1, 2},
     {}},
    {"quoted comma", "a,b\n\"x, y\",z\n", {{"a", "b"}, {"x, y", "z"}}, {1, 2}, {}},
    {"quoted newline counts lines",
     "a,b\n\"line1\nline2\",z\nnext,row\n",
     {{"a", "b"}, {"line1\nline2", "z"}, {"next", "row"}},
     {1, 2, 4},
     {}},
    {"quoted crlf kept", "a\r\n\"x\r\ny\"\r\nz\r\n", {{"a"}, {"x\r\ny"}, {"z"}}, {1, 2, 4}, {}},
    {"doubled quote", "a\n\"say \"\"hi\"\"\"\n", {{"a"}, {"say \"hi\""}}, {1, 2}, {}},
    {"quoted keeps inner spaces", "a\n  \"  padded  \"  \n", {{"a"}, {"  padded  "}}, {1, 2}, {}},
    {"empty quoted", "a,b\n\"\",x\n", {{"a", "b"}, {"", "x"}}, {1, 2}, {}},
    {"empty fields", "a,b,c\n,,\n", {{"a", "b", "c"}, {"", "", ""}}, {1, 2}, {}},
    {"trailing comma", "a,b\n1,\n", {{"a", "b"}, {"1", ""}}, {1, 2}, {}},
    {"blank lines skipped", "a\n\n  \n\r\nb\n\n", {{"a"}, {"b"}}, {1, 5}, {}},
    {"utf-8 kept", "name\nZürich Straße\n", {{"name"}, {"Zürich Straße"}}, {1, 2}, {}},
    {"text after closing quote", "a,b\n\"x\"y,z\n", {{"a", "b"}, {"xy", "z"}}, {1, 2}, {2}},
    {"quote inside unquoted", "a,b\n12\" rack,z\n", {{"a", "b"}, {"12\" rack", "z"}}, {1, 2}, {2}},
    {"never closed quote keeps later rows",
     "a,b\n\"open,z\nr2,x\n",
     {{"a", "b"}, {"\"open", "z"}, {"r2", "x"}},
     {1, 2, 3},
     {2}},
    {"empty input", "", {}, {}, {}},
    {"only bom", "\xEF\xBB\xBF", {}, {}, {}},
};

class CsvParseTest : public ::testing::TestWithParam<Case> {};

TEST_P(CsvParseTest, RowsFieldsLinesFindings) {
    const Case& c = GetParam();
    const CsvDocument doc = parse_csv(c.text);
    ASSERT_EQ(doc.rows.size(), c.rows.size());
    for (std::size_t i = 0; i < c.rows.size(); ++i) {
        EXPECT_EQ(doc.rows[i].fields, c.rows[i]) << "row " << i;
        EXPECT_EQ(doc.rows[i].line, c.lines[i]) << "row " << i;
    }
    ASSERT_EQ(doc.findings.size(), c.finding_lines.size());
    for (std::size_t i = 0; i < c.finding_lines.size(); ++i) {
        EXPECT_EQ(doc.findings[i].line, c.finding_lines[i]) << doc.findings[i].message;
        EXPECT_FALSE(doc.findings[i].message.empty());
    }
}

INSTANTIATE_TEST_SUITE_P(Table, CsvParseTest, ::testing::ValuesIn(kCases),
                         [](const auto& param_info) {
                             std::string name = param_info.param.name;
                             for (char& ch : name) {
                                 if (!std::isalnum(static_cast<unsigned char>(ch))) ch = '_';
                             }
                             return name;
                         });

TEST(CsvParse, NeverClosedQuoteMessageSaysWhat) {
    const CsvDocument doc = parse_csv("a\n\"x\n");
    ASSERT_EQ(doc.findings.size(), 1u);
    EXPECT_NE(doc.findings[0].message.find("never closed"), std::string::npos);
}

}  // namespace
}  // namespace netfeed::inventory
