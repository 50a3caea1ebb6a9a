// Turns NX-API command outcomes into records: one per answer (the normalized body), one per
// table row when exploded (the row's fields at the top level), or one error record.
#pragma once

#include <string>
#include <unordered_map>
#include <vector>

#include "agent/record.hpp"
#include "collectors/nxapi/model.hpp"
#include "collectors/nxapi/options.hpp"

namespace netfeed::nxapi {

/// What went wrong with one command on one device.
struct CommandError {
    ErrorType type = ErrorType::none;
    std::string detail;
    long http_status = 0;  // 0 when no HTTP answer came
    std::string code;      // the switch's error code, if it gave one
};

/// The device a record is about.
struct DeviceIdentity {
    std::string name;
    IpAddress address;
};

class RecordBuilder {
  public:
    /// `max_field_names` bounds the names interned for exploded rows: the pool only grows, and
    /// a switch must not be able to grow it without end. Row fields beyond it go into
    /// `extra_fields`.
    explicit RecordBuilder(std::string error_topic, std::size_t max_field_names = 4096);

    /// Appends the records of a successful command to `out`. `body` is shaped in place.
    void add_output(const DeviceIdentity& device, const CommandSpec& command, Json body,
                    Timestamp now, std::vector<Record>& out);
    /// The error record of a failed command.
    Record error_record(const DeviceIdentity& device, const CommandSpec& command,
                        const CommandError& error, Timestamp now) const;

  private:
    std::optional<FieldName> row_field_name(const std::string& name);

    std::string error_topic_;
    std::size_t max_field_names_;
    std::unordered_map<std::string, FieldName> names_;
};

}  // namespace netfeed::nxapi
