// The agent process: loads the config, runs the pipeline and the HTTP endpoint, and turns
// SIGTERM/SIGINT into a bounded drain and SIGHUP into a reload.
#pragma once

#include <optional>
#include <string>

#include "agent/config.hpp"

namespace netfeed {

struct RunOptions {
    std::string config_path;
    std::optional<LogLevel> log_level;  // --log-level, wins over agent.log_level
    /// `netfeed replay`: a capture fed through the configured collectors; the agent stops once
    /// it is replayed and everything drained.
    std::string replay_file;
    bool replay_at_capture_pace = false;
    double replay_speed = 1.0;
};

/// Runs until SIGTERM or SIGINT. Returns the process exit code: 0 after a clean stop, 1 when
/// something failed at start, 2 for a configuration error.
int run_agent(const RunOptions& options);

/// `netfeed validate`: prints every problem of the config, one line each, to stderr.
/// Returns 0 when the config is usable, 2 otherwise.
int validate_config(const std::string& path);

}  // namespace netfeed
