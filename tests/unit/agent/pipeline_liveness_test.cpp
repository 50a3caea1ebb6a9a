// Pipeline::stalled(), which gates the systemd watchdog pings: quiet while the worker and the
// sinks keep turning (idle included), and naming the sink whose thread is stuck in a write.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <thread>

#include "agent/logging.hpp"
#include "agent/pipeline.hpp"

namespace netfeed {
namespace {

using namespace std::chrono_literals;

class PipelineLivenessTest : public ::testing::Test {
  protected:
    void SetUp() override {
        setup_logging(LogLevel::warn);
        dir_ = std::filesystem::temp_directory_path() /
               ("netfeed_liveness_" + std::to_string(::getpid()) + "_" +
                ::testing::UnitTest::GetInstance()->current_test_info()->name());
        std::filesystem::remove_all(dir_);
        std::filesystem::create_directories(dir_);
        io_thread_ = std::thread([this] { io_.run(); });
    }
    void TearDown() override {
        work_.reset();
        io_.stop();
        io_thread_.join();
        std::filesystem::remove_all(dir_);
    }

    BuiltConfig build(const std::string& yaml) {
        return build_config(parse_config_text(yaml, (dir_ / "netfeed.yaml").string()),
                            builtin_plugins());
    }

    std::filesystem::path dir_;
    boost::asio::io_context io_;
    boost::asio::executor_work_guard<boost::asio::io_context::executor_type> work_ =
        boost::asio::make_work_guard(io_);
    std::thread io_thread_;
    MetricsRegistry metrics_;
};

TEST_F(PipelineLivenessTest, AnIdlePipelineIsLive) {
    Pipeline pipeline(io_, metrics_);
    pipeline.start(
        build("agent: {http: {enabled: false}}\nkafka: {embedded_listen: '127.0.0.1:0'}\n"
              "collectors:\n  - {type: generator, count: 10, rate: 0}\n"
              "sinks:\n  - {type: file, name: out, path: out.jsonl}\n"
              "routes:\n  - {sink: out}\n"));
    // Longer than the allowed silence, with nothing to do after the first ten records.
    std::this_thread::sleep_for(700ms);
    EXPECT_EQ(pipeline.stalled(300ms), "");
    pipeline.stop();
}

TEST_F(PipelineLivenessTest, ASinkBlockedInAWriteIsStalled) {
    // A FIFO whose reader never reads: once the pipe's buffer is full the file sink's write()
    // blocks, as it would on a hung NFS mount.
    const auto fifo = dir_ / "out.fifo";
    ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
    const int reader = ::open(fifo.c_str(), O_RDONLY | O_NONBLOCK);
    ASSERT_GE(reader, 0);

    Pipeline pipeline(io_, metrics_);
    pipeline.start(
        build("agent: {http: {enabled: false}}\nkafka: {embedded_listen: '127.0.0.1:0'}\n"
              "collectors:\n  - {type: generator, count: 20000, rate: 0}\n"
              "sinks:\n  - {type: file, name: out, path: out.fifo}\n"
              "routes:\n  - {sink: out}\n"));
    std::string stalled;
    for (int i = 0; i < 60 && stalled.empty(); ++i) {
        std::this_thread::sleep_for(100ms);
        stalled = pipeline.stalled(300ms);
    }
    EXPECT_NE(stalled.find("sink out made no progress"), std::string::npos) << stalled;

    // Unblock: read everything so that stop() can drain and the sink can close.
    std::atomic<bool> done{false};
    std::thread drain([&] {
        char buffer[65536];
        while (!done.load()) {
            if (::read(reader, buffer, sizeof buffer) <= 0) std::this_thread::sleep_for(5ms);
        }
    });
    std::this_thread::sleep_for(500ms);
    EXPECT_EQ(pipeline.stalled(300ms), "") << "the sink moves again once its reader reads";
    const PipelineReport report = pipeline.stop();
    done.store(true);
    drain.join();
    ::close(reader);
    EXPECT_EQ(report.accepted, 20000u);
}

}  // namespace
}  // namespace netfeed
