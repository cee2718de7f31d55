// Shared by the channel tests: a fixed-seed generator of random params and states (2-16 parties, 0-3 assets,
// 0-4 locks per asset, random app data, values of every magnitude), and a valid two-party channel.
#pragma once

#include <cstdint>
#include <random>

#include "sluice/channel/encoding.hpp"
#include "sluice/channel/types.hpp"

namespace sluice::channel::test {

struct Channel {
    Params params;
    State state;
};

class RandomChannel {
  public:
    explicit RandomChannel(std::uint64_t seed) : rng_(seed) {}

    std::uint64_t below(std::uint64_t n) {
        return std::uniform_int_distribution<std::uint64_t>(0, n - 1)(rng_);
    }

    // Zero, small, 64-bit or full-width values, so every byte of a word is exercised.
    u256 amount() {
        switch (below(4)) {
            case 0:
                return u256{};
            case 1:
                return u256{below(1000)};
            case 2:
                return u256{rng_()};
            default:
                return u256{rng_(), rng_(), rng_(), rng_()};
        }
    }

    template <std::size_t N>
    FixedBytes<N> fixed() {
        FixedBytes<N> out;
        for (auto& b : out.bytes)
            b = static_cast<std::uint8_t>(rng_());
        return out;
    }

    Address address() {
        Address a;
        static_cast<FixedBytes<20>&>(a) = fixed<20>();
        return a;
    }

    Params params(std::size_t parties) {
        Params p;
        p.chain_id = amount();
        p.adjudicator = address();
        for (std::size_t i = 0; i < parties; ++i)
            p.participants.push_back(address());
        p.nonce = rng_();
        p.challenge_duration = rng_() & kMaxUint48;
        p.app = below(2) == 0 ? Address{} : address();
        return p;
    }

    // A state of the right shape for `params` (distinct assets, in-range lock indices) but otherwise random:
    // hashing and encoding do not care whether the amounts add up.
    State state(const Params& params, std::size_t assets, std::size_t max_locks = 4) {
        State s;
        s.channel_id = channel_id(params);
        s.version = rng_();
        const auto parties = static_cast<std::uint16_t>(params.participants.size());
        for (std::size_t a = 0; a < assets; ++a) {
            Alloc alloc;
            alloc.asset = a == 0 ? Address{} : address();
            for (std::size_t i = 0; i < parties; ++i)
                alloc.balances.push_back(amount());
            const std::size_t locks = below(max_locks + 1);
            for (std::size_t l = 0; l < locks; ++l) {
                Lock lock;
                lock.hashlock = fixed<32>();
                lock.amount = amount();
                lock.from = static_cast<std::uint16_t>(below(parties));
                lock.to = static_cast<std::uint16_t>(below(parties));
                lock.expiry = rng_();
                alloc.locks.push_back(lock);
            }
            s.outcome.push_back(std::move(alloc));
        }
        s.app_data.resize(below(200));
        for (auto& b : s.app_data)
            b = static_cast<std::uint8_t>(rng_());
        s.is_final = below(2) == 1;
        return s;
    }

  private:
    std::mt19937_64 rng_;
};

}  // namespace sluice::channel::test
