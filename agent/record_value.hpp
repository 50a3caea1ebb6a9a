// The value bytes of a record in the format its route chose (json, connect_json): what every
// sink writes.
#pragma once

#include <string>

#include "agent/config.hpp"
#include "agent/record_connect_json.hpp"
#include "agent/record_json.hpp"

namespace netfeed {

inline void append_record_value(const Record& record, ValueFormat format, std::string& out) {
    switch (format) {
        case ValueFormat::connect_json:
            append_record_connect_json(record, out);
            return;
        case ValueFormat::json:
            break;
    }
    append_record_json(record, out);
}

}  // namespace netfeed
