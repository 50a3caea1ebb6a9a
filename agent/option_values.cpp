// Reading option values from YAML scalars; see option_values.hpp and option_table.hpp.
#include <cctype>
#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "agent/option_table.hpp"

namespace netfeed {

std::string Endpoint::to_string() const {
    const bool v6 = host.find(':') != std::string::npos;
    return (v6 ? "[" + host + "]" : host) + ":" + std::to_string(port);
}

std::optional<std::string> expand_env(std::string_view text, std::string& out) {
    out.clear();
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (text[i] != '$' || i + 1 >= text.size()) {
            out.push_back(text[i]);
            continue;
        }
        if (text[i + 1] == '$') {
            out.push_back('$');
            ++i;
            continue;
        }
        if (text[i + 1] != '{') {
            out.push_back('$');
            continue;
        }
        const std::size_t close = text.find('}', i + 2);
        if (close == std::string_view::npos) return "unterminated '${' in value";
        std::string_view reference = text.substr(i + 2, close - i - 2);
        std::optional<std::string_view> fallback;
        if (auto dash = reference.find(":-"); dash != std::string_view::npos) {
            fallback = reference.substr(dash + 2);
            reference = reference.substr(0, dash);
        }
        const std::string name(reference);
        if (name.empty()) return "empty variable name in '${}'";
        const char* value = std::getenv(name.c_str());
        if (value != nullptr && *value != '\0') {
            out += value;
        } else if (fallback) {
            out += *fallback;
        } else {
            return "environment variable " + name + " is not set (export it, or write ${" + name +
                   ":-default})";
        }
        i = close;
    }
    return std::nullopt;
}

std::optional<Duration> parse_duration(std::string_view text) {
    double number = 0;
    const char* begin = text.data();
    const char* end = text.data() + text.size();
    auto [ptr, ec] = std::from_chars(begin, end, number);
    if (ec != std::errc{} || number < 0 || !std::isfinite(number)) return std::nullopt;
    const std::string_view unit(ptr, static_cast<std::size_t>(end - ptr));
    double ms = 0;
    if (unit.empty() || unit == "s") {
        ms = number * 1000;
    } else if (unit == "ms") {
        ms = number;
    } else if (unit == "m") {
        ms = number * 60'000;
    } else if (unit == "h") {
        ms = number * 3'600'000;
    } else {
        return std::nullopt;
    }
    if (ms > 1e15) return std::nullopt;
    return Duration(static_cast<Duration::rep>(std::llround(ms)));
}

std::string format_duration(Duration d) {
    const auto ms = d.count();
    if (ms % 3'600'000 == 0 && ms != 0) return std::to_string(ms / 3'600'000) + "h";
    if (ms % 60'000 == 0 && ms != 0) return std::to_string(ms / 60'000) + "m";
    if (ms % 1000 == 0) return std::to_string(ms / 1000) + "s";
    return std::to_string(ms) + "ms";
}

namespace option_detail {

std::string type_name_of_node(const YAML::Node& node) {
    switch (node.Type()) {
        case YAML::NodeType::Map:
            return "a map";
        case YAML::NodeType::Sequence:
            return "a list";
        case YAML::NodeType::Null:
            return "nothing";
        case YAML::NodeType::Scalar:
            return "'" + node.Scalar() + "'";
        default:
            return "nothing";
    }
}

std::optional<std::string> scalar_text(const YAML::Node& node, ParseState& state,
                                       const std::string& key) {
    if (!node.IsScalar()) {
        state.error(node, key, "expected a single value, got " + type_name_of_node(node));
        return std::nullopt;
    }
    std::string expanded;
    if (auto problem = expand_env(node.Scalar(), expanded)) {
        state.error(node, key, *problem);
        return std::nullopt;
    }
    return expanded;
}

bool parse_integer(const YAML::Node& node, ParseState& state, const std::string& key, long long min,
                   unsigned long long max, bool is_signed, long long& out_signed,
                   unsigned long long& out_unsigned) {
    auto text = scalar_text(node, state, key);
    if (!text) return false;
    const char* begin = text->data();
    const char* end = begin + text->size();
    const auto not_number = [&] {
        state.error(node, key, "expected a whole number, got '" + *text + "'");
        return false;
    };
    const auto out_of_range = [&] {
        state.error(node, key,
                    *text + " is out of range (" + std::to_string(min) + " to " +
                        std::to_string(max) + ")");
        return false;
    };
    if (text->empty()) return not_number();
    if (is_signed) {
        auto [ptr, ec] = std::from_chars(begin, end, out_signed);
        if (ec == std::errc::result_out_of_range) return out_of_range();
        if (ec != std::errc{} || ptr != end) return not_number();
        if (out_signed < min ||
            (out_signed > 0 && static_cast<unsigned long long>(out_signed) > max)) {
            return out_of_range();
        }
        return true;
    }
    if ((*text)[0] == '-') {
        long long probe = 0;
        auto [ptr, ec] = std::from_chars(begin, end, probe);
        return ec == std::errc{} && ptr == end ? out_of_range() : not_number();
    }
    auto [ptr, ec] = std::from_chars(begin, end, out_unsigned);
    if (ec == std::errc::result_out_of_range) return out_of_range();
    if (ec != std::errc{} || ptr != end) return not_number();
    if (out_unsigned > max) return out_of_range();
    return true;
}

bool check_range(const YAML::Node& node, ParseState& state, const std::string& key, double value,
                 const OptionRules& rules) {
    const auto number = [](double d) {
        std::ostringstream s;
        s << d;
        return s.str();
    };
    if ((rules.min && value < *rules.min) || (rules.max && value > *rules.max)) {
        std::string message = number(value) + " is out of range";
        if (rules.min && rules.max) {
            message += " (" + number(*rules.min) + " to " + number(*rules.max) + ")";
        } else if (rules.min) {
            message += " (at least " + number(*rules.min) + ")";
        } else {
            message += " (at most " + number(*rules.max) + ")";
        }
        state.error(node, key, message);
        return false;
    }
    return true;
}

bool check_file(const YAML::Node& node, ParseState& state, const std::string& key,
                const FilePath& path) {
    std::error_code ec;
    if (path.empty()) return true;
    if (!std::filesystem::is_regular_file(path.path, ec)) {
        state.error(node, key, "file " + path.path + " does not exist or is not a regular file");
        return false;
    }
    std::ifstream probe(path.path);
    if (!probe) {
        state.error(node, key, "file " + path.path + " cannot be read: " + std::strerror(errno));
        return false;
    }
    return true;
}

std::string join_path(const std::string& prefix, const std::string& key) {
    return prefix.empty() ? key : prefix + "." + key;
}

}  // namespace option_detail

bool OptionValue<bool>::parse(const YAML::Node& node, bool& out, ParseState& state,
                              const std::string& key) {
    auto text = option_detail::scalar_text(node, state, key);
    if (!text) return false;
    std::string lower;
    for (char c : *text)
        lower.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
    if (lower == "true" || lower == "yes" || lower == "on") {
        out = true;
        return true;
    }
    if (lower == "false" || lower == "no" || lower == "off") {
        out = false;
        return true;
    }
    state.error(node, key, "expected true or false, got '" + *text + "'");
    return false;
}

bool OptionValue<double>::parse(const YAML::Node& node, double& out, ParseState& state,
                                const std::string& key) {
    auto text = option_detail::scalar_text(node, state, key);
    if (!text) return false;
    auto [ptr, ec] = std::from_chars(text->data(), text->data() + text->size(), out);
    if (ec != std::errc{} || ptr != text->data() + text->size() || !std::isfinite(out)) {
        state.error(node, key, "expected a number, got '" + *text + "'");
        return false;
    }
    return true;
}

bool OptionValue<std::string>::parse(const YAML::Node& node, std::string& out, ParseState& state,
                                     const std::string& key) {
    auto text = option_detail::scalar_text(node, state, key);
    if (!text) return false;
    out = std::move(*text);
    return true;
}

bool OptionValue<Secret>::parse(const YAML::Node& node, Secret& out, ParseState& state,
                                const std::string& key) {
    auto text = option_detail::scalar_text(node, state, key);
    if (!text) return false;
    out = Secret(std::move(*text));
    return true;
}

bool OptionValue<Secret>::parse_file(const YAML::Node& node, Secret& out, ParseState& state,
                                     const std::string& key) {
    FilePath path;
    if (!OptionValue<FilePath>::parse(node, path, state, key)) return false;
    if (!option_detail::check_file(node, state, key, path)) return false;
    std::ifstream in(path.path, std::ios::binary);
    std::string content((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    while (!content.empty() && (content.back() == '\n' || content.back() == '\r')) {
        content.pop_back();
    }
    out = Secret(std::move(content));
    return true;
}

bool OptionValue<Duration>::parse(const YAML::Node& node, Duration& out, ParseState& state,
                                  const std::string& key) {
    auto text = option_detail::scalar_text(node, state, key);
    if (!text) return false;
    if (auto d = parse_duration(*text)) {
        out = *d;
        return true;
    }
    if (text->starts_with('-')) {
        state.error(node, key, "a duration cannot be negative, got '" + *text + "'");
        return false;
    }
    state.error(node, key, "expected a duration such as 500ms, 10s, 5m or 1h, got '" + *text + "'");
    return false;
}

bool OptionValue<Endpoint>::parse(const YAML::Node& node, Endpoint& out, ParseState& state,
                                  const std::string& key) {
    auto text = option_detail::scalar_text(node, state, key);
    if (!text) return false;
    std::string host;
    std::string port_text;
    if (!text->empty() && (*text)[0] == '[') {
        const auto close = text->find(']');
        if (close == std::string::npos || close + 1 >= text->size() || (*text)[close + 1] != ':') {
            state.error(node, key, "expected [ipv6-address]:port, got '" + *text + "'");
            return false;
        }
        host = text->substr(1, close - 1);
        port_text = text->substr(close + 2);
    } else {
        const auto colon = text->rfind(':');
        if (colon == std::string::npos) {
            state.error(node, key, "expected host:port, got '" + *text + "' (no port)");
            return false;
        }
        host = text->substr(0, colon);
        port_text = text->substr(colon + 1);
        if (host.find(':') != std::string::npos) {
            state.error(node, key, "write IPv6 addresses in brackets: [" + host + "]:" + port_text);
            return false;
        }
    }
    unsigned long port = 0;
    auto [ptr, ec] = std::from_chars(port_text.data(), port_text.data() + port_text.size(), port);
    if (ec != std::errc{} || ptr != port_text.data() + port_text.size() || port_text.empty() ||
        port > 65535) {
        state.error(node, key,
                    "bad port '" + port_text + "' in '" + *text +
                        "': a port is a number from 1 to 65535 (0 picks a free one)");
        return false;
    }
    if (!host.empty()) out.host = host;
    out.port = static_cast<std::uint16_t>(port);
    return true;
}

bool OptionValue<FilePath>::parse(const YAML::Node& node, FilePath& out, ParseState& state,
                                  const std::string& key) {
    auto text = option_detail::scalar_text(node, state, key);
    if (!text) return false;
    if (text->empty()) {
        out.path.clear();
        return true;
    }
    std::filesystem::path p(*text);
    if (p.is_relative()) p = std::filesystem::path(state.base_dir()) / p;
    out.path = p.lexically_normal().string();
    return true;
}

bool OptionValue<boost::asio::ip::address>::parse(const YAML::Node& node,
                                                  boost::asio::ip::address& out, ParseState& state,
                                                  const std::string& key) {
    auto text = option_detail::scalar_text(node, state, key);
    if (!text) return false;
    boost::system::error_code ec;
    auto address = boost::asio::ip::make_address(*text, ec);
    if (ec) {
        state.error(node, key, "'" + *text + "' is not an IPv4 or IPv6 address");
        return false;
    }
    out = address;
    return true;
}

bool OptionValue<std::map<std::string, std::string>>::parse(const YAML::Node& node,
                                                            std::map<std::string, std::string>& out,
                                                            ParseState& state,
                                                            const std::string& key) {
    out.clear();
    if (node.IsNull()) return true;
    if (!node.IsMap()) {
        state.error(node, key, "expected a map, got " + option_detail::type_name_of_node(node));
        return false;
    }
    bool ok = true;
    for (const auto& item : node) {
        const std::string name = item.first.Scalar();
        auto text =
            option_detail::scalar_text(item.second, state, option_detail::join_path(key, name));
        if (!text) {
            ok = false;
            continue;
        }
        out[name] = std::move(*text);
    }
    return ok;
}

}  // namespace netfeed
