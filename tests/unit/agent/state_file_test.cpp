// State files: written whole through a temporary and a rename, missing told from unreadable.
#include "agent/state_file.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

namespace netfeed {
namespace {

namespace fs = std::filesystem;

class StateFileTest : public ::testing::Test {
  protected:
    void SetUp() override {
        dir_ = fs::temp_directory_path() / ("netfeed-state-file-" + std::to_string(::getpid()));
        fs::remove_all(dir_);
    }
    void TearDown() override { fs::remove_all(dir_); }
    fs::path dir_;
};

TEST_F(StateFileTest, WritesIntoNewDirectoriesAndReplacesWhole) {
    const std::string path = (dir_ / "collector" / "state.json").string();
    std::string text;
    std::string error;
    EXPECT_EQ(read_state_file(path, text, error), StateRead::missing);
    ASSERT_EQ(write_state_file(path, "first version, longer than the second\n"), "");
    ASSERT_EQ(write_state_file(path, "second\n"), "");
    ASSERT_EQ(read_state_file(path, text, error), StateRead::ok) << error;
    EXPECT_EQ(text, "second\n");
    EXPECT_FALSE(fs::exists(path + ".tmp"));
}

TEST_F(StateFileTest, FailuresAreToldNotThrown) {
    fs::create_directories(dir_);
    // A directory where the file should be: the rename cannot replace it.
    const std::string path = (dir_ / "taken").string();
    fs::create_directories(fs::path(path) / "inside");
    EXPECT_NE(write_state_file(path, "x"), "");
    EXPECT_FALSE(fs::exists(path + ".tmp"));
    std::string text;
    std::string error;
    EXPECT_EQ(read_state_file(path, text, error), StateRead::failed);
    EXPECT_FALSE(error.empty());
}

}  // namespace
}  // namespace netfeed
