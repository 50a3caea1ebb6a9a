// Where captured UDP datagrams go: collectors that listen on UDP register their ports here, so
// that the pcap input (replaying a capture, or capturing on a mirror port) feeds them exactly as
// their sockets would. Owned by the agent, so the pcap plugin never calls another plugin.
#pragma once

#include <boost/asio/ip/udp.hpp>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <span>
#include <vector>

#include "agent/record.hpp"

namespace netfeed {

class DatagramInputs {
public:
    /// One datagram: its payload (valid during the call only), where it came from, and when it
    /// was received (the capture's timestamp for a replay). `can_wait` is true when the caller
    /// is a thread that may block (a replayed file): the collector then waits for room in the
    /// pipeline (Emitter::emit) instead of dropping, so a replay as fast as possible loses
    /// nothing. A live capture passes false: like a socket, it must not fall behind the wire.
    using Handler = std::function<void(std::span<const std::uint8_t> payload,
                                       const boost::asio::ip::udp::endpoint& source,
                                       Timestamp received, bool can_wait)>;

    /// Keeps a port registered while alive.
    class Registration {
    public:
        Registration() = default;
        Registration(DatagramInputs* owner, std::uint64_t id) : owner_(owner), id_(id) {}
        Registration(Registration&& other) noexcept : owner_(other.owner_), id_(other.id_) {
            other.owner_ = nullptr;
        }
        Registration& operator=(Registration&& other) noexcept {
            reset();
            owner_ = other.owner_;
            id_ = other.id_;
            other.owner_ = nullptr;
            return *this;
        }
        ~Registration() { reset(); }
        void reset() {
            if (owner_ != nullptr) owner_->remove(id_);
            owner_ = nullptr;
        }

    private:
        DatagramInputs* owner_ = nullptr;
        std::uint64_t id_ = 0;
    };

    /// Datagrams captured for UDP `port` go to `handler` until the registration is dropped.
    /// `name` says who took the port, for logs.
    [[nodiscard]] Registration add(std::uint16_t port, std::string name, Handler handler) {
        std::lock_guard lock(mutex_);
        const std::uint64_t id = ++next_id_;
        entries_[id] = Entry{port, std::move(name), std::make_shared<Handler>(std::move(handler))};
        return Registration(this, id);
    }

    /// Hands a captured datagram to whoever registered its destination port. Returns false when
    /// no collector takes that port (the caller counts it).
    bool deliver(std::uint16_t port, std::span<const std::uint8_t> payload,
                 const boost::asio::ip::udp::endpoint& source, Timestamp received,
                 bool can_wait) const {
        std::shared_ptr<Handler> handler;
        {
            std::lock_guard lock(mutex_);
            for (const auto& [id, entry] : entries_) {
                if (entry.port == port) {
                    handler = entry.handler;
                    break;
                }
            }
        }
        if (!handler) return false;
        (*handler)(payload, source, received, can_wait);
        return true;
    }

    /// The registered ports with who took them.
    std::vector<std::pair<std::uint16_t, std::string>> ports() const {
        std::lock_guard lock(mutex_);
        std::vector<std::pair<std::uint16_t, std::string>> out;
        for (const auto& [id, entry] : entries_) out.emplace_back(entry.port, entry.name);
        return out;
    }

private:
    struct Entry {
        std::uint16_t port;
        std::string name;
        std::shared_ptr<Handler> handler;
    };
    void remove(std::uint64_t id) {
        std::lock_guard lock(mutex_);
        entries_.erase(id);
    }

    mutable std::mutex mutex_;
    std::map<std::uint64_t, Entry> entries_;
    std::uint64_t next_id_ = 0;
};

}  // namespace netfeed
