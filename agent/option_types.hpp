// The plain value types options are read into (durations, endpoints, paths, named enums),
// apart from how they are read from YAML (option_values.hpp), so that the interfaces holding
// them (config_types.hpp, sink.hpp) need no YAML parser.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>

namespace netfeed {

using Duration = std::chrono::milliseconds;

/// host:port, "[v6]:port" or ":port" (host left to the option's default).
struct Endpoint {
    std::string host;
    std::uint16_t port = 0;
    std::string to_string() const;
    bool operator==(const Endpoint&) const = default;
};

/// A file path from the config, resolved against the config file's directory when relative.
struct FilePath {
    std::string path;
    bool empty() const noexcept { return path.empty(); }
    bool operator==(const FilePath&) const = default;
};

/// Names of an enum's values as the config spells them; specialize `values` for each enum.
template <class E>
struct EnumNames;  // static constexpr std::pair<std::string_view, E> values[] = {...};

template <class E>
concept NamedEnum = std::is_enum_v<E> && requires {
    EnumNames<E>::values;
};

template <NamedEnum E>
std::string_view enum_name(E value) {
    for (const auto& [name, v] : EnumNames<E>::values) {
        if (v == value) return name;
    }
    return "?";
}

template <NamedEnum E>
std::optional<E> enum_from_name(std::string_view name) {
    for (const auto& [n, v] : EnumNames<E>::values) {
        if (n == name) return v;
    }
    return std::nullopt;
}

}  // namespace netfeed
