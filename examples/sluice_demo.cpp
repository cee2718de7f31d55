// sluice-demo: a three-party payment channel, end to end, on the embedded EVM.
//
// Everything printed is computed for real: the adjudicator is the committed solc artifact, executed by
// sluice_evm on the in-process devchain (sluice_l1); the three participants are channel::Machine instances
// exchanging the protocol's messages (proposal, countersignatures, completion), persisting before they
// sign, and checking every rule before they countersign; the contract's own views check that C++ and
// Solidity agree. The close is a dispute: one participant registers an old state that paid it more, another
// answers with the latest fully signed one, and the adjudicator pays out what the latest state says.
// What is not here yet (and is not pretended): the networked node, the hub, the devchain's JSON-RPC
// server — the demo routes the messages between the three machines in one process.
#include <cstdio>
#include <deque>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "sluice/channel/adjudicator_abi.hpp"
#include "sluice/channel/encoding.hpp"
#include "sluice/channel/machine.hpp"
#include "sluice/channel/signing.hpp"
#include "sluice/contracts/artifacts.hpp"
#include "sluice/core/hex.hpp"
#include "sluice/core/keccak.hpp"
#include "sluice/l1/devchain.hpp"

namespace sluice::demo {
namespace {

namespace adj = channel::adjudicator;

const u256 kEther = u256::from_dec("1000000000000000000").value();
const u256 kFinney = kEther / u256{1000};

struct Party {
    const char* name;
    PrivateKey key;
    channel::MemoryPersistence store;
    std::optional<channel::Machine> machine;
    std::size_t completed = 0;
};

std::string eth(const u256& wei) {
    const std::string digits = (wei / kFinney).to_dec();
    const std::string padded = std::string(digits.size() < 4 ? 4 - digits.size() : 0, '0') + digits;
    return padded.substr(0, padded.size() - 3) + "." + padded.substr(padded.size() - 3) + " ETH";
}

int fail(const char* what, const Error& e) {
    std::fprintf(stderr, "demo failed: %s: %s\n", what, e.describe().c_str());
    return 1;
}

// The demo only sends transactions that must succeed: a revert is a failure of the demo, named.
Result<l1::TxReceipt> send_ok(l1::Devchain& chain, const Address& from, const Address& to, const u256& value,
                              const Bytes& data) {
    SLUICE_TRY(auto receipt, chain.send(from, to, value, data));
    if (!receipt.status)
        return make_error(Errc::invalid_argument, "reverted with " + adj::decode_revert(receipt.output).describe());
    return receipt;
}

Result<Bytes> view(const l1::Devchain& chain, const Address& to, const Bytes& data) {
    SLUICE_TRY(auto result, chain.call(Address{}, to, data));
    if (!result.status) return make_error(Errc::invalid_argument, "call reverted");
    return std::move(result.output);
}

// The registration a Registered event in `receipt` announces: what the next dispute call must name.
Result<adj::Registration> registration_in(const l1::TxReceipt& receipt) {
    for (const auto& log : receipt.logs) {
        SLUICE_TRY(const auto event, adj::decode_event(log.topics, log.data));
        if (event) {
            if (const auto* r = std::get_if<adj::Registered>(&*event)) return r->registration;
        }
    }
    return make_error(Errc::invalid_argument, "no Registered event");
}

// Delivers every queued message to its machine until the network is quiet; counts completions.
struct Router {
    std::vector<Party>* parties;
    std::deque<std::pair<std::size_t, channel::Message>> queue;
    std::size_t delivered = 0;

    void post(std::size_t from, const channel::Output& out) {
        for (const auto& e : out.events) {
            if (std::holds_alternative<channel::UpdateCompleted>(e)) ++(*parties)[from].completed;
        }
        for (const auto& o : out.messages)
            for (std::size_t to : o.to)
                queue.emplace_back(to, o.message);
    }
    Status run() {
        while (!queue.empty()) {
            auto [to, message] = std::move(queue.front());
            queue.pop_front();
            ++delivered;
            SLUICE_TRY(const channel::Output out, (*parties)[to].machine->receive(message));
            post(to, out);
        }
        return {};
    }
};

int run() {
    std::puts("Sluice demo: a three-party payment channel on the embedded EVM (sluice_evm, Prague rules).\n");
    std::vector<Party> parties;
    parties.reserve(3);  // the machines keep pointers to their stores
    for (const auto& [name, key] : {std::pair{"alice", "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80"},
                                    std::pair{"bob", "0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d"},
                                    std::pair{"carol", "0x5de4111afa1a4b94908f83103eb1f1706367c2e68ca870fc3fb9a804cdab365a"}}) {
        parties.push_back({name, PrivateKey::from_hex(key).value(), {}, {}, 0});
    }

    // Gas is priced at zero (the devchain's default base fee), so balances show exactly what the channel moved.
    l1::DevchainConfig config;
    for (const auto& p : parties)
        config.genesis.push_back({p.key.address(), 100 * kEther});
    l1::Devchain chain(config);
    for (const auto& p : parties) {
        std::printf("  %-5s %s  funded with %s\n", p.name, p.key.address().to_checksum_hex().c_str(),
                    eth(chain.balance(p.key.address())).c_str());
    }

    // 1. Deploy the committed adjudicator artifact.
    const auto artifact = nlohmann::json::parse(contracts::artifact_json("Adjudicator"));
    const auto creation = from_hex(artifact.at("bytecode").get<std::string>());
    if (!creation) return fail("artifact bytecode", creation.error());
    const auto deployment = chain.deploy(parties[0].key.address(), *creation);
    if (!deployment) return fail("deploy Adjudicator", deployment.error());
    const Address adjudicator = deployment->address;
    std::printf("\n1. Adjudicator deployed at %s (solc %s artifact, %lld gas)\n", adjudicator.to_checksum_hex().c_str(),
                artifact.at("compiler").at("version").get<std::string>().c_str(),
                static_cast<long long>(deployment->receipt.gas_used));

    // 2. The channel's id, computed in C++ and by the contract.
    channel::Params params;
    params.chain_id = chain.chain_id();
    params.adjudicator = adjudicator;
    for (const auto& p : parties)
        params.participants.push_back(p.key.address());
    params.nonce = 1;
    params.challenge_duration = 3600;
    const Hash id = channel::channel_id(params);
    const auto id_evm = view(chain, adjudicator, adj::channel_id_call(params).value());
    if (!id_evm) return fail("channelId view", id_evm.error());
    const bool id_match = Bytes(id.begin(), id.end()) == *id_evm;
    std::printf("2. channelId  C++ %s\n               EVM %s  %s\n", to_hex(id).c_str(), to_hex(*id_evm).c_str(),
                id_match ? "(equal)" : "(MISMATCH)");
    if (!id_match) return 1;

    // 3. Version 0 (1 ETH each) is signed by all before anyone deposits; deposits go in participant order
    //    (each passes what the ones before it put in), so nobody's deposit can fund another's share.
    channel::State initial;
    initial.channel_id = id;
    initial.outcome.push_back({Address{}, std::vector<u256>(parties.size(), kEther), {}});
    channel::SignedState signed_initial{initial, {}};
    for (const auto& p : parties)
        signed_initial.sigs.emplace_back(channel::sign_state(p.key, params, initial));
    for (std::size_t i = 0; i < parties.size(); ++i) {
        const auto data = adj::deposit_call(params, Address{}, kEther * u256{i}, kEther);
        const auto r = send_ok(chain, parties[i].key.address(), adjudicator, kEther, data.value());
        if (!r) return fail("deposit", r.error());
        std::printf("3. %-5s deposits %s  (%lld gas)\n", parties[i].name, eth(kEther).c_str(),
                    static_cast<long long>(r->gas_used));
    }
    const channel::Deposits deposits{{Address{}, kEther * u256{parties.size()}}};
    const channel::Clock clock = [&chain] { return static_cast<std::uint64_t>(chain.next_timestamp()); };
    for (std::size_t i = 0; i < parties.size(); ++i) {
        channel::MachineSetup setup{params, i, deposits, clock, nullptr, {}};
        auto m = channel::Machine::open(std::move(setup), parties[i].key, signed_initial, parties[i].store);
        if (!m) return fail("open", m.error());
        parties[i].machine.emplace(std::move(m).value());
    }

    // 4. Off-chain: 60 payments around the ring, each one round of proposal, countersignatures and
    //    completion between the three machines; bob keeps the fully signed state that paid him most.
    Router router{&parties, {}, 0};
    std::optional<channel::SignedState> bob_keeps;
    const int kPayments = 60;
    for (int i = 0; i < kPayments; ++i) {
        const std::size_t from = static_cast<std::size_t>(i) % 3;
        const auto to = static_cast<std::uint16_t>((from + 1) % 3);
        // alice pays bob more in the first half, bob pays carol more in the second.
        const bool large = (i < kPayments / 2) ? from == 0 : from == 1;
        const u256 amount = kFinney * u256{large ? 20u : 5u};
        auto out = parties[from].machine->propose({channel::Pay{Address{}, to, amount}});
        if (!out) return fail("propose", out.error());
        router.post(from, *out);
        if (auto s = router.run(); !s.ok()) return fail("deliver", s.error());
        const auto& now_signed = parties[1].machine->latest();
        if (!bob_keeps || now_signed.state.outcome[0].balances[1] > bob_keeps->state.outcome[0].balances[1])
            bob_keeps = now_signed;
    }
    // A hashlocked payment: alice locks 0.25 ETH to carol; carol reveals the preimage and is paid.
    const Bytes32 secret = [] {
        Bytes32 s;
        s[0] = 0x5a;
        s[31] = 0x11;
        return s;
    }();
    const Hash hashlock = keccak256(secret.view());
    const std::uint64_t expiry = clock() + 7200;
    auto locked = parties[0].machine->propose(
        {channel::AddLock{Address{}, channel::Lock{hashlock, kFinney * u256{250}, 0, 2, expiry}}});
    if (!locked) return fail("lock", locked.error());
    router.post(0, *locked);
    if (auto s = router.run(); !s.ok()) return fail("deliver", s.error());
    auto settled = parties[2].machine->propose(
        {channel::SettleLock{Address{}, hashlock, Secret<32>::from_view(secret.view()).value()}});
    if (!settled) return fail("settle", settled.error());
    router.post(2, *settled);
    if (auto s = router.run(); !s.ok()) return fail("deliver", s.error());

    const channel::SignedState latest = parties[0].machine->latest();
    for (const auto& p : parties) {
        if (!(p.machine->latest() == latest)) {
            std::fputs("demo failed: the machines disagree on the latest state\n", stderr);
            return 1;
        }
    }
    const auto& bal = latest.state.outcome[0].balances;
    std::printf("4. %d payments and a hashlocked payment of 0.250 ETH (lock, reveal): %zu messages, %zu rounds\n"
                "   completed at each party; version %llu: alice %s, bob %s, carol %s\n",
                kPayments, router.delivered, parties[0].completed, static_cast<unsigned long long>(latest.state.version),
                eth(bal[0]).c_str(), eth(bal[1]).c_str(), eth(bal[2]).c_str());
    const auto digest_evm = view(chain, adjudicator, adj::state_digest_call(latest.state).value());
    if (!digest_evm) return fail("stateDigest view", digest_evm.error());
    const Hash digest = channel::state_digest(params, latest.state);
    const bool digest_match = Bytes(digest.begin(), digest.end()) == *digest_evm;
    std::printf("   EIP-712 digest C++ %s\n                  EVM %s  %s\n", to_hex(digest).c_str(),
                to_hex(*digest_evm).c_str(), digest_match ? "(equal)" : "(MISMATCH)");
    if (!digest_match) return 1;

    // 5. The dispute: bob registers the old state, which paid him more; alice answers with the latest.
    const auto& old_bal = bob_keeps->state.outcome[0].balances;
    if (!(old_bal[1] > bal[1])) {
        std::fputs("demo failed: no older state pays bob more than the latest\n", stderr);
        return 1;
    }
    const auto stale = send_ok(chain, parties[1].key.address(), adjudicator, 0,
                               adj::register_call(params, bob_keeps->state, channel::pack_signatures(*bob_keeps).value(),
                                                  adj::Registration{})
                                   .value());
    if (!stale) return fail("register (bob, stale)", stale.error());
    const auto stale_reg = registration_in(*stale);
    if (!stale_reg) return fail("Registered event", stale_reg.error());
    std::printf("5. bob registers version %llu (bob %s there): %lld gas; the challenge runs until %llu\n",
                static_cast<unsigned long long>(bob_keeps->state.version), eth(old_bal[1]).c_str(),
                static_cast<long long>(stale->gas_used), static_cast<unsigned long long>(stale_reg->finalizes_at));
    const auto answer = send_ok(
        chain, parties[0].key.address(), adjudicator, 0,
        adj::register_call(params, latest.state, channel::pack_signatures(latest).value(), *stale_reg).value());
    if (!answer) return fail("register (alice, latest)", answer.error());
    const auto reg = registration_in(*answer);
    if (!reg) return fail("Registered event", reg.error());
    std::printf("   alice answers with version %llu: %lld gas (the deadline stays)\n",
                static_cast<unsigned long long>(latest.state.version), static_cast<long long>(answer->gas_used));
    if (auto s = chain.increase_time(static_cast<std::int64_t>(params.challenge_duration) + 1); !s.ok())
        return fail("increase time", s.error());
    const auto paid = send_ok(chain, parties[2].key.address(), adjudicator, 0,
                              adj::withdraw_call(params, latest.state, *reg).value());
    if (!paid) return fail("withdraw", paid.error());
    std::printf("   after the challenge, carol calls withdraw (pays all three): %lld gas\n",
                static_cast<long long>(paid->gas_used));

    // 6. On-chain balances: what the latest state says, not what bob registered.
    bool ok = true;
    std::puts("6. balances after the close:");
    for (std::size_t i = 0; i < parties.size(); ++i) {
        const u256 expected = 99 * kEther + bal[i];
        const u256 got = chain.balance(parties[i].key.address());
        ok = ok && got == expected;
        std::printf("   %-5s %s  (expected %s)\n", parties[i].name, eth(got).c_str(), eth(expected).c_str());
    }
    std::puts(ok ? "\nThe channel paid exactly the latest state all three signed; the stale registration moved nothing."
                 : "\nBALANCE MISMATCH");
    return ok ? 0 : 1;
}

}  // namespace
}  // namespace sluice::demo

int main() {
    return sluice::demo::run();
}
