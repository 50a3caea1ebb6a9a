// Markdown option tables; see options_markdown.hpp.
#include "agent/options_markdown.hpp"

namespace netfeed {

namespace {

std::string cell(std::string text) {
    std::string out;
    for (char c : text) {
        if (c == '|') {
            out += "\\|";
        } else if (c == '\n') {
            out += ' ';
        } else {
            out += c;
        }
    }
    return out;
}

std::string default_text(const nlohmann::json& option) {
    if (option.value("required", false)) return "required";
    if (!option.contains("default")) return "";
    const auto& d = option["default"];
    if (d.is_null()) return "";
    if (d.is_string()) return d.get<std::string>().empty() ? "" : "`" + d.get<std::string>() + "`";
    if (d.is_array() && d.empty()) return "";
    if (d.is_object() && d.empty()) return "";
    return "`" + d.dump() + "`";
}

void rows(const nlohmann::json& options, const std::string& prefix, std::string& out) {
    for (const auto& option : options) {
        const std::string name = prefix + option["name"].get<std::string>();
        std::string type = option["type"].get<std::string>();
        if (option.contains("values")) {
            type.clear();
            for (const auto& v : option["values"]) {
                type += (type.empty() ? "" : " | ") + v.get<std::string>();
            }
        }
        if (option.contains("options")) {
            rows(option["options"], name + ".", out);
            continue;
        }
        std::string doc = option["doc"].get<std::string>();
        if (option.contains("min") && option.contains("max")) {
            const auto number = [](const nlohmann::json& n) {
                const double d = n.get<double>();
                return d == static_cast<double>(static_cast<long long>(d))
                           ? std::to_string(static_cast<long long>(d))
                           : n.dump();
            };
            doc += " Range " + number(option["min"]) + " to " + number(option["max"]) + ".";
        }
        if (option.contains("also")) {
            doc += " Or `" + option["also"].get<std::string>() + "`: read it from that file.";
        }
        out += "| `" + name + "` | " + cell(type) + " | " + cell(default_text(option)) + " | " +
               cell(doc) + " |\n";
    }
}

}  // namespace

std::string options_markdown(const nlohmann::json& options) {
    std::string out = "| option | type | default | meaning |\n|---|---|---|---|\n";
    rows(options, "", out);
    return out;
}

}  // namespace netfeed
