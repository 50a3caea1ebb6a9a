// Reverse DNS on one resolver thread; see reverse_dns.hpp.
#include "enrichers/inventory/reverse_dns.hpp"

#include <arpa/inet.h>
#include <netdb.h>
#include <netinet/in.h>
#include <resolv.h>
#include <sys/socket.h>

#include <algorithm>
#include <cstring>

namespace netfeed::inventory {

ReverseDns::ReverseDns(ReverseDnsSettings settings) : settings_(settings) {}

ReverseDns::~ReverseDns() {
    stop();
}

void ReverseDns::start() {
    stopping_ = false;
    thread_ = std::thread([this] { run(); });
}

void ReverseDns::stop() {
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    wake_.notify_all();
    if (thread_.joinable()) thread_.join();
}

ReverseDns::Answer ReverseDns::lookup(const IpAddress& address, std::string& name) noexcept {
    std::unique_lock lock(mutex_, std::try_to_lock);
    if (!lock.owns_lock()) return Answer::pending;  // the resolver is writing; ask again later
    const AddressKey key = address_key(address);
    const auto now = std::chrono::steady_clock::now();
    auto it = cache_.find(key);
    if (it != cache_.end()) {
        Entry& entry = it->second;
        if (entry.state == Entry::State::pending) return Answer::pending;
        if (now < entry.expires) {
            if (entry.state != Entry::State::named) return Answer::unnamed;
            try {
                name = entry.name;
            } catch (...) {
                return Answer::pending;
            }
            return Answer::named;
        }
    }
    if (queue_.size() >= settings_.max_pending) return Answer::pending;
    try {
        if (cache_.size() >= kMaxEntries) {
            std::erase_if(cache_, [&](const auto& item) {
                return item.second.state != Entry::State::pending && item.second.expires <= now;
            });
            if (cache_.size() >= kMaxEntries) return Answer::unnamed;  // full of live answers
        }
        cache_[key] = Entry{};
        queue_.push_back(address);
    } catch (...) {
        return Answer::pending;
    }
    lock.unlock();
    wake_.notify_one();
    return Answer::pending;
}

std::string ReverseDns::resolve(const IpAddress& address, std::chrono::milliseconds timeout) {
    // glibc keeps resolver options per thread: these apply to this thread's queries only.
    if (res_init() == 0) {
        _res.retrans = static_cast<int>(std::max<long long>(1, (timeout.count() + 999) / 1000));
        _res.retry = 1;
    }
    sockaddr_storage storage{};
    socklen_t length = 0;
    if (address.is_v4()) {
        auto* in = reinterpret_cast<sockaddr_in*>(&storage);
        in->sin_family = AF_INET;
        in->sin_addr.s_addr = htonl(address.to_v4().to_uint());
        length = sizeof(sockaddr_in);
    } else {
        auto* in6 = reinterpret_cast<sockaddr_in6*>(&storage);
        in6->sin6_family = AF_INET6;
        const auto bytes = address.to_v6().to_bytes();
        std::memcpy(in6->sin6_addr.s6_addr, bytes.data(), bytes.size());
        length = sizeof(sockaddr_in6);
    }
    char host[NI_MAXHOST];
    if (::getnameinfo(reinterpret_cast<sockaddr*>(&storage), length, host, sizeof host, nullptr, 0,
                      NI_NAMEREQD) != 0) {
        return {};
    }
    return host;
}

void ReverseDns::run() {
    std::unique_lock lock(mutex_);
    while (true) {
        wake_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
        if (stopping_) return;
        const IpAddress address = queue_.front();
        queue_.pop_front();
        lock.unlock();
        std::string name = resolve(address, settings_.timeout);
        lock.lock();
        Entry& entry = cache_[address_key(address)];
        entry.state = name.empty() ? Entry::State::unnamed : Entry::State::named;
        entry.name = std::move(name);
        entry.expires =
            std::chrono::steady_clock::now() +
            (entry.state == Entry::State::named ? settings_.ttl : settings_.negative_ttl);
    }
}

}  // namespace netfeed::inventory
