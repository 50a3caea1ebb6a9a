// Answers one SNMP v1/v2c request datagram for one simulated device (GET, GETNEXT, GETBULK),
// the way agents do: a wrong community or an unsupported message gets no answer; a reply that
// would not fit the message size is cut (GETBULK) or becomes tooBig. Pure: bytes in, bytes out.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "lab/snmp_sim/ber.hpp"
#include "lab/snmp_sim/device_mib.hpp"

namespace netfeed::lab {

struct ResponderSettings {
    std::size_t max_message = 1472;  // bytes of the SNMP message (one Ethernet frame of UDP)
    std::vector<std::uint32_t> gen_err_prefix;  // objects under it answer genErr (empty: none)
    bool bulk_too_big = false;  // a GETBULK answer that does not fit is tooBig, not cut short
};

struct ResponderCounts {
    std::uint64_t requests = 0, responses = 0, wrong_community = 0, malformed = 0, unsupported = 0,
                  too_big = 0, truncated = 0, gen_err = 0;
};

class Responder {
  public:
    Responder(const DeviceMib& mib, ResponderSettings settings)
        : mib_(mib), settings_(std::move(settings)) {}

    /// The answer to `request` on `device` (whose community is `community`) in `out`; false
    /// when there is none.
    bool respond(Bytes request, std::uint32_t device, std::string_view community,
                 std::uint64_t elapsed_ms, std::string& out);

    const ResponderCounts& counts() const { return counts_; }

  private:
    struct Result {
        std::size_t entry;        // position in the MIB, or npos with an exception
        std::uint8_t exception;   // tag::no_such_object ... when entry is npos
        std::size_t request_oid;  // position in oids_ (the name an exception answers with)
        std::size_t name = npos;  // else: the entry whose name an endOfMibView repeats
    };
    static constexpr std::size_t npos = static_cast<std::size_t>(-1);

    std::size_t next_of(std::span<const std::uint32_t> oid, bool v1) const;
    bool gen_err(std::size_t entry) const;

    const DeviceMib& mib_;
    ResponderSettings settings_;
    ResponderCounts counts_;
    // Reused from request to request: no allocation once they have grown.
    std::vector<std::vector<std::uint32_t>> oids_;
    std::vector<Result> results_;
    std::vector<std::size_t> cursor_;
    std::vector<bool> ended_;
    std::string varbinds_, varbind_, value_, pdu_, message_;
};

}  // namespace netfeed::lab
