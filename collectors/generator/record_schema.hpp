// The fields of the generator's records (generator_collector.cpp), whatever kind it is set to.
#pragma once

#include "agent/record_schema.hpp"

namespace netfeed {

KindDeclaration generator_declaration() noexcept;

}  // namespace netfeed
