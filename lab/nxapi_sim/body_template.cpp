#include "lab/nxapi_sim/body_template.hpp"

#include <cassert>
#include <charconv>

namespace nxapi_sim {

void append_json_escaped(std::string& out, std::string_view value) {
    static constexpr char kHex[] = "0123456789abcdef";
    for (char c : value) {
        auto u = static_cast<unsigned char>(c);
        if (c == '"' || c == '\\') {
            out.push_back('\\');
            out.push_back(c);
        } else if (c == '\n') {
            out.append("\\n");
        } else if (c == '\r') {
            out.append("\\r");
        } else if (c == '\t') {
            out.append("\\t");
        } else if (u < 0x20) {
            out.append("\\u00");
            out.push_back(kHex[u >> 4]);
            out.push_back(kHex[u & 15]);
        } else {
            out.push_back(c);
        }
    }
}

void JsonTemplateWriter::literal(std::string_view text) {
    template_.text_.append(text);
}

void JsonTemplateWriter::hole(uint16_t slot, int32_t arg) {
    BodyTemplate::Piece piece;
    piece.text_begin = static_cast<uint32_t>(run_begin_);
    piece.text_length = static_cast<uint32_t>(template_.text_.size() - run_begin_);
    piece.has_hole = true;
    piece.hole = Hole{slot, arg};
    template_.pieces_.push_back(piece);
    run_begin_ = template_.text_.size();
}

void JsonTemplateWriter::before_value() {
    if (after_key_) {
        after_key_ = false;
        return;
    }
    if (!has_member_.empty()) {
        if (has_member_.back()) literal(",");
        has_member_.back() = true;
    }
}

JsonTemplateWriter& JsonTemplateWriter::begin_object() {
    before_value();
    literal("{");
    has_member_.push_back(false);
    return *this;
}

JsonTemplateWriter& JsonTemplateWriter::close(std::string_view bracket) {
    assert(!has_member_.empty() && !after_key_);
    has_member_.pop_back();
    literal(bracket);
    return *this;
}

JsonTemplateWriter& JsonTemplateWriter::end_object() {
    return close("}");
}

JsonTemplateWriter& JsonTemplateWriter::begin_array() {
    before_value();
    literal("[");
    has_member_.push_back(false);
    return *this;
}

JsonTemplateWriter& JsonTemplateWriter::end_array() {
    return close("]");
}

JsonTemplateWriter& JsonTemplateWriter::key(std::string_view name) {
    before_value();
    literal("\"");
    append_json_escaped(template_.text_, name);
    literal("\":");
    after_key_ = true;
    return *this;
}

JsonTemplateWriter& JsonTemplateWriter::string(std::string_view value) {
    before_value();
    literal("\"");
    append_json_escaped(template_.text_, value);
    literal("\"");
    return *this;
}

JsonTemplateWriter& JsonTemplateWriter::number(int64_t value) {
    before_value();
    char buffer[24];
    auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, value);
    (void)ec;
    literal(std::string_view(buffer, static_cast<size_t>(end - buffer)));
    return *this;
}

JsonTemplateWriter& JsonTemplateWriter::null() {
    before_value();
    literal("null");
    return *this;
}

JsonTemplateWriter& JsonTemplateWriter::string_hole(uint16_t slot, int32_t arg) {
    before_value();
    literal("\"");
    hole(slot, arg);
    literal("\"");
    return *this;
}

JsonTemplateWriter& JsonTemplateWriter::number_hole(uint16_t slot, int32_t arg) {
    before_value();
    hole(slot, arg);
    return *this;
}

BodyTemplate JsonTemplateWriter::finish() {
    assert(has_member_.empty());
    if (run_begin_ < template_.text_.size()) {
        BodyTemplate::Piece piece;
        piece.text_begin = static_cast<uint32_t>(run_begin_);
        piece.text_length = static_cast<uint32_t>(template_.text_.size() - run_begin_);
        template_.pieces_.push_back(piece);
    }
    run_begin_ = 0;
    BodyTemplate done = std::move(template_);
    template_ = BodyTemplate{};
    return done;
}

}  // namespace nxapi_sim
