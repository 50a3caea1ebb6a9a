// The template writer places commas and escapes; rendering fills the holes in order.
#include "lab/nxapi_sim/body_template.hpp"

#include <gtest/gtest.h>

namespace nxapi_sim {
namespace {

TEST(BodyTemplate, WritesJsonWithHoles) {
    JsonTemplateWriter w;
    w.begin_object()
        .field("a", "x\"y\n")
        .field_number("n", -3)
        .field_string_hole("s", 1, 7)
        .key("list")
        .begin_array()
        .number_hole(2)
        .string("z")
        .begin_object()
        .end_object()
        .null()
        .end_array()
        .end_object();
    BodyTemplate t = w.finish();
    std::string out;
    t.render(out, [](std::string& o, Hole h) {
        o += h.slot == 1 ? "hole" + std::to_string(h.arg) : std::string("42");
    });
    EXPECT_EQ(out, R"({"a":"x\"y\n","n":-3,"s":"hole7","list":[42,"z",{},null]})");
    out.clear();
    t.render(out, [](std::string& o, Hole) { o += "0"; });
    EXPECT_EQ(out, R"({"a":"x\"y\n","n":-3,"s":"0","list":[0,"z",{},null]})");
}

TEST(BodyTemplate, EscapesControlCharacters) {
    std::string out;
    append_json_escaped(out, std::string_view("a\\b\x01\t", 5));
    EXPECT_EQ(out, "a\\\\b\\u0001\\t");
}

}  // namespace
}  // namespace nxapi_sim
