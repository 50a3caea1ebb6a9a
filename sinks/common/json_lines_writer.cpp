// JSON lines output; see json_lines_writer.hpp.
#include "sinks/common/json_lines_writer.hpp"

#include <unistd.h>

#include <cerrno>

#include "agent/json_writer.hpp"
#include "agent/record_value.hpp"

namespace netfeed {

bool JsonLinesWriter::write(int fd, std::vector<RoutedRecord>& batch) {
    buffer_.clear();
    for (const auto& routed : batch) {
        if (with_delivery_) {
            buffer_ += "{\"topic\":\"";
            append_json_escaped(buffer_, routed.delivery.topic);
            buffer_ += "\",\"key\":";
            if (routed.delivery.has_key) {
                buffer_ += '"';
                append_json_escaped(buffer_, routed.delivery.key);
                buffer_ += '"';
            } else {
                buffer_ += "null";
            }
            buffer_ += ",\"value\":";
        }
        if (routed.record.tombstone) {
            buffer_ += "null";
        } else {
            append_record_value(routed.record, routed.delivery.format, buffer_);
        }
        if (with_delivery_) buffer_ += '}';
        buffer_ += '\n';
    }
    std::size_t written = 0;
    while (written < buffer_.size()) {
        const ssize_t n = ::write(fd, buffer_.data() + written, buffer_.size() - written);
        if (n < 0) {
            if (errno == EINTR) continue;
            return false;
        }
        written += static_cast<std::size_t>(n);
    }
    batch.clear();
    return true;
}

}  // namespace netfeed
