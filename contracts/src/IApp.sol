// SPDX-License-Identifier: MIT
// The interface an app channel's rules contract implements; the adjudicator calls it in `progress`,
// and nodes run it in the embedded EVM before signing an update.
pragma solidity 0.8.28;

import {Params, State} from "./ChannelTypes.sol";

interface IApp {
    // True when participant `actorIdx` may move the channel from `from` to `to` (to.version == from.version + 1).
    // The adjudicator has already checked versions, channel id, the mover's signature, that per-asset totals
    // are unchanged and that `to` is not final (a final move would conclude with no time to answer it); the app
    // checks everything specific to its rules. Must not modify state. Moves are bounded in time, not in number:
    // the last one before the dispute's endsBy may stand unanswered, so every move an app allows must be one the
    // other participants can accept as the outcome.
    function validTransition(Params calldata params, State calldata from, State calldata to, uint256 actorIdx)
        external
        view
        returns (bool);
}
