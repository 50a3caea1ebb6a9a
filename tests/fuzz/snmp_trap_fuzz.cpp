// Fuzzes the SNMP trap decoder (net-snmp's BER parser behind our envelope check): any datagram
// must decode or be refused with a reason, without crashing or leaking; a decoded trap's
// record must build; an inform's acknowledgement must itself parse, as a Response (no trap);
// with SNMPv3 decoding on, v3 messages go through net-snmp's USM code without harm.
#include <cstdint>
#include <cstdlib>
#include <span>

#include "collectors/snmp_trap/trap_decode.hpp"
#include "collectors/snmp_trap/trap_record.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace netfeed::snmp_trap;
    static const DecodeSettings any;
    static const DecodeSettings filtered = [] {
        DecodeSettings s;
        s.communities = {"public", "private"};
        return s;
    }();
    static const DecodeSettings v3 = [] {
        DecodeSettings s;
        s.v3 = true;
        return s;
    }();
    const std::span<const std::uint8_t> datagram(data, size);
    const DecodeResult result = decode_trap(datagram, any);
    if (result.error == TrapError::kCount) std::abort();
    // With v3 on, net-snmp's USM code reads SNMPv3 messages (no users: every one fails a
    // check); anything else decodes exactly as before.
    const DecodeResult secured = decode_trap(datagram, v3);
    if (secured.error == TrapError::kCount || secured.error == TrapError::v3_not_supported)
        std::abort();
    if (result.error != TrapError::v3_not_supported && secured.error != result.error) std::abort();
    const DecodeResult checked = decode_trap(datagram, filtered);
    // The filter only ever refuses more, and only for the community.
    if (result.error != TrapError::none && checked.error == TrapError::none) std::abort();
    if (result.error == TrapError::none && checked.error != TrapError::none &&
        checked.error != TrapError::bad_community) {
        std::abort();
    }
    if (result.error != TrapError::none) return 0;
    const Trap& trap = result.trap;
    if (trap.version == SnmpVersion::v1 && (trap.inform || trap.request_id)) std::abort();
    if (!trap.inform && !result.response.empty()) std::abort();
    if (trap.inform && result.response.empty() && !result.response_failed) std::abort();
    const netfeed::Record record = make_trap_record(
        trap, "fuzz", boost::asio::ip::make_address_v4("192.0.2.1"), netfeed::Timestamp{});
    if (record.fields.empty()) std::abort();
    if (!result.response.empty()) {
        const DecodeResult answer = decode_trap(result.response, any);
        if (answer.error != TrapError::not_a_trap) std::abort();
    }
    return 0;
}
