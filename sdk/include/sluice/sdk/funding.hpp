// ChannelFunding: the L1 side of funding one channel for one participant (issue #13): our deposits in
// participant order through the TxSigner, and the channel's holdings as confirmed on L1, for the node to
// record in its Machine (record_deposit) and to know when the channel is open.
//
// Order. The adjudicator refuses a deposit while the channel holds less than the deposit's expectedHeld, so
// participant i passes the sum of the initial state's shares of 0..i-1 and cannot fund before them
// (machine.hpp, Funding: the holdings then always cover a prefix of the payout order). deposit() first polls
// holdings(channel, asset) at the latest block every poll_interval until it reaches that sum, for at most
// turn_timeout (funding_timeout), then sends deposit(params, asset, expectedHeld, amount): ETH with
// value = amount; an ERC-20 after approve(adjudicator, amount) from the same key. A revert (by gas
// estimation, so nothing is sent, or when mined) is funding_reverted with the adjudicator's decoded error,
// e.g. AlreadyFunded(held) when the channel already holds expectedHeld + amount. Our deposit does not wait
// for the lower ones to be confirmed: if a reorg drops them, ours reverts (HeldBelowExpected) and costs only
// gas.
//
// Confirmations. poll_once() reads the channel's Deposited events up to block latest - confirmations + 1
// and takes, per asset, the `held` of the newest one: the holdings as they stood at that block, so a deposit
// counts once it has `confirmations` blocks (its own included). Events rather than holdings(...) at that
// block because the devchain (and a pruned node) serves state at the latest block only, while every node
// serves logs; the two agree as long as only deposits change the holdings, i.e. until the channel is
// concluded or registered. Each poll re-reads the canonical logs from FundingOptions::from_block, so a total
// that a reorg lowered is reported lower. Set from_block to the block the channel was proposed at (or
// earlier): the range is read on every poll.
//
// Top-up. top_up(asset, amount) is a deposit with expectedHeld = the holdings now. The adjudicator takes it
// while the channel is unregistered (before any register or conclude; ChannelNotOpen / ChannelSettled
// after). But the channel's states do not allocate it: every update keeps the per-asset totals unchanged
// (check_value_rules), so no state can hand the extra to anyone, and withdraw pays the state's shares only.
// The surplus stays in the channel after settlement, where sweep(params, asset) splits it equally among
// the participants. Until an update that raises a total exists, a top-up is a gift to all participants in
// equal parts; the node should not offer it as a way to add funds.
//
// One object per channel and participant, used from one executor (its coroutines read and write the
// confirmed holdings without a lock); it must outlive every coroutine it started.
#pragma once

#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <vector>

#include "sluice/channel/types.hpp"
#include "sluice/l1/l1_client.hpp"
#include "sluice/l1/tx_signer.hpp"
#include "sluice/sdk/sent_tx.hpp"

namespace sluice::sdk {

struct FundingOptions {
    std::uint32_t confirmations = 1;  // 1: mined is enough (0 is taken as 1)
    std::chrono::milliseconds poll_interval{1'000};
    std::chrono::milliseconds turn_timeout{10 * 60'000};  // waiting for the lower indices' deposits
    std::int64_t from_block = 0;  // the first block that can hold a deposit of the channel
};

// The channel's confirmed holdings of `asset` changed to `total` (lower after a reorg).
struct HoldingsChange {
    Address asset;
    u256 total;

    friend bool operator==(const HoldingsChange&, const HoldingsChange&) = default;
};

struct DepositResult {
    u256 expected_held;  // what the channel held before it, as passed to the adjudicator
    u256 amount;
    std::optional<SentTx> approval;  // ERC-20 only: approve(adjudicator, amount)
    SentTx deposit;
};

class ChannelFunding {
  public:
    // funding_bad_request when our_index is not a participant, `initial` is not a state of the channel
    // (validate_shape) or holds locks (a share is then not what a participant deposits).
    static Result<std::unique_ptr<ChannelFunding>> create(l1::L1Client& client, l1::TxSigner& signer,
                                                          channel::Params params, std::size_t our_index,
                                                          const channel::State& initial,
                                                          FundingOptions options = {});
    ChannelFunding(const ChannelFunding&) = delete;
    ChannelFunding& operator=(const ChannelFunding&) = delete;

    const Hash& channel_id() const noexcept { return channel_id_; }
    // The initial state's assets, in its order.
    std::vector<Address> assets() const;
    // Our share of `asset` in the initial state, and the sum of the lower indices' shares: what the channel
    // must hold before our deposit (funding_bad_request for an asset the initial state does not have).
    Result<u256> our_share(const Address& asset) const;
    Result<u256> held_before_us(const Address& asset) const;

    // Our initial deposit of `asset`: our share (funding_bad_request when it is zero), in participant order.
    l1::Async<DepositResult> deposit(const Address& asset);
    // `amount` of `asset` in participant order: after the lower indices' shares.
    l1::Async<DepositResult> deposit(const Address& asset, const u256& amount);
    // A deposit while open: expectedHeld = the holdings at the latest block (see Top-up above).
    l1::Async<DepositResult> top_up(const Address& asset, const u256& amount);
    // The primitive: waits until the channel holds expected_held of `asset` (funding_timeout after
    // turn_timeout), then deposits `amount` with that expectedHeld.
    l1::Async<DepositResult> deposit_after(const Address& asset, const u256& expected_held,
                                           const u256& amount);

    // What the channel holds of `asset` at the latest block (unconfirmed).
    l1::Async<u256> holdings(const Address& asset);

    // One read of the confirmed holdings (see Confirmations above): the assets whose total differs from the
    // last poll, in asset order. The initial state's assets start at zero, so a first poll reports every
    // asset already confirmed.
    l1::Async<std::vector<HoldingsChange>> poll_once();
    // poll_once every poll_interval, `on_change` for each change, until stop() (true) or a poll fails (its
    // error). The node calls Machine::record_deposit and emits DepositConfirmed from on_change.
    l1::Async<bool> watch_confirmed(std::function<void(const HoldingsChange&)> on_change);
    void stop() noexcept { stopped_.store(true); }

    // The confirmed holdings as of the last poll (assets never seen are absent or zero).
    const std::map<Address, u256>& confirmed() const noexcept { return confirmed_; }
    // Every asset of the initial state is confirmed at or above its total: the channel is open.
    bool fully_funded() const;

  private:
    ChannelFunding(l1::L1Client& client, l1::TxSigner& signer, channel::Params params, std::size_t our_index,
                   const channel::State& initial, FundingOptions options);
    const channel::Alloc* alloc_of(const Address& asset) const;

    l1::L1Client& client_;
    l1::TxSigner& signer_;
    channel::Params params_;
    Hash channel_id_;
    std::size_t index_;
    std::vector<channel::Alloc> initial_;
    FundingOptions options_;
    std::map<Address, u256> confirmed_;
    std::atomic<bool> stopped_{false};
};

}  // namespace sluice::sdk
