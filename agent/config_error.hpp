// Configuration problems that point at the file, line, column and key, collected so that one
// `netfeed validate` run reports every mistake, one line each.
#pragma once

#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace YAML {
class Node;
}

namespace netfeed {

struct ConfigIssue {
    std::string file;
    int line = 0;     // 1-based; 0 when the problem has no position (a missing config file)
    int column = 0;   // 1-based
    std::string key;  // dotted path, e.g. "collectors[0].port"
    std::string message;

    /// "file:line:column: key: message" (no column when it is 0)
    std::string to_string() const;
};

/// Thrown when a configuration cannot be used; what() is every issue, one per line, in the
/// order of the file (by file, line and column).
class ConfigError : public std::runtime_error {
  public:
    explicit ConfigError(std::vector<ConfigIssue> issues);
    const std::vector<ConfigIssue>& issues() const noexcept { return issues_; }

  private:
    std::vector<ConfigIssue> issues_;
};

/// Where parsing is (file and directory for relative paths) and what went wrong so far.
class ParseState {
  public:
    explicit ParseState(std::string file);

    const std::string& file() const noexcept { return file_; }
    /// Directory relative paths in the config are resolved against (the config file's own).
    const std::string& base_dir() const noexcept { return base_dir_; }

    /// Records a problem at `at`'s position (its parent's when `at` has none).
    void error(const YAML::Node& at, std::string_view key, std::string message);
    void error_at(int line, int column, std::string_view key, std::string message);
    bool ok() const noexcept { return issues_.empty(); }
    std::size_t issue_count() const noexcept { return issues_.size(); }
    const std::vector<ConfigIssue>& issues() const noexcept { return issues_; }
    /// Throws ConfigError when anything was recorded.
    void throw_if_errors() const;

    /// A problem that does not stop the load (a hand-kept inventory's short row), in a file the
    /// config names; `netfeed validate` prints it, the running plugin logs it.
    void warning_at(std::string file, int line, std::string_view key, std::string message);
    const std::vector<ConfigIssue>& warnings() const noexcept { return warnings_; }

  private:
    std::string file_;
    std::string base_dir_;
    std::vector<ConfigIssue> issues_;
    std::vector<ConfigIssue> warnings_;
};

/// "did you mean 'x'?" for a mistyped key, or "" when nothing is close.
std::string suggest_key(std::string_view typo, const std::vector<std::string>& known);

}  // namespace netfeed
