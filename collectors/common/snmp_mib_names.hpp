// OIDs written as MIB names (IF-MIB::ifHCInOctets, ifDescr, sysUpTime.0) for user-defined SNMP
// scalars and tables, looked up in the MIB files of the configured directories with net-snmp's
// MIB parser. Debian ships almost no MIB files (snmp-mibs-downloader is non-free), so numeric
// OIDs always work without this, and the built-in profiles never use it.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "collectors/common/snmp_value.hpp"

namespace netfeed::snmp {

/// net-snmp's default MIB directories (for Debian: ~/.snmp/mibs, /usr/share/snmp/mibs and its
/// iana and ietf folders, where snmp-mibs-downloader puts the standard MIBs).
std::vector<std::string> default_mib_dirs();

/// Looks `name` up in every MIB module of `dirs` (read once per distinct list of directories,
/// then kept). On failure returns false and says why in `error`, naming the directories.
/// Thread-safe; the MIB tree is read under snmp_library_mutex().
bool oid_from_mib_name(std::string_view name, const std::vector<std::string>& dirs, Oid& out,
                       std::string& error);

}  // namespace netfeed::snmp
