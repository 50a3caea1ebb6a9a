// net-snmp's one-time set-up; see snmp_init.hpp.
#include "collectors/common/snmp_init.hpp"

#include <net-snmp/net-snmp-config.h>
#include <net-snmp/net-snmp-includes.h>

#include <cstdlib>
#include <mutex>

namespace netfeed::snmp {

void ensure_snmp_library() {
    static std::once_flag once;
    std::call_once(once, [] {
        const auto on = [](int which) { netsnmp_ds_set_boolean(NETSNMP_DS_LIBRARY_ID, which, 1); };
        // The agent's configuration is netfeed.yaml: /etc/snmp/snmp.conf, ~/.snmp and the
        // persistent snmpapp.conf (engine boots, USM users) must neither change its behaviour
        // nor be written by it.
        on(NETSNMP_DS_LIB_DONT_READ_CONFIGS);
        on(NETSNMP_DS_LIB_DONT_PERSIST_STATE);
        on(NETSNMP_DS_LIB_DISABLE_PERSISTENT_LOAD);
        on(NETSNMP_DS_LIB_DISABLE_PERSISTENT_SAVE);
        on(NETSNMP_DS_LIB_DONT_LOAD_HOST_FILES);
        on(NETSNMP_DS_LIB_NO_TOKEN_WARNINGS);
        // With MIBS unset, init_snmp loads its default module list and prints a line per
        // module it cannot find (most are not installed here); an empty list loads none.
        // A MIBS the operator set on purpose is left alone.
        ::setenv("MIBS", "", 0);
        // net-snmp logs to stderr, unasked, per malformed packet ("bad type returned", "Bad
        // PDU type received"): untrusted input must not choose how much the agent writes. The
        // callers count and log (rate-limited) what went wrong instead.
        netsnmp_register_loghandler(NETSNMP_LOGHANDLER_NONE, LOG_DEBUG);
        init_snmp("netfeed");
    });
}

std::mutex& snmp_library_mutex() {
    static std::mutex mutex;
    return mutex;
}

}  // namespace netfeed::snmp
