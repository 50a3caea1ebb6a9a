// MIB name lookup through net-snmp's parser; see snmp_mib_names.hpp.
#include "collectors/common/snmp_mib_names.hpp"

#include <net-snmp/net-snmp-config.h>
#include <net-snmp/net-snmp-includes.h>

#include <filesystem>
#include <mutex>

#include "collectors/common/snmp_init.hpp"

namespace netfeed::snmp {

namespace {

std::string joined(const std::vector<std::string>& dirs) {
    std::string out;
    for (const auto& d : dirs)
        out += (out.empty() ? "" : ", ") + d;
    return out.empty() ? "(none)" : out;
}

// The directories whose modules are in net-snmp's tree now; guarded by snmp_library_mutex().
std::vector<std::string>& loaded_dirs() {
    static std::vector<std::string> dirs;
    return dirs;
}
bool& tree_loaded() {
    static bool loaded = false;  // by load_tree
    return loaded;
}

// Replaces the tree with every module of `dirs`. Modules that import ones not installed still
// give the objects whose parents are known; net-snmp's complaints go to the silenced log.
void load_tree(const std::vector<std::string>& dirs) {
    // init_snmp already built a tree (of no modules, MIBS=""); it is replaced, not added to.
    shutdown_mib();
    std::string path;
    for (const auto& d : dirs) {
        std::error_code ec;
        if (!std::filesystem::is_directory(d, ec)) continue;
        path += (path.empty() ? "" : ":") + d;
    }
    netsnmp_set_mib_directory(path.c_str());
    netsnmp_init_mib();
    read_all_mibs();
    loaded_dirs() = dirs;
    tree_loaded() = true;
}

}  // namespace

std::vector<std::string> default_mib_dirs() {
    ensure_snmp_library();
    std::lock_guard lock(snmp_library_mutex());
    std::vector<std::string> out;
    const char* configured = netsnmp_get_mib_directory();
    std::string_view text = configured != nullptr ? configured : "";
    while (!text.empty()) {
        const auto end = text.find(ENV_SEPARATOR_CHAR);
        std::string dir(text.substr(0, end));
        // "$HOME/.snmp/mibs" comes unexpanded from the library's default.
        if (dir.rfind("$HOME", 0) == 0) {
            const char* home = std::getenv("HOME");
            dir = std::string(home != nullptr ? home : "") + dir.substr(5);
        }
        if (!dir.empty() && dir.front() != '+') out.push_back(dir);
        if (end == std::string_view::npos) break;
        text.remove_prefix(end + 1);
    }
    return out;
}

bool oid_from_mib_name(std::string_view name, const std::vector<std::string>& dirs, Oid& out,
                       std::string& error) {
    ensure_snmp_library();
    std::lock_guard lock(snmp_library_mutex());
    if (!tree_loaded() || loaded_dirs() != dirs) load_tree(dirs);
    oid buffer[MAX_OID_LEN];
    size_t length = MAX_OID_LEN;
    const std::string text(name);
    // Names the tree does not hold must fail here: a module not installed gives no partial
    // answer. get_node takes MODULE::name and bare names, each with an optional .instance.
    if (get_node(text.c_str(), buffer, &length) == 0 || length < 2) {
        error = "'" + text + "' is not a numeric OID and no MIB module in " + joined(dirs) +
                " defines it";
        return false;
    }
    out.assign(buffer, buffer + length);
    return true;
}

}  // namespace netfeed::snmp
