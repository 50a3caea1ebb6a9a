// Record -> JSON without building a JSON tree; see record_json.hpp.
#include "agent/record_json.hpp"

#include "agent/json_writer.hpp"

namespace netfeed {

namespace {

void write_address(JsonWriter& w, const IpAddress& a) {
    // to_string() allocates; the common IPv4 case is formatted on the stack instead.
    if (a.is_v4()) {
        const auto bytes = a.to_v4().to_bytes();
        char text[16];
        std::size_t n = 0;
        for (std::size_t i = 0; i < 4; ++i) {
            const unsigned v = bytes[i];
            if (v >= 100) text[n++] = static_cast<char>('0' + v / 100);
            if (v >= 10) text[n++] = static_cast<char>('0' + v / 10 % 10);
            text[n++] = static_cast<char>('0' + v % 10);
            if (i < 3) text[n++] = '.';
        }
        w.string(std::string_view(text, n));
    } else {
        w.string(a.to_string());
    }
}

void write_value(JsonWriter& writer, const Value& value) {
    struct Visitor {
        JsonWriter& w;
        void operator()(std::monostate) const { w.null(); }
        void operator()(bool b) const { w.boolean(b); }
        void operator()(std::int64_t n) const { w.number(n); }
        void operator()(std::uint64_t n) const { w.number(n); }
        void operator()(double d) const { w.number(d); }
        void operator()(const std::string& s) const { w.string(s); }
        void operator()(const IpAddress& a) const { write_address(w, a); }
        void operator()(const Json& j) const {
            // error_handler::replace keeps invalid UTF-8 from making the whole value unreadable.
            w.raw(j.dump(-1, ' ', false, Json::error_handler_t::replace));
        }
    };
    std::visit(Visitor{writer}, value);
}

}  // namespace

void append_record_json(const Record& record, std::string& out) {
    JsonWriter w(out);
    w.begin_object();
    w.plain_key("kind");
    w.string(to_string(record.kind));
    w.plain_key("time");
    w.timestamp(record.time);
    w.plain_key("time_received");
    w.timestamp(record.received);
    w.plain_key("device");
    w.string(record.device);
    w.plain_key("device_address");
    if (record.device_address.is_unspecified()) {
        w.null();  // records made by the agent itself (status, test) come from no address
    } else {
        write_address(w, record.device_address);
    }
    for (const Field& field : record.fields) {
        if (field.name.plain()) {
            w.plain_key(field.name.view());
        } else {
            w.key(field.name.view());
        }
        write_value(w, field.value);
    }
    w.end_object();
}

}  // namespace netfeed
