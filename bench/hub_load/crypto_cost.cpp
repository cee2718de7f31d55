#include "crypto_cost.hpp"

#include <chrono>
#include <stdexcept>

#include "sluice/channel/encoding.hpp"
#include "sluice/channel/signing.hpp"

namespace sluice::bench {
namespace {

PrivateKey key(std::uint8_t i) {
    Bytes secret(32, 0x5a);
    secret[31] = i;
    return PrivateKey::from_bytes(secret).value();
}

template <class F>
double mean_us(std::size_t iterations, F&& f) {
    for (std::size_t i = 0; i < iterations / 10 + 1; ++i)
        f(i);
    const auto start = std::chrono::steady_clock::now();
    for (std::size_t i = 0; i < iterations; ++i)
        f(i);
    const std::chrono::duration<double, std::micro> took = std::chrono::steady_clock::now() - start;
    return took.count() / static_cast<double>(iterations);
}

}  // namespace

CryptoCost measure_crypto_cost(std::size_t iterations) {
    const PrivateKey alice = key(1);
    const PrivateKey hub = key(2);
    channel::Params params;
    params.chain_id = 31337;
    params.adjudicator[19] = 0xad;
    params.nonce = 1;
    params.challenge_duration = 3600;
    params.participants = {alice.address(), hub.address()};
    channel::State state;
    state.channel_id = channel::channel_id(params);
    state.version = 1;
    channel::Alloc alloc;
    alloc.balances = {u256{1'000'000'000'000ULL}, u256{1'000'000'000'000ULL}};
    channel::Lock lock;
    lock.hashlock[0] = 0x42;
    lock.amount = 1002;
    lock.from = 0;
    lock.to = 1;
    lock.expiry = 1'800'000'000;
    alloc.locks.push_back(lock);
    state.outcome.push_back(alloc);

    CryptoCost cost;
    // Each iteration signs a new version, so no result can be reused.
    Signature sig{};
    cost.sign_us = mean_us(iterations, [&](std::size_t i) {
        state.version = 2 + i;
        sig = channel::sign_state(alice, params, state);
    });
    state.version = 1;
    const Signature fixed = channel::sign_state(alice, params, state);
    bool all_good = true;
    cost.recover_us = mean_us(iterations, [&](std::size_t) {
        all_good = all_good && channel::check_state_signature(params, state, 0, fixed).ok();
    });
    if (!all_good) throw std::runtime_error("check_state_signature refused a good signature");
    (void)sig;
    return cost;
}

}  // namespace sluice::bench
