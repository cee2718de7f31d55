// CooperativeClose: closing a channel on L1 with a fully signed final state (issue #13): conclude(params,
// state, sigs) settles it at once, then withdraw(params, state, concluded(state)) pays every participant its
// balances in one transaction (anyone may send it; it pays all of them).
//
// Idempotent, from statusOf(channel):
//   none / open                           conclude, then withdraw;
//   fingerprint(concluded(state))         already concluded with this state (a counterparty was first):
//                                         withdraw only;
//   settled                               already withdrawn: done, nothing sent;
//   anything else                         close_wrong_status: registered in a dispute (the dispute path
//                                         must answer it), concluded with another state, or withdrawn with
//                                         locks still pending (withdrawLocks, not done here; a final state
//                                         normally has none).
// A conclude or withdraw that reverts because a counterparty's landed first (the status moved on while
// ours was in flight) is not an error: the status is read again and the close goes on from there. Any other
// revert is close_reverted with the adjudicator's decoded error.
//
// Used from one executor; the object must outlive the coroutine.
#pragma once

#include <optional>

#include "sluice/channel/types.hpp"
#include "sluice/l1/l1_client.hpp"
#include "sluice/l1/tx_signer.hpp"
#include "sluice/sdk/sent_tx.hpp"

namespace sluice::sdk {

struct CloseResult {
    std::optional<SentTx> conclude;  // nullopt: already concluded on L1
    std::optional<SentTx> withdraw;  // nullopt: already withdrawn
    // What we paid in fees for both.
    u256 fees() const;
};

class CooperativeClose {
  public:
    CooperativeClose(l1::L1Client& client, l1::TxSigner& signer, channel::Params params);

    // close_not_final unless `final_state` is a final state of this channel signed by every participant.
    l1::Async<CloseResult> close(const channel::SignedState& final_state);
    // statusOf(channel) at the latest block.
    l1::Async<Hash> status();

  private:
    l1::L1Client& client_;
    l1::TxSigner& signer_;
    channel::Params params_;
    Hash channel_id_;
};

}  // namespace sluice::sdk
