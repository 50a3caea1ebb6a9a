// libcurl results as NX-API error types.
#include "collectors/nxapi/transfer_error.hpp"

#include <gtest/gtest.h>

namespace netfeed::nxapi {
namespace {

TEST(NxapiTransferError, ByCurlCode) {
    EXPECT_EQ(transfer_error(CURLE_OK), ErrorType::none);
    EXPECT_EQ(transfer_error(CURLE_OPERATION_TIMEDOUT), ErrorType::timeout);
    EXPECT_EQ(transfer_error(CURLE_PARTIAL_FILE), ErrorType::truncated);
    EXPECT_EQ(transfer_error(CURLE_PEER_FAILED_VERIFICATION), ErrorType::tls);
    EXPECT_EQ(transfer_error(CURLE_SSL_CONNECT_ERROR), ErrorType::tls);
    EXPECT_EQ(transfer_error(CURLE_COULDNT_CONNECT), ErrorType::connection);
    EXPECT_EQ(transfer_error(CURLE_GOT_NOTHING), ErrorType::connection);
    EXPECT_EQ(transfer_error(CURLE_WRITE_ERROR), ErrorType::too_large);
}

}  // namespace
}  // namespace netfeed::nxapi
