// A typed options struct's descriptor table: name, type, default, doc and checks of every key.
// It parses a YAML map strictly (unknown keys, wrong types and bad values name file:line:column
// and the key) and describes itself for `netfeed options` and the plugin READMEs.
//
//   struct Options {
//       Endpoint listen{"0.0.0.0", 5514};
//       std::size_t max_message_bytes = 8192;
//       static const OptionTable<Options>& options();
//   };
//   const OptionTable<Options>& Options::options() {
//       static const auto table = OptionTable<Options>()
//           .add("listen", &Options::listen, "Address and UDP port to receive on.")
//           .add("max_message_bytes", &Options::max_message_bytes, "Longer messages are cut.",
//                range(64, 65535));
//       return table;
//   }
#pragma once

#include <functional>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "agent/option_values.hpp"

namespace netfeed {

template <class T>
class OptionTable;

template <class T>
concept HasOptionTable = requires {
    { T::options() } -> std::same_as<const OptionTable<T>&>;
};

/// Extra rules for one option, passed to OptionTable::add.
struct OptionRules {
    bool required = false;
    std::optional<double> min;
    std::optional<double> max;
    bool must_exist = false;  // FilePath: the file must be readable at load time
};

inline OptionRules required() {
    OptionRules rules;
    rules.required = true;
    return rules;
}
inline OptionRules range(double min, double max) {
    OptionRules rules;
    rules.min = min;
    rules.max = max;
    return rules;
}
inline OptionRules existing_file() {
    OptionRules rules;
    rules.must_exist = true;
    return rules;
}

/// What a check() returns for the problems it found: nothing, or all of them in one message
/// ("interval must be at least 1s; port must not be 0").
inline std::optional<std::string> check_result(const std::vector<std::string>& problems) {
    if (problems.empty()) return std::nullopt;
    std::string out;
    for (const auto& p : problems)
        out += (out.empty() ? "" : "; ") + p;
    return out;
}

namespace option_detail {
bool check_range(const YAML::Node& node, ParseState& state, const std::string& key, double value,
                 const OptionRules& rules);
bool check_file(const YAML::Node& node, ParseState& state, const std::string& key,
                const FilePath& path);
std::string join_path(const std::string& prefix, const std::string& key);
}  // namespace option_detail

template <class T>
class OptionTable {
  public:
    struct Entry {
        std::string name;
        std::string type;
        std::string doc;
        OptionRules rules;
        bool secret = false;
        std::function<bool(T&, const YAML::Node&, ParseState&, const std::string&)> parse;
        std::function<bool(T&, const YAML::Node&, ParseState&, const std::string&)> parse_file;
        std::function<nlohmann::json(const T&)> to_json;
        std::function<nlohmann::json()> extra;  // enum values or a nested table's schema
    };
    using Check = std::function<std::optional<std::string>(const T&)>;

    template <class M>
    OptionTable&& add(std::string name, M T::*member, std::string doc, OptionRules rules = {}) && {
        add_entry(std::move(name), member, std::move(doc), rules);
        return std::move(*this);
    }
    template <class M>
    OptionTable& add(std::string name, M T::*member, std::string doc, OptionRules rules = {}) & {
        add_entry(std::move(name), member, std::move(doc), rules);
        return *this;
    }

    /// A rule across several options, checked after the map parsed cleanly; the message is
    /// reported at the map.
    OptionTable&& check(Check rule) && {
        checks_.push_back(std::move(rule));
        return std::move(*this);
    }

    /// Parses `node` (a map, or null for all defaults) into `out`, reporting every problem into
    /// `state`. Keys listed in `reserved` belong to the caller (a plugin's `type:` and `name:`).
    /// Returns true when nothing was wrong.
    bool parse(const YAML::Node& node, T& out, ParseState& state, const std::string& prefix,
               const std::set<std::string>& reserved = {}) const {
        if (!node.IsDefined() || node.IsNull())
            return check_required({}, node, state, prefix) && run_checks(node, out, state, prefix);
        if (!node.IsMap()) {
            state.error(node, prefix,
                        "expected a map of options, got " + option_detail::type_name_of_node(node));
            return false;
        }
        const std::size_t issues_before = state.issue_count();
        std::set<std::string> seen;
        for (const auto& item : node) {
            const std::string key = item.first.Scalar();
            const std::string path = option_detail::join_path(prefix, key);
            if (reserved.contains(key)) continue;
            if (!seen.insert(key).second) {
                state.error(item.first, path, "key given twice");
                continue;
            }
            const Entry* entry = find(key);
            if (entry != nullptr) {
                entry->parse(out, item.second, state, path);
                continue;
            }
            const Entry* file_entry = secret_file_entry(key);
            if (file_entry != nullptr) {
                seen.insert(file_entry->name);
                file_entry->parse_file(out, item.second, state, path);
                continue;
            }
            std::string message = "unknown key";
            const std::string hint = suggest_key(key, names());
            message += hint.empty() ? "; valid keys: " + names_text() : "; " + hint;
            state.error(item.first, path, message);
        }
        check_required(seen, node, state, prefix);
        if (state.issue_count() != issues_before) return false;
        return run_checks(node, out, state, prefix);
    }

    nlohmann::json describe() const {
        nlohmann::json out = nlohmann::json::array();
        const T defaults{};
        for (const auto& e : entries_) {
            nlohmann::json item = {{"name", e.name}, {"type", e.type}, {"doc", e.doc}};
            if (e.rules.required) {
                item["required"] = true;
            } else {
                item["default"] = e.to_json(defaults);
            }
            if (e.rules.min) item["min"] = *e.rules.min;
            if (e.rules.max) item["max"] = *e.rules.max;
            if (e.secret) item["also"] = e.name + "_file";
            if (e.extra) {
                auto extra = e.extra();
                if (e.type == "enum") {
                    item["values"] = extra;
                } else {
                    item["options"] = extra;
                }
            }
            out.push_back(std::move(item));
        }
        return out;
    }

    std::vector<std::string> names() const {
        std::vector<std::string> out;
        for (const auto& e : entries_)
            out.push_back(e.name);
        return out;
    }
    const std::vector<Entry>& entries() const noexcept { return entries_; }

  private:
    template <class M>
    void add_entry(std::string name, M T::*member, std::string doc, OptionRules rules) {
        Entry e;
        e.name = std::move(name);
        e.doc = std::move(doc);
        e.rules = rules;
        e.to_json = [member](const T& t) { return OptionValue<M>::to_json(t.*member); };
        e.parse = [member, rules](T& t, const YAML::Node& node, ParseState& state,
                                  const std::string& key) {
            (void)rules;  // only some option types have rules to check
            M value = t.*member;
            if (!OptionValue<M>::parse(node, value, state, key)) return false;
            if constexpr (std::is_arithmetic_v<M>) {
                if (!option_detail::check_range(node, state, key, static_cast<double>(value),
                                                rules)) {
                    return false;
                }
            }
            if constexpr (std::is_same_v<M, FilePath>) {
                if (rules.must_exist && !option_detail::check_file(node, state, key, value)) {
                    return false;
                }
            }
            t.*member = std::move(value);
            return true;
        };
        if constexpr (std::is_same_v<M, Secret>) {
            e.secret = true;
            e.parse_file = [member](T& t, const YAML::Node& node, ParseState& state,
                                    const std::string& key) {
                return OptionValue<Secret>::parse_file(node, t.*member, state, key);
            };
        }
        e.type = OptionValue<M>::type_name;
        if constexpr (HasOptionTable<M>) {
            e.extra = [] { return M::options().describe(); };
        } else if constexpr (requires { OptionValue<M>::values(); }) {
            e.extra = [] { return OptionValue<M>::values(); };
        }
        entries_.push_back(std::move(e));
    }

    const Entry* find(const std::string& key) const {
        for (const auto& e : entries_) {
            if (e.name == key) return &e;
        }
        return nullptr;
    }
    const Entry* secret_file_entry(const std::string& key) const {
        constexpr std::string_view suffix = "_file";
        if (key.size() <= suffix.size() || !key.ends_with(suffix)) return nullptr;
        const Entry* e = find(key.substr(0, key.size() - suffix.size()));
        return e != nullptr && e->secret ? e : nullptr;
    }
    std::string names_text() const {
        std::string out;
        for (const auto& e : entries_)
            out += (out.empty() ? "" : ", ") + e.name;
        return out;
    }
    bool check_required(const std::set<std::string>& seen, const YAML::Node& node,
                        ParseState& state, const std::string& prefix) const {
        bool ok = true;
        for (const auto& e : entries_) {
            if (e.rules.required && !seen.contains(e.name)) {
                state.error(node, prefix, "missing required key '" + e.name + "'");
                ok = false;
            }
        }
        return ok;
    }
    bool run_checks(const YAML::Node& node, const T& out, ParseState& state,
                    const std::string& prefix) const {
        bool ok = true;
        for (const auto& rule : checks_) {
            if (auto message = rule(out)) {
                state.error(node, prefix, *message);
                ok = false;
            }
        }
        return ok;
    }

    std::vector<Entry> entries_;
    std::vector<Check> checks_;
};

/// Nested option structs (a device entry, the agent section) are maps parsed by their own table.
template <HasOptionTable T>
struct OptionValue<T> {
    static constexpr const char* type_name = "map";
    static bool parse(const YAML::Node& node, T& out, ParseState& state, const std::string& key) {
        return T::options().parse(node, out, state, key);
    }
    static nlohmann::json to_json(const T& value) {
        nlohmann::json out = nlohmann::json::object();
        for (const auto& e : T::options().entries())
            out[e.name] = e.to_json(value);
        return out;
    }
};

}  // namespace netfeed
