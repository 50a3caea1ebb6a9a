// RFC 6587 stream framing: octet counting versus newline framing, limits and resynchronisation.
#include "collectors/syslog/parse_rfc6587.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace netfeed::syslog {
namespace {

struct Frame {
    std::string text;
    bool truncated;
    bool operator==(const Frame&) const = default;
};

std::vector<Frame> frames_of(const std::vector<std::string>& chunks, std::size_t max = 1024,
                             Rfc6587Framer* out = nullptr) {
    Rfc6587Framer local(max);
    Rfc6587Framer& framer = out ? *out : local;
    std::vector<Frame> frames;
    const auto on = [&](std::string_view text, bool truncated) {
        frames.push_back({std::string(text), truncated});
    };
    for (const auto& chunk : chunks) framer.feed(chunk, on);
    framer.finish(on);
    return frames;
}

TEST(Rfc6587Framer, OctetCountingAcrossChunkBoundaries) {
    Rfc6587Framer framer(1024);
    const auto frames = frames_of({"15 <13>hello w", "orld7 <13>", "bye"}, 1024, &framer);
    EXPECT_EQ(framer.framing(), StreamFraming::octet_counting);
    EXPECT_EQ(frames, (std::vector<Frame>{{"<13>hello world", false}, {"<13>bye", false}}));
}

TEST(Rfc6587Framer, OctetCountingKeepsNewlinesInsideAMessage) {
    const auto frames = frames_of({"16 <13>two\nlines ok", "9 <13>third"});
    EXPECT_EQ(frames, (std::vector<Frame>{{"<13>two\nlines ok", false}, {"<13>third", false}}));
}

TEST(Rfc6587Framer, NewlineFramingWithCrLfAndEmptyLines) {
    Rfc6587Framer framer(1024);
    const auto frames = frames_of({"<13>one\r\n\n<13>tw", "o\n<13>three"}, 1024, &framer);
    EXPECT_EQ(framer.framing(), StreamFraming::newline);
    EXPECT_EQ(frames, (std::vector<Frame>{{"<13>one", false}, {"<13>two", false},
                                          {"<13>three", false}}));
}

TEST(Rfc6587Framer, NxosLinesStartingWithAYearAreNewlineFramed) {
    const auto frames = frames_of(
        {"2021 Nov  6 06:16:05 r1 %ETHPORT-5-IF_DOWN_LINK_FAILURE: down\n2021 Nov  6 r1 b\n"});
    ASSERT_EQ(frames.size(), 2u);
    EXPECT_EQ(frames[0].text, "2021 Nov  6 06:16:05 r1 %ETHPORT-5-IF_DOWN_LINK_FAILURE: down");
}

TEST(Rfc6587Framer, DecisionWaitsForEnoughBytes) {
    const auto frames = frames_of({"1", "3", " ", "<", "13>abcdefghi"});
    EXPECT_EQ(frames, (std::vector<Frame>{{"<13>abcdefghi", false}}));
}

TEST(Rfc6587Framer, OversizedOctetCountedMessageIsCutAndTheStreamResumes) {
    const std::string big(100, 'x');
    const auto frames = frames_of({"104 <13>" + big, "9 <13>after"}, 50);
    ASSERT_EQ(frames.size(), 2u);
    EXPECT_EQ(frames[0], (Frame{"<13>" + big.substr(0, 46), true}));
    EXPECT_EQ(frames[1], (Frame{"<13>after", false}));
}

TEST(Rfc6587Framer, OversizedLineIsCutAndTheRestSkippedToTheNewline) {
    Rfc6587Framer framer(10);
    const auto frames = frames_of({"<13>0123456789abcdef", "ghij\n<13>ok\n"}, 10, &framer);
    EXPECT_EQ(frames, (std::vector<Frame>{{"<13>012345", true}, {"<13>ok", false}}));
    EXPECT_LE(framer.buffered(), 10u + 11u);
}

TEST(Rfc6587Framer, BrokenOctetHeaderFallsBackToNewlineFraming) {
    Rfc6587Framer framer(1024);
    const auto frames = frames_of({"9 <13>first", "oops not a length\n<13>next\n"}, 1024, &framer);
    EXPECT_EQ(framer.framing_errors(), 1u);
    EXPECT_EQ(frames, (std::vector<Frame>{{"<13>first", false},
                                          {"oops not a length", false},
                                          {"<13>next", false}}));
}

TEST(Rfc6587Framer, HugeLengthDoesNotBufferUnbounded) {
    Rfc6587Framer framer(64);
    std::vector<Frame> frames;
    framer.feed("999999999 <13>", [&](std::string_view t, bool tr) { frames.push_back({std::string(t), tr}); });
    for (int i = 0; i < 1000; ++i) {
        framer.feed(std::string(1000, 'y'), [&](std::string_view t, bool tr) {
            frames.push_back({std::string(t), tr});
        });
        ASSERT_LE(framer.buffered(), 64u + 11u);
    }
    ASSERT_EQ(frames.size(), 1u);
    EXPECT_TRUE(frames[0].truncated);
}

}  // namespace
}  // namespace netfeed::syslog
