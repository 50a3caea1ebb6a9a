// Configuration issue reporting; see config_error.hpp.
#include "agent/config_error.hpp"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <filesystem>
#include <tuple>

namespace netfeed {

std::string ConfigIssue::to_string() const {
    std::string out = file;
    if (line > 0) out += ":" + std::to_string(line);
    if (line > 0 && column > 0) out += ":" + std::to_string(column);
    out += ": ";
    if (!key.empty()) out += key + ": ";
    out += message;
    return out;
}

namespace {
// Stages report in their own order (sections, cross-checks, plugins); the reader wants the
// file's order.
std::vector<ConfigIssue> in_file_order(std::vector<ConfigIssue> issues) {
    std::stable_sort(issues.begin(), issues.end(), [](const ConfigIssue& a, const ConfigIssue& b) {
        return std::tie(a.file, a.line, a.column) < std::tie(b.file, b.line, b.column);
    });
    return issues;
}

std::string join_issues(const std::vector<ConfigIssue>& issues) {
    std::string out;
    for (const auto& issue : issues) {
        if (!out.empty()) out += '\n';
        out += issue.to_string();
    }
    return out;
}
}  // namespace

ConfigError::ConfigError(std::vector<ConfigIssue> issues)
    : std::runtime_error(join_issues(in_file_order(issues))),
      issues_(in_file_order(std::move(issues))) {}

ParseState::ParseState(std::string file) : file_(std::move(file)) {
    auto dir = std::filesystem::path(file_).parent_path();
    base_dir_ = dir.empty() ? std::string(".") : dir.string();
}

void ParseState::error(const YAML::Node& at, std::string_view key, std::string message) {
    int line = 0;
    int column = 0;
    if (at.IsDefined()) {
        const YAML::Mark mark = at.Mark();
        if (!mark.is_null()) {
            line = mark.line + 1;
            column = mark.column + 1;
        }
    }
    error_at(line, column, key, std::move(message));
}

void ParseState::error_at(int line, int column, std::string_view key, std::string message) {
    issues_.push_back({file_, line, column, std::string(key), std::move(message)});
}

void ParseState::warning_at(std::string file, int line, std::string_view key, std::string message) {
    warnings_.push_back({std::move(file), line, 0, std::string(key), std::move(message)});
}

void ParseState::throw_if_errors() const {
    if (!issues_.empty()) throw ConfigError(issues_);
}

namespace {
std::size_t edit_distance(std::string_view a, std::string_view b) {
    std::vector<std::size_t> row(b.size() + 1);
    for (std::size_t j = 0; j <= b.size(); ++j)
        row[j] = j;
    for (std::size_t i = 1; i <= a.size(); ++i) {
        std::size_t diagonal = row[0];
        row[0] = i;
        for (std::size_t j = 1; j <= b.size(); ++j) {
            const std::size_t above = row[j];
            row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] != b[j - 1])});
            diagonal = above;
        }
    }
    return row[b.size()];
}
}  // namespace

std::string suggest_key(std::string_view typo, const std::vector<std::string>& known) {
    std::string best;
    std::size_t best_distance = 3;  // more than two edits away is not a typo of it
    for (const auto& candidate : known) {
        const std::size_t d = edit_distance(typo, candidate);
        if (d < best_distance) {
            best_distance = d;
            best = candidate;
        }
    }
    return best.empty() ? std::string() : "did you mean '" + best + "'?";
}

}  // namespace netfeed
