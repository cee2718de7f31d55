#include "sluice/l1/fork_state.hpp"

#include <boost/asio/co_spawn.hpp>
#include <exception>
#include <future>

#include "sluice/core/keccak.hpp"
#include "sluice/evm/trie.hpp"

namespace sluice::l1 {
namespace {

// Runs `work` on `executor` and waits for it on this thread.
template <class T>
T block_on(const boost::asio::any_io_executor& executor, boost::asio::awaitable<T> work) {
    std::promise<T> promise;
    auto future = promise.get_future();
    boost::asio::co_spawn(
        executor, [&]() -> boost::asio::awaitable<void> { promise.set_value(co_await std::move(work)); },
        [&](std::exception_ptr e) {
            if (e) promise.set_exception(e);
        });
    return future.get();
}

Async<std::pair<BlockSummary, u256>> read_pin(L1Client& client, BlockTag tag) {
    SLUICE_CO_TRY(const u256 chain_id, co_await client.chain_id());
    SLUICE_CO_TRY(std::optional<BlockSummary> block, co_await client.block(tag));
    if (!block)
        co_return make_error(Errc::l1_malformed_reply, "fork: the node has no block " + tag.to_param());
    co_return std::pair{std::move(*block), chain_id};
}

struct Fetched {
    std::optional<evm::AccountInfo> account;
    std::shared_ptr<const Bytes> code;  // null when not read with the account
};

// One account without eth_getProof: three reads. Whether it has storage is then unknown; an account with code
// (a contract, or a delegated EOA) is taken to have some, since the EVM skips SLOADs of accounts that have
// none.
Async<Fetched> read_account_plain(L1Client& client, Address addr, BlockTag at) {
    SLUICE_CO_TRY(const u256 balance, co_await client.balance(addr, at));
    SLUICE_CO_TRY(const std::uint64_t nonce, co_await client.nonce(addr, at));
    SLUICE_CO_TRY(Bytes code, co_await client.code(addr, at));
    Fetched out;
    auto shared = std::make_shared<const Bytes>(std::move(code));
    evm::AccountInfo info;
    info.nonce = nonce;
    info.balance = balance;
    info.code_hash = shared->empty() ? evm::kEmptyCodeHash : keccak256(*shared);
    info.has_storage = !shared->empty();
    if (!info.is_empty()) out.account = info;
    out.code = std::move(shared);
    co_return out;
}

}  // namespace

std::size_t ForkState::SlotHash::operator()(const SlotKey& k) const noexcept {
    return std::hash<Address>{}(k.address) ^ (std::hash<Bytes32>{}(k.slot) * 0x9e3779b97f4a7c15ULL);
}

ForkState::ForkState(L1Client& client, boost::asio::any_io_executor executor, BlockSummary block,
                     u256 chain_id)
    : client_(client), executor_(std::move(executor)), block_(std::move(block)), chain_id_(chain_id) {}

Result<std::unique_ptr<ForkState>> ForkState::pin(L1Client& client, boost::asio::any_io_executor executor,
                                                  BlockTag block) {
    SLUICE_TRY(auto pinned, block_on(executor, read_pin(client, block)));
    return std::unique_ptr<ForkState>(
        new ForkState(client, std::move(executor), std::move(pinned.first), pinned.second));
}

void ForkState::record(const Error& error) const {
    const std::lock_guard lock(mutex_);
    if (!error_) error_ = error;
}

Status ForkState::status() const {
    const std::lock_guard lock(mutex_);
    if (error_) return *error_;
    return {};
}

std::uint64_t ForkState::reads() const {
    const std::lock_guard lock(mutex_);
    return reads_;
}

std::optional<evm::AccountInfo> ForkState::account(const Address& addr) const {
    {
        const std::lock_guard lock(mutex_);
        if (const auto it = accounts_.find(addr); it != accounts_.end()) return it->second;
        ++reads_;
    }
    const BlockTag at = BlockTag::at(block_.number);
    Fetched fetched;
    bool have = false;
    if (has_proof_) {
        auto proof = block_on(executor_, client_.proof(addr, {}, at));
        if (proof.ok()) {
            evm::AccountInfo info;
            info.nonce = proof->nonce;
            info.balance = proof->balance;
            info.code_hash = proof->code_hash;
            info.has_storage = proof->storage_hash != evm::kEmptyTrieRoot;
            // Nodes report an absent account with the empty hashes and zeros.
            if (!info.is_empty() || info.has_storage) fetched.account = info;
            have = true;
        } else if (proof.error().code == Errc::l1_method_not_found) {
            has_proof_ = false;
        } else {
            record(proof.error());
            return std::nullopt;
        }
    }
    if (!have) {
        auto plain = block_on(executor_, read_account_plain(client_, addr, at));
        if (!plain.ok()) {
            record(plain.error());
            return std::nullopt;
        }
        fetched = std::move(plain).value();
    }
    const std::lock_guard lock(mutex_);
    if (fetched.code) code_.emplace(addr, fetched.code);
    return accounts_.emplace(addr, fetched.account).first->second;
}

u256 ForkState::storage(const Address& addr, const Bytes32& key) const {
    {
        const std::lock_guard lock(mutex_);
        if (const auto it = storage_.find(SlotKey{addr, key}); it != storage_.end()) return it->second;
        ++reads_;
    }
    auto value = block_on(executor_, client_.storage(addr, key, BlockTag::at(block_.number)));
    if (!value.ok()) {
        record(value.error());
        return u256{};
    }
    const std::lock_guard lock(mutex_);
    return storage_.emplace(SlotKey{addr, key}, *value).first->second;
}

std::shared_ptr<const Bytes> ForkState::code(const Address& addr) const {
    {
        const std::lock_guard lock(mutex_);
        if (const auto it = code_.find(addr); it != code_.end()) return it->second;
        ++reads_;
    }
    auto fetched = block_on(executor_, client_.code(addr, BlockTag::at(block_.number)));
    if (!fetched.ok()) {
        record(fetched.error());
        return std::make_shared<const Bytes>();
    }
    auto shared = std::make_shared<const Bytes>(std::move(fetched).value());
    const std::lock_guard lock(mutex_);
    return code_.emplace(addr, std::move(shared)).first->second;
}

evm::BlockInfo ForkState::next_block_info(std::int64_t timestamp) const {
    evm::BlockInfo info;
    info.coinbase = block_.coinbase;
    info.number = block_.number + 1;
    info.timestamp = timestamp;
    info.gas_limit = block_.gas_limit;
    if (block_.base_fee) info.base_fee = next_base_fee(*block_.base_fee, block_.gas_used, block_.gas_limit);
    info.prev_randao = block_.prev_randao;
    info.chain_id = chain_id_;
    return info;
}

}  // namespace sluice::l1
