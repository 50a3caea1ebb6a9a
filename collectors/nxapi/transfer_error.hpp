// What a finished libcurl transfer means for NX-API: the error type of a transport failure.
#pragma once

#include <curl/curl.h>

#include "collectors/nxapi/model.hpp"

namespace netfeed::nxapi {

/// The error type of a transfer that ended with `code` (CURLE_OK: none).
ErrorType transfer_error(CURLcode code) noexcept;

}  // namespace netfeed::nxapi
