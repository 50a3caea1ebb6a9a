// RFC 6587 stream framing; see parse_rfc6587.hpp.
#include "collectors/syslog/parse_rfc6587.hpp"

namespace netfeed::syslog {

namespace {
constexpr std::size_t kMaxLengthDigits = 9;  // up to 999,999,999 bytes: more is nonsense

bool is_digit(char c) { return c >= '0' && c <= '9'; }

// "LEN SP" at the start of `text`: the number of digits, or 0 when it is not (yet) a header.
// `complete` is false when more bytes are needed to tell.
std::size_t octet_header_digits(std::string_view text, bool& complete) {
    complete = true;
    std::size_t digits = 0;
    while (digits < text.size() && digits <= kMaxLengthDigits && is_digit(text[digits])) ++digits;
    if (digits == 0 || text[0] == '0' || digits > kMaxLengthDigits) return 0;
    if (digits == text.size()) {
        complete = false;
        return 0;
    }
    return text[digits] == ' ' ? digits : 0;
}
}  // namespace

void Rfc6587Framer::emit(std::string_view message, bool truncated, const OnMessage& on_message) {
    while (!message.empty() && (message.back() == '\r' || message.back() == '\n')) {
        message.remove_suffix(1);
    }
    if (!message.empty()) on_message(message, truncated);
}

void Rfc6587Framer::decide() {
    // Octet counting only when the message after "LEN " starts with "<": NX-OS lines begin with
    // a year ("2021 Nov ...") and must stay newline framed.
    bool complete = true;
    const std::size_t digits = octet_header_digits(buffer_, complete);
    if (!complete) return;
    if (digits != 0) {
        if (buffer_.size() < digits + 2) return;
        framing_ = buffer_[digits + 1] == '<' ? StreamFraming::octet_counting
                                              : StreamFraming::newline;
        return;
    }
    framing_ = StreamFraming::newline;
}

void Rfc6587Framer::feed(std::string_view bytes, const OnMessage& on_message) {
    while (!bytes.empty()) {
        if (skip_ > 0) {
            const std::size_t n = std::min(skip_, bytes.size());
            skip_ -= n;
            bytes.remove_prefix(n);
            continue;
        }
        if (skip_to_newline_) {
            const auto newline = bytes.find('\n');
            if (newline == std::string_view::npos) return;
            skip_to_newline_ = false;
            bytes.remove_prefix(newline + 1);
            continue;
        }
        // Take no more than can make a message, so that the buffer stays bounded: every
        // framing makes progress once it holds this much.
        const std::size_t cap = max_ + kMaxLengthDigits + 2;
        const std::size_t room = cap > buffer_.size() ? cap - buffer_.size() : 0;
        if (room == 0) {
            // Cannot happen by the rule above; never spin on it.
            ++framing_errors_;
            buffer_.clear();
            continue;
        }
        const std::size_t take = std::min(bytes.size(), room);
        buffer_.append(bytes.data(), take);
        bytes.remove_prefix(take);
        while (true) {
            if (framing_ == StreamFraming::undecided) decide();
            bool progressed = false;
            if (framing_ == StreamFraming::octet_counting) {
                progressed = next_octet_counted(on_message);
            } else if (framing_ == StreamFraming::newline) {
                progressed = next_newline(on_message);
            }
            if (!progressed) break;
        }
        if (framing_ == StreamFraming::undecided && buffer_.size() > kMaxLengthDigits + 2) {
            framing_ = StreamFraming::newline;
            continue;
        }
    }
}

bool Rfc6587Framer::next_octet_counted(const OnMessage& on_message) {
    // Leading whitespace between messages (some senders add a newline) is harmless.
    std::size_t start = 0;
    while (start < buffer_.size() && (buffer_[start] == '\n' || buffer_[start] == '\r')) ++start;
    if (start > 0) buffer_.erase(0, start);
    if (buffer_.empty()) return false;
    bool complete = true;
    const std::size_t digits = octet_header_digits(buffer_, complete);
    if (!complete) return false;
    if (digits == 0) {
        // Not a length: the sender is not (or no longer) octet counting. Read on as newline
        // framed rather than dropping the connection.
        ++framing_errors_;
        framing_ = StreamFraming::newline;
        return true;
    }
    std::size_t length = 0;
    for (std::size_t i = 0; i < digits; ++i) length = length * 10 + static_cast<std::size_t>(buffer_[i] - '0');
    const std::size_t header = digits + 1;
    if (length > max_) {
        if (buffer_.size() < header + max_) return false;
        emit(std::string_view(buffer_).substr(header, max_), true, on_message);
        const std::size_t consumed = std::min(buffer_.size(), header + length);
        skip_ = header + length - consumed;
        buffer_.erase(0, consumed);
        return true;
    }
    if (buffer_.size() < header + length) return false;
    emit(std::string_view(buffer_).substr(header, length), false, on_message);
    buffer_.erase(0, header + length);
    return true;
}

bool Rfc6587Framer::next_newline(const OnMessage& on_message) {
    const auto newline = buffer_.find('\n');
    if (newline == std::string::npos) {
        if (buffer_.size() >= max_) {
            emit(std::string_view(buffer_).substr(0, max_), true, on_message);
            buffer_.clear();
            skip_to_newline_ = true;
        }
        return false;
    }
    if (newline > max_) {
        emit(std::string_view(buffer_).substr(0, max_), true, on_message);
    } else {
        emit(std::string_view(buffer_).substr(0, newline), false, on_message);
    }
    buffer_.erase(0, newline + 1);
    return true;
}

void Rfc6587Framer::finish(const OnMessage& on_message) {
    if (framing_ != StreamFraming::octet_counting && !skip_to_newline_ && !buffer_.empty()) {
        emit(std::string_view(buffer_).substr(0, std::min(buffer_.size(), max_)),
             buffer_.size() > max_, on_message);
    }
    buffer_.clear();
}

}  // namespace netfeed::syslog
