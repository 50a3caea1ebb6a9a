// RFC 5424 parser; see parse_rfc5424.hpp.
#include "collectors/syslog/parse_rfc5424.hpp"

#include <string>
#include <utility>

#include "collectors/syslog/parse_text.hpp"
#include "collectors/syslog/syslog_time.hpp"

namespace netfeed::syslog {

namespace {

constexpr std::string_view kBom = "\xEF\xBB\xBF";

// SD-NAME: printable US-ASCII except '=', ' ', ']' and '"' (RFC 5424 section 6.3.2). Keeping
// names ASCII also keeps every JSON key valid UTF-8.
bool is_sd_name_char(char c) noexcept {
    return c > 32 && c < 127 && c != '=' && c != ']' && c != '"';
}

std::string_view read_sd_name(std::string_view& in) noexcept {
    std::size_t n = 0;
    while (n < in.size() && is_sd_name_char(in[n]))
        ++n;
    const std::string_view name = in.substr(0, n);
    in.remove_prefix(n);
    return name;
}

// PARAM-VALUE after its opening quote, up to and including the closing one. Only \" \\ and \]
// are escapes; a backslash before anything else is kept as written (section 6.3.3). An
// unescaped ']' is accepted: inside quotes it cannot end the element, and many senders do not
// escape it.
bool read_param_value(std::string_view& in, std::string& value) {
    std::size_t i = 0;
    while (i < in.size()) {
        const char c = in[i];
        if (c == '"') {
            in.remove_prefix(i + 1);
            return true;
        }
        if (c == '\\' && i + 1 < in.size()) {
            const char next = in[i + 1];
            if (next == '"' || next == '\\' || next == ']') {
                value.push_back(next);
                i += 2;
                continue;
            }
        }
        value.push_back(c);
        ++i;
    }
    return false;
}

// A parameter seen again becomes an array of all its values, in order.
void add_param(nlohmann::json& element, const std::string& name, std::string value) {
    const auto it = element.find(name);
    if (it == element.end()) {
        element.emplace(name, std::move(value));
    } else if (it->is_array()) {
        it->push_back(std::move(value));
    } else {
        nlohmann::json values = nlohmann::json::array();
        values.push_back(std::move(*it));
        values.push_back(std::move(value));
        *it = std::move(values);
    }
}

// Adds a complete element; an SD-ID seen before gets the new parameters merged in.
void add_element(nlohmann::json& sd, const std::string& id, nlohmann::json&& params) {
    const auto it = sd.find(id);
    if (it == sd.end()) {
        sd.emplace(id, std::move(params));
        return;
    }
    for (auto& [name, value] : params.items()) {
        if (value.is_array()) {
            for (auto& v : value)
                add_param(*it, name, v.get<std::string>());
        } else {
            add_param(*it, name, value.get<std::string>());
        }
    }
}

// One "[SD-ID *(SP PARAM-NAME="PARAM-VALUE")]" into `sd`; false (with `error`) when malformed.
bool read_element(std::string_view& in, nlohmann::json& sd, std::string& error) {
    std::string_view rest = in.substr(1);  // '['
    const std::string id(read_sd_name(rest));
    if (id.empty()) {
        error = rest.empty() ? "unterminated STRUCTURED-DATA" : "SD-ELEMENT without SD-ID";
        return false;
    }
    nlohmann::json params = nlohmann::json::object();
    while (true) {
        if (consume(rest, ']')) break;
        if (rest.empty()) {
            error = "unterminated STRUCTURED-DATA";
            return false;
        }
        if (!consume(rest, ' ')) {
            error = "malformed SD-ELEMENT";
            return false;
        }
        const std::string name(read_sd_name(rest));
        if (name.empty() || !consume(rest, '=') || !consume(rest, '"')) {
            error = rest.empty() ? "unterminated STRUCTURED-DATA" : "malformed SD-PARAM";
            return false;
        }
        std::string value;
        if (!read_param_value(rest, value)) {
            error = "unterminated STRUCTURED-DATA";
            return false;
        }
        add_param(params, name, std::move(value));
    }
    add_element(sd, id, std::move(params));
    in = rest;
    return true;
}

// A header field: the text up to the next SP, which is consumed. Empty fields are not allowed.
bool read_field(std::string_view& in, std::string_view& field) noexcept {
    const std::size_t space = in.find(' ');
    if (space == 0 || space == std::string_view::npos) return false;
    field = in.substr(0, space);
    in.remove_prefix(space + 1);
    return true;
}

std::string nil_to_empty(std::string_view field) {
    return field == "-" ? std::string() : std::string(field);
}

}  // namespace

bool parse_rfc5424(std::string_view line, const ParseOptions& options, SyslogMessage& out) {
    std::string_view in = line;
    int pri = 0;
    const PriStatus status = read_pri(in, pri);
    if (status != PriStatus::valid) {
        out.parse_error = status == PriStatus::absent ? "no <PRI>" : pri_error(status);
        return false;
    }
    set_priority(out, pri);

    std::uint64_t version = 0;
    if (!read_number(in, 1, 3, version) || !consume(in, ' ')) {
        out.parse_error = "RFC 5424: no VERSION";
        return false;
    }
    // VERSION is NONZERO-DIGIT 0*2DIGIT (section 6.2.2). Only 1 is defined, but a later version
    // must keep the header as it is (section 9.1), so its fields are read the same way and the
    // version is recorded for consumers to judge.
    if (version == 0) {
        out.parse_error = "RFC 5424: VERSION 0";
        return false;
    }

    std::string_view timestamp, hostname, app_name, proc_id, msg_id;
    if (!read_field(in, timestamp) || !read_field(in, hostname) || !read_field(in, app_name) ||
        !read_field(in, proc_id) || !read_field(in, msg_id) || in.empty()) {
        out.parse_error = "RFC 5424: header incomplete or has an empty field";
        return false;
    }

    out.format = SyslogFormat::rfc5424;
    out.version = static_cast<unsigned>(version);
    if (timestamp != "-") {
        std::string_view text = timestamp;
        CivilTime civil;
        if (read_rfc3339(text, civil) && text.empty() && civil.utc_offset) {
            out.timestamp = to_utc(civil, options);
        }
        if (!out.timestamp) out.parse_error = "RFC 5424: bad TIMESTAMP";
    }
    out.hostname = nil_to_empty(hostname);
    out.app_name = nil_to_empty(app_name);
    out.proc_id = nil_to_empty(proc_id);
    out.msg_id = nil_to_empty(msg_id);

    if (in[0] == '-') {
        in.remove_prefix(1);
    } else if (in[0] == '[') {
        nlohmann::json sd = nlohmann::json::object();
        std::string error;
        while (starts_with(in, '[')) {
            if (!read_element(in, sd, error)) break;
        }
        if (!sd.empty()) out.structured_data = std::move(sd);
        if (!error.empty()) {
            // Deliver what came before the break; the rest, SD text included, is the message.
            out.parse_error = "RFC 5424: " + error;
            out.message = std::string(in);
            return true;
        }
    } else {
        out.parse_error = "RFC 5424: bad STRUCTURED-DATA";
        out.message = std::string(in);
        return true;
    }

    // MSG follows one SP. Text glued to the SD ("[a]text", "-text") is malformed but still
    // clearly the message.
    consume(in, ' ');
    if (in.substr(0, kBom.size()) == kBom) in.remove_prefix(kBom.size());
    out.message = std::string(in);
    return true;
}

}  // namespace netfeed::syslog
