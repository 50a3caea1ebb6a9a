// JSON text with holes, built once per answer shape and rendered per request: the literal runs
// are copied and only the values that depend on the switch or the clock are formatted.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace nxapi_sim {

// A hole is (slot, arg); what a slot means is up to the renderer (nxos_bodies.cpp).
struct Hole {
    uint16_t slot = 0;
    int32_t arg = 0;
};

class BodyTemplate {
  public:
    // Renders into out; write_hole(out, hole) appends the value of one hole.
    template <class WriteHole>
    void render(std::string& out, WriteHole&& write_hole) const {
        for (const Piece& piece : pieces_) {
            out.append(text_, piece.text_begin, piece.text_length);
            if (piece.has_hole) write_hole(out, piece.hole);
        }
    }
    size_t literal_size() const { return text_.size(); }

  private:
    friend class JsonTemplateWriter;
    struct Piece {
        uint32_t text_begin = 0;
        uint32_t text_length = 0;
        bool has_hole = false;
        Hole hole;
    };
    std::string text_;
    std::vector<Piece> pieces_;
};

// Writes a BodyTemplate as JSON, placing commas itself. Values given as text are escaped;
// holes are written raw (the renderer escapes what needs it), quoted or not.
class JsonTemplateWriter {
  public:
    JsonTemplateWriter& begin_object();
    JsonTemplateWriter& end_object();
    JsonTemplateWriter& begin_array();
    JsonTemplateWriter& end_array();
    JsonTemplateWriter& key(std::string_view name);
    JsonTemplateWriter& string(std::string_view value);
    JsonTemplateWriter& number(int64_t value);
    JsonTemplateWriter& null();
    JsonTemplateWriter& string_hole(uint16_t slot, int32_t arg = 0);
    JsonTemplateWriter& number_hole(uint16_t slot, int32_t arg = 0);

    // Shorthands for "key": value.
    JsonTemplateWriter& field(std::string_view name, std::string_view value) {
        return key(name).string(value);
    }
    JsonTemplateWriter& field(std::string_view name, const char* value) {
        return key(name).string(value);
    }
    JsonTemplateWriter& field_number(std::string_view name, int64_t value) {
        return key(name).number(value);
    }
    JsonTemplateWriter& field_string_hole(std::string_view name, uint16_t slot, int32_t arg = 0) {
        return key(name).string_hole(slot, arg);
    }
    JsonTemplateWriter& field_number_hole(std::string_view name, uint16_t slot, int32_t arg = 0) {
        return key(name).number_hole(slot, arg);
    }

    BodyTemplate finish();

  private:
    void before_value();
    JsonTemplateWriter& close(std::string_view bracket);
    void literal(std::string_view text);
    void hole(uint16_t slot, int32_t arg);

    BodyTemplate template_;
    size_t run_begin_ = 0;  // start of the literal run not yet closed into a piece
    // One entry per open object/array: true once it holds a member.
    std::vector<bool> has_member_;
    bool after_key_ = false;
};

// Appends value as the inside of a JSON string (no quotes).
void append_json_escaped(std::string& out, std::string_view value);

}  // namespace nxapi_sim
