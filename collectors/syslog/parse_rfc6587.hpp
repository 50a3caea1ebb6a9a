// Splits a syslog TCP/TLS byte stream into messages (RFC 6587): octet counting ("LEN <PRI>...")
// or newline framing, told apart on the first message of each connection. Pure: bytes in,
// messages out, bounded memory, any input is safe.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

namespace netfeed::syslog {

enum class StreamFraming { undecided, octet_counting, newline };

class Rfc6587Framer {
public:
    /// Called per message; `truncated` when it was longer than max_message_bytes (only the
    /// first max_message_bytes are given; the rest is skipped up to the next message).
    using OnMessage = std::function<void(std::string_view message, bool truncated)>;

    explicit Rfc6587Framer(std::size_t max_message_bytes) : max_(max_message_bytes) {}

    /// Adds received bytes and reports every message they complete.
    void feed(std::string_view bytes, const OnMessage& on_message);
    /// The peer closed the connection: a last newline-framed message without its newline is
    /// still a message.
    void finish(const OnMessage& on_message);

    StreamFraming framing() const noexcept { return framing_; }
    /// Octet-counting headers that made no sense (the stream is then read as newline framed).
    std::uint64_t framing_errors() const noexcept { return framing_errors_; }
    /// Bytes held waiting for the end of a message (never above max_message_bytes + 16).
    std::size_t buffered() const noexcept { return buffer_.size(); }

private:
    void decide();
    bool next_octet_counted(const OnMessage& on_message);
    bool next_newline(const OnMessage& on_message);
    void emit(std::string_view message, bool truncated, const OnMessage& on_message);

    std::size_t max_;
    StreamFraming framing_ = StreamFraming::undecided;
    std::string buffer_;
    std::size_t skip_ = 0;          // octet counting: bytes of an oversized message to skip
    bool skip_to_newline_ = false;  // newline framing: rest of an oversized line to skip
    std::uint64_t framing_errors_ = 0;
};

}  // namespace netfeed::syslog
