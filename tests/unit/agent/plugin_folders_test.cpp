// Every plugin folder is registered under its folder name (one folder, one registration line).
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>

#include "agent/plugin_registry.hpp"

namespace netfeed {
namespace {

std::vector<std::string> plugin_folders(const std::string& kind) {
    std::vector<std::string> out;
    const auto root = std::filesystem::path(NETFEED_SOURCE_DIR) / kind;
    for (const auto& entry : std::filesystem::directory_iterator(root)) {
        const std::string name = entry.path().filename().string();
        // common/ holds code shared by the plugins of a kind; it is not a plugin.
        if (entry.is_directory() && name != "common") out.push_back(name);
    }
    return out;
}

void expect_registered(const std::string& kind, const std::vector<std::string>& types) {
    for (const auto& folder : plugin_folders(kind)) {
        EXPECT_NE(std::find(types.begin(), types.end(), folder), types.end())
            << kind << "/" << folder << " has no registration line in agent/plugins.cpp";
        EXPECT_TRUE(std::filesystem::exists(std::filesystem::path(NETFEED_SOURCE_DIR) / kind /
                                            folder / "README.md"))
            << kind << "/" << folder << " has no README.md";
    }
}

TEST(PluginFolders, EveryFolderIsRegisteredUnderItsName) {
    const auto& registry = builtin_plugins();
    expect_registered("collectors", registry.collector_types());
    expect_registered("enrichers", registry.enricher_types());
    expect_registered("sinks", registry.sink_types());
}

}  // namespace
}  // namespace netfeed
