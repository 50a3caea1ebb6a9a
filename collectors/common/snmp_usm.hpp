// SNMPv3 USM settings of a net-snmp session from the config's credentials, shared by the poller
// (its sessions to devices) and the trap receiver (the users it accepts): protocol OIDs, the
// security level, and the keys derived from the passphrases.
#pragma once

#include "agent/config.hpp"

struct snmp_session;

namespace netfeed::snmp {

/// Sets `session`'s security level, authentication and privacy protocols and keys (Ku from the
/// passphrases, RFC 3414 A.2; the privacy key is derived with the authentication hash, 2.6).
/// With `name_unused_protocols`, protocols that are off are named usmNoAuthProtocol and
/// usmNoPrivProtocol, as usm_create_user_from_session wants both. The protocol OIDs are copies
/// the caller releases with clear_usm_keys() once net-snmp has taken what it keeps.
/// Returns false when a key cannot be derived (net-snmp wants passphrases of 8 characters or
/// more); clear_usm_keys() is still to be called.
bool set_usm_keys(snmp_session& session, const Credentials& credentials,
                  bool name_unused_protocols);

/// Frees the protocol copies set_usm_keys() made and wipes the keys from `session`.
void clear_usm_keys(snmp_session& session);

}  // namespace netfeed::snmp
