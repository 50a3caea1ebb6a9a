// Renders an option table's schema as the Markdown table each plugin README carries, so the
// READMEs are generated from the code and a test catches drift.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

namespace netfeed {

/// `options` is OptionTable::describe() output. Nested maps become rows named parent.child.
std::string options_markdown(const nlohmann::json& options);

}  // namespace netfeed
