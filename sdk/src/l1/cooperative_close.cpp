// CooperativeClose (cooperative_close.hpp): conclude and withdraw a final state, idempotently.
#include "sluice/sdk/cooperative_close.hpp"

#include <string>
#include <utility>

#include "l1_send.hpp"
#include "sluice/channel/adjudicator_abi.hpp"
#include "sluice/channel/encoding.hpp"
#include "sluice/channel/signing.hpp"
#include "sluice/core/hex.hpp"

namespace sluice::sdk {

namespace adj = channel::adjudicator;

u256 CloseResult::fees() const {
    u256 total;
    if (conclude) total += conclude->fee;
    if (withdraw) total += withdraw->fee;
    return total;
}

CooperativeClose::CooperativeClose(l1::L1Client& client, l1::TxSigner& signer, channel::Params params)
    : client_(client),
      signer_(signer),
      params_(std::move(params)),
      channel_id_(channel::channel_id(params_)) {}

l1::Async<Hash> CooperativeClose::status() {
    l1::CallRequest call;
    call.to = params_.adjudicator;
    call.data = adj::status_of_call(channel_id_);
    SLUICE_CO_TRY(const l1::CallOutcome outcome, co_await client_.call(call, l1::BlockTag::latest()));
    if (outcome.reverted) co_return make_error(Errc::l1_reverted, "statusOf() reverted");
    co_return adj::decode_bytes32_return(outcome.data);
}

l1::Async<CloseResult> CooperativeClose::close(const channel::SignedState& final_state) {
    const channel::State& state = final_state.state;
    if (state.channel_id != channel_id_)
        co_return make_error(Errc::close_not_final, "a state of another channel");
    if (!state.is_final) {
        co_return make_error(Errc::close_not_final,
                             "version " + std::to_string(state.version) + " is not final");
    }
    if (auto signed_by_all = channel::check_fully_signed(params_, final_state); !signed_by_all.ok()) {
        co_return make_error(Errc::close_not_final, "not fully signed: " + signed_by_all.error().describe());
    }
    SLUICE_CO_TRY(Bytes sigs, channel::pack_signatures(final_state));
    const adj::Registration registration = adj::concluded(state);
    const Hash concluded_status = adj::fingerprint(registration);

    CloseResult result;
    // Each pass either sends one transaction or ends; a revert that a counterparty's transaction explains
    // moves the status on, so two passes per step are the most that can be needed.
    std::optional<Error> last_revert;
    Hash reverted_at;  // the status our reverted transaction was sent against
    for (int pass = 0; pass < 4; ++pass) {
        SLUICE_CO_TRY(const Hash now, co_await status());
        if (now == adj::kStatusSettled) co_return result;
        const bool open = now == adj::kStatusNone || now == adj::kStatusOpen;
        if (!open && now != concluded_status) {
            co_return make_error(
                Errc::close_wrong_status,
                "channel " + to_hex(channel_id_.view()) + " has status " + to_hex(now.view()) +
                    ": registered in a dispute, concluded with another state or with locks pending");
        }
        if (last_revert && now == reverted_at) co_return std::move(*last_revert);  // not explained: ours
        last_revert.reset();
        l1::TxRequest request;
        request.to = params_.adjudicator;
        if (open) {
            SLUICE_CO_TRY(request.data, adj::conclude_call(params_, state, sigs));
        } else {
            SLUICE_CO_TRY(request.data, adj::withdraw_call(params_, state, registration));
        }
        auto sent = co_await detail::send_and_wait(signer_, std::move(request), Errc::close_reverted,
                                                   open ? "conclude" : "withdraw");
        if (!sent.ok()) {
            if (sent.error().code != Errc::close_reverted) co_return std::move(sent).error();
            last_revert = std::move(sent).error();
            reverted_at = now;
            continue;
        }
        if (open) {
            result.conclude = std::move(sent).value();
        } else {
            result.withdraw = std::move(sent).value();
            co_return result;
        }
    }
    co_return make_error(Errc::close_reverted, "the channel's status kept changing");
}

}  // namespace sluice::sdk
