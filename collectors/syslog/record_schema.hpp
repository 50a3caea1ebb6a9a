// The fields of a `syslog` record (syslog_record.cpp).
#pragma once

#include "agent/record_schema.hpp"

namespace netfeed::syslog {

KindDeclaration syslog_declaration() noexcept;

}  // namespace netfeed::syslog
