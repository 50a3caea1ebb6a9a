// SNMPv3 USM users of the trap receiver, registered in net-snmp's process-wide user table so
// that its USM code authenticates and decrypts v3 traps and informs: each user once for the
// agent's own engine ID (informs: the receiver is authoritative) and once per configured
// sender engine ID (traps: the sender is). Removed again when the collector goes away.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "agent/config.hpp"

namespace netfeed::snmp_trap {

using EngineId = std::vector<std::uint8_t>;

/// "80001f8804..." -> bytes; false unless 5-32 bytes of hex digits (an optional 0x first).
bool parse_engine_id(const std::string& text, EngineId& out);
std::string engine_id_hex(const EngineId& id);

class UsmUsers {
  public:
    UsmUsers() = default;
    ~UsmUsers();
    UsmUsers(const UsmUsers&) = delete;
    UsmUsers& operator=(const UsmUsers&) = delete;

    /// Sets the process's own engine ID (informs are sent to it), when not empty.
    static void set_local_engine_id(const EngineId& id);
    static EngineId local_engine_id();

    /// Registers `credentials` (username, auth and priv) for each engine ID; false (with the
    /// reason, never a passphrase) when net-snmp refuses.
    bool add(const Credentials& credentials, const std::vector<EngineId>& engine_ids,
             std::string& error);
    std::size_t size() const { return users_.size(); }

  private:
    struct Registered {
        EngineId engine_id;
        std::string name;
    };
    std::vector<Registered> users_;
};

}  // namespace netfeed::snmp_trap
