// Application names per exporter domain, learnt from options data (Cisco AVC / NBAR sends
// applicationId 95 with applicationName 96, RFC 6759), so flows carrying only the id are named.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>

namespace netfeed::netflow {

/// One applicationId (95) as a number: the classification engine in the top byte, the selector
/// (at most 7 bytes) below it.
inline std::uint64_t application_key(std::uint8_t engine, std::uint64_t selector) noexcept {
    return (std::uint64_t{engine} << 56) | (selector & 0x00ffffffffffffffull);
}

class ApplicationNames {
  public:
    /// Routers with NBAR send a table of about 1,500 applications; beyond this many new ids
    /// are ignored, so a hostile exporter cannot grow the decoder without bound.
    static constexpr std::size_t kMaxNames = 8192;

    /// Names application `key`; the name is cut at its first NUL (fixed-size v9 fields are NUL
    /// padded). An empty name forgets nothing and learns nothing.
    void learn(std::uint64_t key, std::string_view name);
    /// The name of `key`, shared with the flows that carry it (no copy per flow), or nullptr.
    std::shared_ptr<const std::string> find(std::uint64_t key) const;
    std::size_t size() const noexcept { return names_.size(); }

  private:
    std::unordered_map<std::uint64_t, std::shared_ptr<const std::string>> names_;
};

}  // namespace netfeed::netflow
