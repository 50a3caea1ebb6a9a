// Transport failures by libcurl code; see transfer_error.hpp.
#include "collectors/nxapi/transfer_error.hpp"

namespace netfeed::nxapi {

ErrorType transfer_error(CURLcode code) noexcept {
    switch (code) {
        case CURLE_OK:
            return ErrorType::none;
        case CURLE_OPERATION_TIMEDOUT:
            return ErrorType::timeout;
        case CURLE_PARTIAL_FILE:  // fewer bytes than Content-Length, then the connection closed
            return ErrorType::truncated;
        case CURLE_WRITE_ERROR:  // our write callback refused more than max_response_bytes
        case CURLE_FILESIZE_EXCEEDED:
            return ErrorType::too_large;
        case CURLE_SSL_CONNECT_ERROR:
        case CURLE_PEER_FAILED_VERIFICATION:
        case CURLE_SSL_CERTPROBLEM:
        case CURLE_SSL_CIPHER:
        case CURLE_SSL_CACERT_BADFILE:
        case CURLE_SSL_ISSUER_ERROR:
        case CURLE_SSL_PINNEDPUBKEYNOTMATCH:
        case CURLE_SSL_INVALIDCERTSTATUS:
        case CURLE_SSL_SHUTDOWN_FAILED:
        case CURLE_SSL_CRL_BADFILE:
            return ErrorType::tls;
        default:
            // Could not resolve or connect, connection reset, closed without an answer.
            return ErrorType::connection;
    }
}

}  // namespace netfeed::nxapi
