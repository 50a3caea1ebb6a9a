// Appends JSON text straight to a string: the record serializer's hot path, no JSON tree.
// Strings are always emitted as valid UTF-8 (bad bytes become U+FFFD) so any JSON reader accepts
// them.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

namespace netfeed {

class JsonWriter {
  public:
    explicit JsonWriter(std::string& out) : out_(out) {}

    void begin_object() {
        separate();
        out_.push_back('{');
        first_ = true;
    }
    void end_object() {
        out_.push_back('}');
        first_ = false;
    }
    void begin_array() {
        separate();
        out_.push_back('[');
        first_ = true;
    }
    void end_array() {
        out_.push_back(']');
        first_ = false;
    }

    /// Writes `"name":`; the next value call completes the member.
    void key(std::string_view name);
    /// The same for a name known to need no escaping (FieldName::plain()).
    void plain_key(std::string_view name) {
        separate();
        out_.push_back('"');
        out_.append(name);
        out_.append("\":", 2);
        after_key_ = true;
    }

    void string(std::string_view text);
    void number(std::int64_t n);
    void number(std::uint64_t n);
    /// NaN and infinities have no JSON form: they are written as null.
    void number(double d);
    void boolean(bool b);
    void null();
    /// Already-serialized JSON text (for example nlohmann::json::dump output).
    void raw(std::string_view json);
    /// RFC 3339 UTC with microseconds, e.g. "2026-11-23T00:48:58.123456Z".
    void timestamp(std::chrono::system_clock::time_point t);

  private:
    void separate() {
        if (!first_ && !after_key_) out_.push_back(',');
        first_ = false;
        after_key_ = false;
    }
    std::string& out_;
    bool first_ = true;
    bool after_key_ = false;
};

/// Appends `text` JSON-escaped (without quotes), replacing invalid UTF-8 with U+FFFD.
void append_json_escaped(std::string& out, std::string_view text);

/// Formats a time as RFC 3339 UTC with microseconds.
std::string format_rfc3339(std::chrono::system_clock::time_point t);

}  // namespace netfeed
