// How each option type is read from YAML, written back as a documented default, and named in the
// schema: one OptionValue<T> specialization per type, used by OptionTable (option_table.hpp).
#pragma once

#include <yaml-cpp/yaml.h>

#include <boost/asio/ip/address.hpp>
#include <chrono>
#include <cstdint>
#include <limits>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

#include "agent/config_error.hpp"
#include "agent/option_types.hpp"
#include "agent/secret.hpp"

namespace netfeed {

/// Expands ${VAR} and ${VAR:-default} ("$$" is a literal "$"). Returns an error message instead
/// when a variable is unset and has no default.
std::optional<std::string> expand_env(std::string_view text, std::string& out);

/// "250ms", "10s", "5m", "1h", or a plain number of seconds.
std::optional<Duration> parse_duration(std::string_view text);
std::string format_duration(Duration d);

namespace option_detail {
/// A scalar's text with environment references expanded; reports and returns nullopt on error.
std::optional<std::string> scalar_text(const YAML::Node& node, ParseState& state,
                                       const std::string& key);
bool parse_integer(const YAML::Node& node, ParseState& state, const std::string& key, long long min,
                   unsigned long long max, bool is_signed, long long& out_signed,
                   unsigned long long& out_unsigned);
std::string type_name_of_node(const YAML::Node& node);
}  // namespace option_detail

template <class T, class Enable = void>
struct OptionValue;

template <>
struct OptionValue<bool> {
    static constexpr const char* type_name = "boolean";
    static bool parse(const YAML::Node& node, bool& out, ParseState& state, const std::string& key);
    static nlohmann::json to_json(bool v) { return v; }
};

template <class I>
struct OptionValue<I, std::enable_if_t<std::is_integral_v<I> && !std::is_same_v<I, bool>>> {
    static constexpr const char* type_name = "integer";
    static bool parse(const YAML::Node& node, I& out, ParseState& state, const std::string& key) {
        long long s = 0;
        unsigned long long u = 0;
        if (!option_detail::parse_integer(
                node, state, key, static_cast<long long>(std::numeric_limits<I>::min()),
                static_cast<unsigned long long>(std::numeric_limits<I>::max()), std::is_signed_v<I>,
                s, u)) {
            return false;
        }
        out = std::is_signed_v<I> ? static_cast<I>(s) : static_cast<I>(u);
        return true;
    }
    static nlohmann::json to_json(I v) { return v; }
};

template <>
struct OptionValue<double> {
    static constexpr const char* type_name = "number";
    static bool parse(const YAML::Node& node, double& out, ParseState& state,
                      const std::string& key);
    static nlohmann::json to_json(double v) { return v; }
};

template <>
struct OptionValue<std::string> {
    static constexpr const char* type_name = "string";
    static bool parse(const YAML::Node& node, std::string& out, ParseState& state,
                      const std::string& key);
    static nlohmann::json to_json(const std::string& v) { return v; }
};

template <>
struct OptionValue<Secret> {
    static constexpr const char* type_name = "secret";
    static bool parse(const YAML::Node& node, Secret& out, ParseState& state,
                      const std::string& key);
    /// Reads the secret from a file named by `<key>_file` (trailing newline removed).
    static bool parse_file(const YAML::Node& node, Secret& out, ParseState& state,
                           const std::string& key);
    static nlohmann::json to_json(const Secret&) { return nullptr; }
};

template <>
struct OptionValue<Duration> {
    static constexpr const char* type_name = "duration";
    static bool parse(const YAML::Node& node, Duration& out, ParseState& state,
                      const std::string& key);
    static nlohmann::json to_json(Duration v) { return format_duration(v); }
};

template <>
struct OptionValue<Endpoint> {
    static constexpr const char* type_name = "host:port";
    static bool parse(const YAML::Node& node, Endpoint& out, ParseState& state,
                      const std::string& key);
    static nlohmann::json to_json(const Endpoint& v) { return v.to_string(); }
};

template <>
struct OptionValue<FilePath> {
    static constexpr const char* type_name = "path";
    static bool parse(const YAML::Node& node, FilePath& out, ParseState& state,
                      const std::string& key);
    static nlohmann::json to_json(const FilePath& v) { return v.path; }
};

template <NamedEnum E>
struct OptionValue<E> {
    static constexpr const char* type_name = "enum";
    static bool parse(const YAML::Node& node, E& out, ParseState& state, const std::string& key) {
        auto text = option_detail::scalar_text(node, state, key);
        if (!text) return false;
        if (auto value = enum_from_name<E>(*text)) {
            out = *value;
            return true;
        }
        std::string names;
        for (const auto& [name, v] : EnumNames<E>::values) {
            names += names.empty() ? "" : ", ";
            names += name;
        }
        state.error(node, key, "'" + *text + "' is not one of: " + names);
        return false;
    }
    static nlohmann::json to_json(E v) { return std::string(enum_name(v)); }
    static nlohmann::json values() {
        nlohmann::json out = nlohmann::json::array();
        for (const auto& [name, v] : EnumNames<E>::values)
            out.push_back(std::string(name));
        return out;
    }
};

template <class T>
struct OptionValue<std::optional<T>> {
    static constexpr const char* type_name = OptionValue<T>::type_name;
    static bool parse(const YAML::Node& node, std::optional<T>& out, ParseState& state,
                      const std::string& key) {
        if (node.IsNull()) {
            out.reset();
            return true;
        }
        T value{};
        if (!OptionValue<T>::parse(node, value, state, key)) return false;
        out = std::move(value);
        return true;
    }
    static nlohmann::json to_json(const std::optional<T>& v) {
        return v ? OptionValue<T>::to_json(*v) : nlohmann::json(nullptr);
    }
};

template <class T>
struct OptionValue<std::vector<T>> {
    static constexpr const char* type_name = "list";
    static bool parse(const YAML::Node& node, std::vector<T>& out, ParseState& state,
                      const std::string& key) {
        out.clear();
        if (node.IsNull()) return true;
        if constexpr (std::is_same_v<T, std::string>) {
            // "a:9092,b:9092" is how Kafka people write broker lists; take it as a list.
            if (node.IsScalar()) {
                auto text = option_detail::scalar_text(node, state, key);
                if (!text) return false;
                std::size_t start = 0;
                while (start <= text->size()) {
                    std::size_t comma = text->find(',', start);
                    if (comma == std::string::npos) comma = text->size();
                    std::string item = text->substr(start, comma - start);
                    item.erase(0, item.find_first_not_of(" \t"));
                    item.erase(item.find_last_not_of(" \t") + 1);
                    if (!item.empty()) out.push_back(item);
                    start = comma + 1;
                }
                return true;
            }
        }
        if (!node.IsSequence()) {
            state.error(node, key,
                        "expected a list, got " + option_detail::type_name_of_node(node));
            return false;
        }
        bool ok = true;
        for (std::size_t i = 0; i < node.size(); ++i) {
            T item{};
            if (OptionValue<T>::parse(node[i], item, state, key + "[" + std::to_string(i) + "]")) {
                out.push_back(std::move(item));
            } else {
                ok = false;
            }
        }
        return ok;
    }
    static nlohmann::json to_json(const std::vector<T>& v) {
        nlohmann::json out = nlohmann::json::array();
        for (const auto& item : v)
            out.push_back(OptionValue<T>::to_json(item));
        return out;
    }
};

template <>
struct OptionValue<boost::asio::ip::address> {
    static constexpr const char* type_name = "ip-address";
    static bool parse(const YAML::Node& node, boost::asio::ip::address& out, ParseState& state,
                      const std::string& key);
    static nlohmann::json to_json(const boost::asio::ip::address& v) {
        return v.is_unspecified() ? nlohmann::json(nullptr) : nlohmann::json(v.to_string());
    }
};

/// Free-form string maps: librdkafka property pass-through, device tags.
template <>
struct OptionValue<std::map<std::string, std::string>> {
    static constexpr const char* type_name = "map";
    static bool parse(const YAML::Node& node, std::map<std::string, std::string>& out,
                      ParseState& state, const std::string& key);
    static nlohmann::json to_json(const std::map<std::string, std::string>& v) {
        return nlohmann::json(v);
    }
};

}  // namespace netfeed
