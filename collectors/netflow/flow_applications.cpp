// Application names learnt from options data (see flow_applications.hpp).
#include "collectors/netflow/flow_applications.hpp"

namespace netfeed::netflow {

void ApplicationNames::learn(std::uint64_t key, std::string_view name) {
    name = name.substr(0, name.find('\0'));
    if (name.empty()) return;
    const auto it = names_.find(key);
    if (it != names_.end()) {
        // Exporters resend the table every few minutes: keep the shared name when unchanged.
        if (*it->second != name) it->second = std::make_shared<const std::string>(name);
        return;
    }
    if (names_.size() >= kMaxNames) return;
    names_.emplace(key, std::make_shared<const std::string>(name));
}

std::shared_ptr<const std::string> ApplicationNames::find(std::uint64_t key) const {
    const auto it = names_.find(key);
    return it == names_.end() ? nullptr : it->second;
}

}  // namespace netfeed::netflow
