// eth_getProof: proofs of accounts (present and absent) and storage slots (set and unset) from the devchain's
// state trie, checked by verify_account_proof against the block's state root; tampered proofs refused; the
// trie proofs of a small trie with embedded nodes; and the JSON-RPC method with its bad params.
#include "sluice/l1/state_proof.hpp"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>
#include <utility>
#include <vector>

#include "sluice/core/hex.hpp"
#include "sluice/evm/trie.hpp"
#include "sluice/l1/dev_accounts.hpp"
#include "sluice/l1/rpc_dispatcher.hpp"

namespace sluice::l1 {
namespace {

using Json = nlohmann::json;

// CALLVALUE CALLER SSTORE STOP: stores what the caller sent under the caller's address.
const Bytes kOwnSlot = {0x34, 0x33, 0x55, 0x00};
const Address kStore = Address::from_hex("0x00000000000000000000000000000000005707e5").value();

Bytes32 slot_of(const Address& a) {
    Bytes32 s;
    std::copy(a.begin(), a.end(), s.begin() + 12);
    return s;
}

// A chain where the 20 dev accounts each stored a value in kStore.
Devchain filled_chain() {
    Devchain chain(dev_accounts_config());
    chain.set_code(kStore, kOwnSlot);
    for (std::size_t i = 0; i < kDevAccountCount; ++i) {
        EXPECT_TRUE(chain.send(dev_account_address(i), kStore, u256{i + 1}, {}, 100'000).ok());
    }
    return chain;
}

TEST(StateProof, AccountsAndSlotsProveAgainstTheStateRoot) {
    const Devchain chain = filled_chain();
    const Hash root = chain.latest_block().state_root;
    ASSERT_EQ(root, chain.state().state_root());
    for (std::size_t i = 0; i < kDevAccountCount; ++i) {
        const AccountProof p = chain.proof(dev_account_address(i), {});
        EXPECT_EQ(p.nonce, 1u);
        EXPECT_GE(p.account_proof.size(), 2u);
        EXPECT_TRUE(verify_account_proof(root, p).ok()) << i;
    }
    std::vector<Bytes32> keys;
    for (std::size_t i = 0; i < kDevAccountCount; ++i)
        keys.push_back(slot_of(dev_account_address(i)));
    keys.push_back(Bytes32{});  // never written
    const AccountProof store = chain.proof(kStore, keys);
    ASSERT_EQ(store.storage.size(), keys.size());
    for (std::size_t i = 0; i < kDevAccountCount; ++i)
        EXPECT_EQ(store.storage[i].value, u256{i + 1});
    EXPECT_EQ(store.storage.back().value, u256{});
    const Status verified = verify_account_proof(root, store);
    EXPECT_TRUE(verified.ok()) << verified.error().describe();

    const Address nobody = Address::from_hex("0x000000000000000000000000000000000000dead").value();
    const AccountProof absent = chain.proof(nobody, keys);
    EXPECT_EQ(absent.storage_hash, evm::kEmptyTrieRoot);
    EXPECT_TRUE(verify_account_proof(root, absent).ok());
}

TEST(StateProof, TamperedProofsAreRefused) {
    const Devchain chain = filled_chain();
    const Hash root = chain.latest_block().state_root;
    const std::vector<Bytes32> keys = {slot_of(dev_account_address(3))};
    const AccountProof good = chain.proof(kStore, keys);
    ASSERT_TRUE(verify_account_proof(root, good).ok());
    const auto refused = [&](AccountProof p, const char* what) {
        const Status s = verify_account_proof(root, p);
        ASSERT_FALSE(s.ok()) << what;
        EXPECT_EQ(s.error().code, Errc::devchain_bad_proof) << what;
    };
    AccountProof p = good;
    p.balance = p.balance + u256{1};
    refused(p, "balance");
    p = good;
    p.nonce = 7;
    refused(p, "nonce");
    p = good;
    p.storage[0].value = u256{99};
    refused(p, "slot value");
    p = good;
    p.account_proof.back().back() ^= 1;
    refused(p, "a flipped byte");
    p = good;
    p.account_proof.pop_back();
    refused(p, "a missing node");
    p = good;
    p.storage[0].proof.clear();
    refused(p, "no storage nodes");
    p = good;
    p.account_proof[0] = Bytes{0xc0};
    refused(p, "a wrong root node");
    // An absent account that claims a balance, and a present one claimed absent.
    AccountProof ghost =
        chain.proof(Address::from_hex("0x000000000000000000000000000000000000dead").value(), {});
    ghost.balance = u256{1};
    refused(ghost, "an absent account with a balance");
    p = chain.proof(dev_account_address(0), {});
    p.account_proof = chain.proof(Address::from_hex("0x000000000000000000000000000000000000dead").value(), {})
                          .account_proof;
    refused(p, "another account's path");
    EXPECT_FALSE(verify_account_proof(Hash{}, good).ok());
}

TEST(StateProof, SmallTrieWithEmbeddedNodes) {
    // Short keys and values make nodes under 32 bytes, which their parents embed.
    const auto bytes = [](const std::string& s) { return Bytes(s.begin(), s.end()); };
    const std::vector<std::pair<Bytes, Bytes>> entries = {{bytes("do"), bytes("verb")},
                                                          {bytes("dog"), bytes("puppy")},
                                                          {bytes("doge"), bytes("coin")},
                                                          {bytes("horse"), bytes("stallion")}};
    const Hash root = evm::trie_root(entries);
    for (const auto& [key, value] : entries) {
        const auto proof = evm::trie_proof(entries, key);
        const auto got = verify_trie_proof(root, key, proof);
        ASSERT_TRUE(got.ok()) << got.error().describe();
        ASSERT_TRUE(got->has_value());
        EXPECT_EQ(**got, value);
    }
    for (const std::string absent : {"d", "dot", "dogs", "horses", "zebra"}) {
        const auto proof = evm::trie_proof(entries, bytes(absent));
        const auto got = verify_trie_proof(root, bytes(absent), proof);
        ASSERT_TRUE(got.ok()) << absent << ": " << got.error().describe();
        EXPECT_FALSE(got->has_value()) << absent;
    }
    EXPECT_TRUE(evm::trie_proof({}, bytes("x")).empty());
    const auto empty = verify_trie_proof(evm::kEmptyTrieRoot, bytes("x"), {});
    ASSERT_TRUE(empty.ok());
    EXPECT_FALSE(empty->has_value());
}

// The JSON answer read back into an AccountProof.
AccountProof from_json(const Json& j) {
    const auto nodes = [](const Json& list) {
        std::vector<Bytes> out;
        for (const Json& n : list)
            out.push_back(from_hex(n.get<std::string>()).value());
        return out;
    };
    AccountProof p;
    p.address = Address::from_hex(j["address"].get<std::string>()).value();
    p.nonce = u256::from_string(j["nonce"].get<std::string>()).value().low64();
    p.balance = u256::from_string(j["balance"].get<std::string>()).value();
    p.code_hash = Hash::from_view(from_hex(j["codeHash"].get<std::string>()).value()).value();
    p.storage_hash = Hash::from_view(from_hex(j["storageHash"].get<std::string>()).value()).value();
    p.account_proof = nodes(j["accountProof"]);
    for (const Json& s : j["storageProof"]) {
        p.storage.push_back(
            StorageProof{Bytes32::from_view(from_hex(s["key"].get<std::string>()).value()).value(),
                         u256::from_string(s["value"].get<std::string>()).value(), nodes(s["proof"])});
    }
    return p;
}

TEST(StateProof, GetProofOverJsonRpcVerifiesAndRefusesBadParams) {
    Devchain chain = filled_chain();
    RpcDispatcher rpc(chain);
    const auto call = [&](Json params) {
        const Json request = {
            {"jsonrpc", "2.0"}, {"id", 1}, {"method", "eth_getProof"}, {"params", std::move(params)}};
        return Json::parse(rpc.handle(request.dump()));
    };
    const std::string slot = to_hex(slot_of(dev_account_address(2)).view());
    const Json r = call({kStore.to_hex(), {slot, "0x0"}, "latest"});
    ASSERT_TRUE(r.contains("result")) << r.dump();
    EXPECT_EQ(r["result"]["storageProof"][0]["value"], "0x3");
    EXPECT_EQ(r["result"]["storageProof"][1]["value"], "0x0");
    const Json block = Json::parse(rpc.handle(
        R"({"jsonrpc":"2.0","id":2,"method":"eth_getBlockByNumber","params":["latest",false]})"))["result"];
    const Hash root = Hash::from_view(from_hex(block["stateRoot"].get<std::string>()).value()).value();
    const Status verified = verify_account_proof(root, from_json(r["result"]));
    EXPECT_TRUE(verified.ok()) << verified.error().describe();

    const auto code = [&](Json params) {
        const Json e = call(std::move(params));
        EXPECT_TRUE(e.contains("error")) << e.dump();
        return e.contains("error") ? e["error"]["code"].get<int>() : 0;
    };
    EXPECT_EQ(code({kStore.to_hex()}), -32602);                                 // no keys
    EXPECT_EQ(code({kStore.to_hex(), slot}), -32602);                           // keys not an array
    EXPECT_EQ(code({kStore.to_hex(), {"0x" + std::string(66, '1')}}), -32602);  // a slot over 32 bytes
    EXPECT_EQ(code({kStore.to_hex(), {42}}), -32602);                           // a number, not hex
    EXPECT_EQ(code({"0x1234", Json::array()}), -32602);                         // not an address
    EXPECT_EQ(code({kStore.to_hex(), Json::array(), "0x0"}), -32602);           // an old block
    EXPECT_EQ(code({kStore.to_hex(), Json(std::vector<std::string>(1025, "0x0"))}), -32602);
    EXPECT_TRUE(call({kStore.to_hex(), Json::array()}).contains("result"));  // still serving
}

}  // namespace
}  // namespace sluice::l1
