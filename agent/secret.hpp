// A credential read from the config: its text is reachable only through reveal(), and formatting
// it (logs, metrics, error messages) prints a placeholder instead.
#pragma once

#include <fmt/format.h>

#include <string>
#include <utility>

namespace netfeed {

class Secret {
  public:
    Secret() = default;
    explicit Secret(std::string value) : value_(std::move(value)) {}

    const std::string& reveal() const noexcept { return value_; }
    bool empty() const noexcept { return value_.empty(); }
    bool operator==(const Secret&) const = default;

  private:
    std::string value_;
};

}  // namespace netfeed

template <>
struct fmt::formatter<netfeed::Secret> : fmt::formatter<std::string_view> {
    template <class Context>
    auto format(const netfeed::Secret&, Context& ctx) const {
        return fmt::formatter<std::string_view>::format("<redacted>", ctx);
    }
};
