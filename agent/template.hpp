// Topic and key templates such as "netfeed.{kind}" or "{site}-{device}": compiled once at load,
// rendered per record without parsing.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "agent/device_directory.hpp"
#include "agent/record.hpp"

namespace netfeed {

class RecordTemplate {
  public:
    /// Compiles `text`; returns an error message instead when braces do not match or a
    /// placeholder name is not [A-Za-z0-9_]+.
    static std::optional<std::string> compile(const std::string& text, RecordTemplate& out);

    /// Placeholders: kind, device, device_address, key, any body field, then any tag of the
    /// device in the device list. A placeholder with no value renders as `missing`.
    void render(const Record& record, const DeviceDirectory& devices, std::string_view missing,
                std::string& out) const;

    /// True when the text depends only on the record kind (so the topic is known at start).
    bool depends_only_on_kind() const noexcept;
    /// Renders with only {kind} known (call when depends_only_on_kind()).
    std::string render_for_kind(RecordKind kind) const;
    bool empty() const noexcept { return parts_.empty(); }

  private:
    struct Part {
        bool placeholder = false;
        std::string text;      // literal text, or the placeholder name
        FieldName field = "";  // interned placeholder name for field lookups
    };
    std::vector<Part> parts_;
};

/// Replaces characters Kafka does not allow in topic names ([A-Za-z0-9._-]) with '_' and
/// truncates to 249 characters.
void sanitize_topic(std::string& topic);

}  // namespace netfeed
