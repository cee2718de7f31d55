// The synthetic EVM workloads: hand-assembled contracts, a funded pre-state and batch generators.
#include "sluice/parallel/evm_workload.hpp"

#include <random>
#include <string>
#include <unordered_map>
#include <utility>

#include "sluice/evm/instructions_table.hpp"

namespace sluice::parallel {
namespace {

using evm::Opcode;
using O = Opcode;

// A minimal assembler: opcodes, pushes, and one-byte label references (every contract here is
// shorter than 256 bytes, so PUSH1 reaches every jump destination).
class Asm {
public:
    Asm& op(Opcode o) {
        code_.push_back(static_cast<std::uint8_t>(o));
        return *this;
    }
    Asm& push(std::uint64_t v) {
        Bytes be;
        do {
            be.insert(be.begin(), static_cast<std::uint8_t>(v & 0xff));
            v >>= 8;
        } while (v != 0);
        return push_bytes(be);
    }
    Asm& push_bytes(const Bytes& be) {
        code_.push_back(static_cast<std::uint8_t>(0x5f + be.size()));
        code_.insert(code_.end(), be.begin(), be.end());
        return *this;
    }
    Asm& push_label(const std::string& name) {
        code_.push_back(static_cast<std::uint8_t>(O::PUSH1));
        fixups_.emplace_back(code_.size(), name);
        code_.push_back(0);
        return *this;
    }
    Asm& label(const std::string& name) {
        labels_[name] = code_.size();
        return op(O::JUMPDEST);
    }
    Bytes build() const {
        Bytes out = code_;
        for (const auto& [pos, name] : fixups_) out[pos] = static_cast<std::uint8_t>(labels_.at(name));
        return out;
    }

private:
    Bytes code_;
    std::vector<std::pair<std::size_t, std::string>> fixups_;
    std::unordered_map<std::string, std::size_t> labels_;
};

Address numbered(std::uint8_t tag, std::uint64_t n) {
    Address a;
    a[0] = tag;
    for (std::size_t i = 0; i < 8; ++i) a[19 - i] = static_cast<std::uint8_t>(n >> (8 * i));
    return a;
}

Bytes32 word_of(const Address& a) {
    Bytes32 w;
    for (std::size_t i = 0; i < 20; ++i) w[12 + i] = a[i];
    return w;
}

Bytes32 word_of(std::uint64_t v) { return u256{v}.to_be(); }

Bytes concat(const Bytes32& a, const Bytes32& b) {
    Bytes out(a.begin(), a.end());
    out.insert(out.end(), b.begin(), b.end());
    return out;
}

Bytes counter_code() {
    return Asm{}.push(0).op(O::CALLDATALOAD).op(O::DUP1).op(O::SLOAD).push(1).op(O::ADD).op(O::SWAP1)
        .op(O::SSTORE).op(O::STOP).build();
}

// transfer(to = word 0, amount = word 1): balances live at slot = holder address.
Bytes token_code() {
    return Asm{}
        .push(0x20).op(O::CALLDATALOAD)                      // amount
        .op(O::CALLER).op(O::SLOAD)                          // amount, balance
        .op(O::DUP2).op(O::DUP2).op(O::LT).push_label("short").op(O::JUMPI)
        .op(O::DUP2).op(O::SWAP1).op(O::SUB).op(O::CALLER).op(O::SSTORE)  // balance[caller] -= amount
        .push(0).op(O::CALLDATALOAD).op(O::DUP1).op(O::SLOAD).op(O::DUP3).op(O::ADD).op(O::SWAP1)
        .op(O::SSTORE)                                       // balance[to] += amount
        .push(0).op(O::MSTORE)
        .push(0).op(O::CALLDATALOAD).op(O::CALLER).push(0xdd).push(0x20).push(0).op(O::LOG3)
        .op(O::STOP)
        .label("short").push(0).op(O::DUP1).op(O::REVERT)
        .build();
}

Bytes self_balance_code() { return Asm{}.op(O::SELFBALANCE).op(O::CALLER).op(O::SSTORE).op(O::STOP).build(); }

Bytes coinbase_probe_code() {
    return Asm{}.op(O::COINBASE).op(O::BALANCE).op(O::CALLER).op(O::SSTORE).op(O::STOP).build();
}

Bytes reverter_code() { return Asm{}.push(1).push(0).op(O::SSTORE).push(0).op(O::DUP1).op(O::REVERT).build(); }

Bytes looper_code() { return Asm{}.label("top").push_label("top").op(O::JUMP).build(); }

// Child initcode: stores 7 in slot 0 and deploys the one-byte runtime 0x00 (STOP).
Bytes child_initcode() { return Asm{}.push(7).push(0).op(O::SSTORE).push(1).push(0).op(O::RETURN).build(); }

Bytes factory_code() {
    const Bytes child = child_initcode();
    const Bytes doomed = Asm{}.op(O::CALLER).op(O::SELFDESTRUCT).build();
    const auto child_offset = 32 - child.size();
    const auto doomed_offset = 32 - doomed.size();
    return Asm{}
        .push(0x20).op(O::CALLDATALOAD)
        .op(O::DUP1).push(2).op(O::EQ).push_label("doomed").op(O::JUMPI)
        .op(O::DUP1).push(1).op(O::EQ).push_label("create").op(O::JUMPI)
        .push_bytes(child).push(0).op(O::MSTORE)
        .push(0).op(O::CALLDATALOAD).push(child.size()).push(child_offset).push(0).op(O::CREATE2)
        .push(0).op(O::CALLDATALOAD).op(O::SSTORE).op(O::STOP)
        .label("create")
        .push_bytes(child).push(0).op(O::MSTORE)
        .push(child.size()).push(child_offset).push(0).op(O::CREATE)
        .push(0).op(O::CALLDATALOAD).op(O::SSTORE).op(O::STOP)
        .label("doomed")
        .push_bytes(doomed).push(0).op(O::MSTORE)
        .push(0).op(O::CALLDATALOAD).push(doomed.size()).push(doomed_offset).push(0).op(O::CREATE2)
        .push(0).op(O::CALLDATALOAD).op(O::SSTORE).op(O::STOP)
        .build();
}

constexpr std::uint64_t kEther = 1'000'000'000'000'000'000ULL;
constexpr std::uint64_t kBaseFee = 7;
constexpr std::uint64_t kTokenSupply = 1'000'000;

EvmWorkload base_workload(std::size_t num_senders) {
    EvmWorkload w;
    std::unordered_map<Bytes32, u256> token_balances;
    for (std::size_t i = 0; i < num_senders; ++i) {
        w.state.put_account(workload_sender(i), 0, u256{100 * kEther}, {}, {});
        token_balances.emplace(word_of(workload_sender(i)), u256{kTokenSupply});
    }
    // One slot far from the ones the workloads count in, as any deployed contract with state has:
    // without it the first increment would also turn the account's has_storage true.
    w.state.put_account(WorkloadContracts::counter(), 1, u256{}, counter_code(),
                        {{u256{1ULL << 62}.to_be(), u256{1}}});
    w.state.put_account(WorkloadContracts::token(), 1, u256{}, token_code(), std::move(token_balances));
    w.state.put_account(WorkloadContracts::self_balance(), 1, u256{5}, self_balance_code(), {});
    w.state.put_account(WorkloadContracts::coinbase_probe(), 1, u256{}, coinbase_probe_code(), {});
    w.state.put_account(WorkloadContracts::reverter(), 1, u256{}, reverter_code(), {});
    w.state.put_account(WorkloadContracts::looper(), 1, u256{}, looper_code(), {});
    w.state.put_account(WorkloadContracts::factory(), 1, u256{}, factory_code(), {});
    w.block.coinbase = numbered(0xcb, 1);
    w.block.number = 1;
    w.block.timestamp = 1'700'000'000;
    w.block.gas_limit = 1'000'000'000'000;
    w.block.base_fee = kBaseFee;
    w.block.blob_params = evm::default_blob_params(w.rev);
    return w;
}

evm::Transaction make_tx(const Address& from, std::uint64_t nonce, std::optional<Address> to, const u256& value,
                         Bytes data, std::uint64_t gas_limit, std::uint64_t tip) {
    evm::Transaction tx;
    tx.type = evm::TxType::dynamic_fee;
    tx.sender = from;
    tx.nonce = nonce;
    tx.to = to;
    tx.value = value;
    tx.data = std::move(data);
    tx.gas_limit = gas_limit;
    tx.max_fee_per_gas = u256{kBaseFee + tip};
    tx.max_priority_fee_per_gas = u256{tip};
    return tx;
}

Bytes token_transfer(const Address& to, std::uint64_t amount) { return concat(word_of(to), word_of(amount)); }
Bytes counter_call(std::uint64_t slot) {
    const Bytes32 w = word_of(slot);
    return Bytes(w.begin(), w.end());
}

}  // namespace

Address WorkloadContracts::counter() { return numbered(0xc0, 1); }
Address WorkloadContracts::token() { return numbered(0xc0, 2); }
Address WorkloadContracts::self_balance() { return numbered(0xc0, 3); }
Address WorkloadContracts::coinbase_probe() { return numbered(0xc0, 4); }
Address WorkloadContracts::reverter() { return numbered(0xc0, 5); }
Address WorkloadContracts::looper() { return numbered(0xc0, 6); }
Address WorkloadContracts::factory() { return numbered(0xc0, 7); }

Address workload_sender(std::size_t i) { return numbered(0x5e, i + 1); }

EvmWorkload make_random_batch(std::uint64_t seed, const RandomBatchConfig& config) {
    EvmWorkload w = base_workload(config.num_senders);
    std::mt19937_64 rng(seed);
    auto pick = [&](std::uint64_t n) { return std::uniform_int_distribution<std::uint64_t>(0, n - 1)(rng); };
    auto chance = [&](double p) { return std::uniform_real_distribution<double>(0, 1)(rng) < p; };

    switch (pick(3)) {
        case 0: w.block.coinbase = numbered(0xcb, pick(1000) + 1); break;
        case 1: w.block.coinbase = workload_sender(pick(config.num_senders)); break;
        default: w.block.coinbase = WorkloadContracts::self_balance(); break;
    }
    if (config.coinbase_untouched) w.block.coinbase = numbered(0xcb, 1001);
    std::vector<std::uint64_t> nonces(config.num_senders, 0);
    std::size_t sender = pick(config.num_senders);
    for (std::size_t i = 0; i < config.num_txs; ++i) {
        if (!chance(config.same_sender_share)) sender = pick(config.num_senders);
        const Address from = workload_sender(sender);
        const std::uint64_t tip = pick(8) == 0 && !config.coinbase_untouched ? 0 : 1 + pick(3);
        auto next = [&](std::optional<Address> to, const u256& value, Bytes data, std::uint64_t gas) {
            w.txs.push_back(make_tx(from, nonces[sender]++, to, value, std::move(data), gas, tip));
        };
        auto any_address = [&]() -> Address {
            switch (pick(4)) {
                case 0: return workload_sender(pick(config.num_senders));
                case 1: return numbered(0xf0, pick(16));
                case 2: return config.coinbase_untouched ? numbered(0xf0, 16 + pick(16)) : w.block.coinbase;
                default: return WorkloadContracts::self_balance();
            }
        };
        switch (pick(12)) {
            case 0:
            case 1: next(any_address(), u256{pick(3) == 0 ? 0 : 1 + pick(1000)}, {}, 100'000); break;
            case 2:
            case 3: {
                const Address to = pick(4) == 0 ? numbered(0xf0, pick(16)) : workload_sender(pick(config.num_senders));
                const std::uint64_t amount = pick(10) == 0 ? kTokenSupply * 3 : pick(1000);  // some revert
                next(WorkloadContracts::token(), u256{}, token_transfer(to, amount), 100'000);
                break;
            }
            case 4:
            case 5: {
                const std::uint64_t slot = chance(config.hot_share) ? pick(2) : 100 + pick(1'000'000);
                next(WorkloadContracts::counter(), u256{}, counter_call(slot), 100'000);
                break;
            }
            case 6: next(WorkloadContracts::self_balance(), u256{pick(2) * pick(500)}, {}, 100'000); break;
            case 7:
                if (config.coinbase_untouched) {
                    next(WorkloadContracts::counter(), u256{}, counter_call(100 + pick(1'000'000)), 100'000);
                } else {
                    next(WorkloadContracts::coinbase_probe(), u256{}, {}, 100'000);
                }
                break;
            case 8:
                if (pick(2) == 0) {
                    next(WorkloadContracts::reverter(), u256{pick(100)}, {}, 100'000);
                } else if (pick(2) == 0) {
                    next(WorkloadContracts::looper(), u256{}, {}, 40'000);
                } else {  // the counter, short of gas for its SSTORE
                    next(WorkloadContracts::counter(), u256{}, counter_call(pick(2)), 25'000);
                }
                break;
            case 9: {
                const Bytes data = concat(word_of(pick(4)), word_of(pick(3)));  // few salts: collisions
                next(WorkloadContracts::factory(), u256{}, data, 200'000);
                break;
            }
            case 10: next(std::nullopt, u256{pick(50)}, child_initcode(), 200'000); break;
            default: {  // invalid: a nonce gap or a value the sender cannot pay; changes nothing
                evm::Transaction tx = make_tx(from, nonces[sender], workload_sender(0), u256{}, {}, 21'000, tip);
                if (pick(2) == 0) {
                    tx.nonce += 1 + pick(3);
                } else {
                    tx.value = u256{1000 * kEther};
                }
                w.txs.push_back(std::move(tx));
                break;
            }
        }
    }
    return w;
}

EvmWorkload make_transfers_workload(std::size_t n) {
    EvmWorkload w = base_workload(n);
    for (std::size_t i = 0; i < n; ++i) {
        w.txs.push_back(make_tx(workload_sender(i), 0, numbered(0xf1, i), u256{1000 + i}, {}, 21'000, 2));
    }
    return w;
}

EvmWorkload make_erc20_workload(std::size_t n) {
    EvmWorkload w = base_workload(n);
    for (std::size_t i = 0; i < n; ++i) {
        w.txs.push_back(make_tx(workload_sender(i), 0, WorkloadContracts::token(), u256{},
                                token_transfer(numbered(0xf1, i), 10 + i % 100), 100'000, 2));
    }
    return w;
}

EvmWorkload make_hotspot_workload(std::size_t n) {
    EvmWorkload w = base_workload(n);
    for (std::size_t i = 0; i < n; ++i) {
        w.txs.push_back(make_tx(workload_sender(i), 0, WorkloadContracts::counter(), u256{}, counter_call(0),
                                100'000, 2));
    }
    return w;
}

EvmWorkload make_mixed_workload(std::size_t n) {
    EvmWorkload w = base_workload(n);
    for (std::size_t i = 0; i < n; ++i) {
        if (i % 10 == 3) {
            w.txs.push_back(make_tx(workload_sender(i), 0, WorkloadContracts::counter(), u256{}, counter_call(0),
                                    100'000, 2));
        } else {
            w.txs.push_back(make_tx(workload_sender(i), 0, WorkloadContracts::token(), u256{},
                                    token_transfer(numbered(0xf1, i), 10 + i % 100), 100'000, 2));
        }
    }
    return w;
}

}  // namespace sluice::parallel
