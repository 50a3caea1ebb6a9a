// The fields of `nxapi` records (nxapi_records.cpp): the answer, exploded-row and error shapes.
#pragma once

#include "agent/record_schema.hpp"

namespace netfeed::nxapi {

KindDeclaration nxapi_declaration() noexcept;

}  // namespace netfeed::nxapi
