// Field names that records never own: literals, or names interned once at load time
// (inventory columns, user-defined SNMP columns), so adding a field to a record never allocates.
#pragma once

#include <cstddef>
#include <string_view>

namespace netfeed {

class FieldName {
  public:
    /// Only string literals convert implicitly: they live for the whole program.
    template <std::size_t N>
    consteval FieldName(const char (&literal)[N])  // NOLINT: literals convert implicitly
        : name_(literal, N - 1), plain_(is_plain(name_)) {}

    /// Returns a name with program lifetime for text known only at run time. The pool only grows,
    /// so call it when loading configuration, not per record.
    static FieldName intern(std::string_view name);

    constexpr std::string_view view() const noexcept { return name_; }
    /// True when the name needs no JSON escaping (letters, digits, '_', '.', '-'), so the
    /// serializer can copy it as is.
    constexpr bool plain() const noexcept { return plain_; }
    bool operator==(const FieldName& other) const noexcept {
        return name_.data() == other.name_.data() ? name_.size() == other.name_.size()
                                                  : name_ == other.name_;
    }
    bool operator==(std::string_view other) const noexcept { return name_ == other; }

  private:
    struct Interned {};
    constexpr FieldName(Interned, std::string_view name) : name_(name), plain_(is_plain(name)) {}
    static constexpr bool is_plain(std::string_view name) {
        for (char c : name) {
            const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                            (c >= '0' && c <= '9') || c == '_' || c == '.' || c == '-';
            if (!ok) return false;
        }
        return true;
    }
    std::string_view name_;
    bool plain_ = true;
};

}  // namespace netfeed
