// Template compilation and rendering; see template.hpp.
#include "agent/template.hpp"

namespace netfeed {

std::optional<std::string> RecordTemplate::compile(const std::string& text, RecordTemplate& out) {
    out.parts_.clear();
    std::string literal;
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (c == '}') return "'}' without a matching '{' at position " + std::to_string(i + 1);
        if (c != '{') {
            literal.push_back(c);
            continue;
        }
        const std::size_t close = text.find('}', i + 1);
        if (close == std::string::npos) {
            return "'{' at position " + std::to_string(i + 1) + " is never closed";
        }
        const std::string name = text.substr(i + 1, close - i - 1);
        if (name.empty()) return "empty placeholder '{}'";
        for (char n : name) {
            if (!(std::isalnum(static_cast<unsigned char>(n)) || n == '_')) {
                return "placeholder '{" + name + "}' may use only letters, digits and '_'";
            }
        }
        if (!literal.empty()) out.parts_.push_back({false, std::move(literal), ""});
        literal.clear();
        out.parts_.push_back({true, name, FieldName::intern(name)});
        i = close;
    }
    if (!literal.empty()) out.parts_.push_back({false, std::move(literal), ""});
    return std::nullopt;
}

void RecordTemplate::render(const Record& record, const DeviceDirectory& devices,
                            std::string_view missing, std::string& out) const {
    out.clear();
    for (const Part& part : parts_) {
        if (!part.placeholder) {
            out += part.text;
            continue;
        }
        const std::string& name = part.text;
        std::string value;
        if (name == "kind") {
            value = to_string(record.kind);
        } else if (name == "device") {
            value = record.device;
        } else if (name == "device_address") {
            if (!record.device_address.is_unspecified()) value = record.device_address.to_string();
        } else if (name == "key") {
            value = record.key;
        } else if (const Value* field = record.find(part.field)) {
            value = value_to_text(*field);
        } else {
            value = devices.tag(record.device, name);
        }
        out += value.empty() ? missing : std::string_view(value);
    }
}

bool RecordTemplate::depends_only_on_kind() const noexcept {
    for (const Part& part : parts_) {
        if (part.placeholder && part.text != "kind") return false;
    }
    return true;
}

std::string RecordTemplate::render_for_kind(RecordKind kind) const {
    std::string out;
    for (const Part& part : parts_)
        out += part.placeholder ? std::string(to_string(kind)) : part.text;
    return out;
}

void sanitize_topic(std::string& topic) {
    for (char& c : topic) {
        if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '_' || c == '-')) {
            c = '_';
        }
    }
    if (topic.size() > 249) topic.resize(249);
}

}  // namespace netfeed
