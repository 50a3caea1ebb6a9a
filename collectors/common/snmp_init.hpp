// Sets net-snmp's process-wide library state up once, for every component that uses net-snmp
// (the SNMP poller, the trap receiver): no config files read, no persistent files read or
// written, no MIB modules loaded (netfeed names OIDs itself), and nothing logged by net-snmp.
#pragma once

#include <mutex>

namespace netfeed::snmp {

/// Idempotent and thread-safe (std::call_once); call it before the first net-snmp use.
void ensure_snmp_library();

/// Debian builds net-snmp without NETSNMP_REENTRANT: parsing and building touch library-global
/// state (the transaction-id counter, statistics, the error detail buffer). Hold this around
/// such calls when more than one thread of the process may use net-snmp.
std::mutex& snmp_library_mutex();

}  // namespace netfeed::snmp
