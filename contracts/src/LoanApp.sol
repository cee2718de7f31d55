// SPDX-License-Identifier: MIT
// A collateralised-loan app channel. Participant 0 is the borrower, participant 1 the lender.
//
// Layout the app insists on: one Alloc (the collateral asset) whose single lock is the pledge
//   Lock{hashlock: repayment hash, amount: pledged collateral, from: 1 (lender), to: 0 (borrower), expiry: maturity}
// so that, with no further move, the pledge returns to the borrower if the repayment preimage is revealed by
// maturity (the lender hands it over when repaid) and goes to the lender otherwise. balances[0] is the borrower's
// free collateral, balances[1] the lender's. appData = abi.encode(LoanData).
//
// Moves the app accepts as force-moves (everything else is refused, final states included: a cooperative close
// is a fully signed final state, which `conclude` settles without asking the app):
//  * release (actor 0): the borrower takes x > 0 out of the pledge into its free balance, only while
//    debt / (pledge' * price) stays at or under maxLtvBps by a fresh oracle attestation (any x when debt is 0);
//  * liquidate (actor 1): when a fresh attestation signed by the agreed oracle shows
//    debt / (pledge * price) at or over liquidationLtvBps, the whole pledge goes to the lender, the debt is 0 and
//    the pledge is recorded as `seized`; never once the repayment preimage was revealed on-chain by maturity,
//    since the lender then has been repaid and the lock already pays the pledge to the borrower;
//  * repaid (actor 0): on proof of repayment (the preimage carried in the move's appData, before maturity, or
//    revealed at the adjudicator by maturity) the pledge, or the pledge a liquidation seized, goes to the
//    borrower and the debt is 0. Undoing a seizure answers a liquidation that front-ran the borrower's reveal:
//    the liquidation restarts the challenge, so the borrower always has a challenge period to answer it.
// price = value in debt units of 1e18 base units of collateral, on the oracle feed `terms.feed` (which names the
// collateral/quote pair and the unit); LTV in basis points.
pragma solidity 0.8.28;

import {Params, Lock, Alloc, State} from "./ChannelTypes.sol";
import {IApp} from "./IApp.sol";

struct LoanTerms {
    address oracle;
    bytes32 feed;
    uint256 debt;
    uint16 maxLtvBps;
    uint16 liquidationLtvBps;
    uint32 maxPriceAge;
}

// Signed by the oracle as EIP-712 Price(bytes32 feed,address asset,uint256 price,uint64 timestamp) in the domain
// {name: "SluiceLoanOracle", version: "1", chainId}. The feed binds the price to the loan's quote currency and
// unit: an attestation of another feed of the same oracle (another quote, another scale) does not verify.
struct PriceAttestation {
    uint256 price;
    uint64 timestamp;
    bytes signature;
}

struct LoanData {
    LoanTerms terms;
    PriceAttestation attestation;
    bytes32 preimage; // the repayment preimage, carried by a repaid move; zero otherwise
    Lock seized; // the pledge a liquidation took; amount 0 otherwise
}

// The adjudicator's preimage registry (Adjudicator.revealedAt): first on-chain reveal time, 0 if never.
interface IRevealRegistry {
    function revealedAt(bytes32 hashlock) external view returns (uint256);
}

contract LoanApp is IApp {
    uint256 internal constant BORROWER = 0;
    uint256 internal constant LENDER = 1;
    uint256 internal constant BPS = 10_000;
    uint256 internal constant PRICE_UNIT = 1e18;
    uint256 internal constant HALF_CURVE_ORDER = 0x7FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF5D576E7357A4501DDFE92F46681B20A0;

    bytes32 public constant PRICE_TYPEHASH =
        keccak256("Price(bytes32 feed,address asset,uint256 price,uint64 timestamp)");
    bytes32 internal constant DOMAIN_TYPEHASH = keccak256("EIP712Domain(string name,string version,uint256 chainId)");

    function validTransition(Params calldata params, State calldata from, State calldata to, uint256 actorIdx)
        external
        view
        returns (bool)
    {
        if (params.participants.length != 2 || to.isFinal) return false;
        if (from.outcome.length != 1 || to.outcome.length != 1) return false;
        Alloc calldata before = from.outcome[0];
        Alloc calldata next = to.outcome[0];
        if (before.asset != next.asset) return false;
        LoanData memory old = abi.decode(from.appData, (LoanData));
        LoanData memory neu = abi.decode(to.appData, (LoanData));
        if (!sameTermsButDebt(old.terms, neu.terms)) return false;
        // Only a repaid move carries a preimage or empties the locks on the borrower's side (release keeps one).
        if (neu.preimage != bytes32(0) || (actorIdx == BORROWER && next.locks.length == 0)) {
            return actorIdx == BORROWER && validRepaid(params, before, next, old, neu);
        }
        if (before.locks.length != 1) return false;
        // A price older than the one already used could replay a stale market; newer or equal only.
        bool priced = neu.attestation.timestamp >= old.attestation.timestamp
            && attested(neu.attestation, old.terms, before.asset, params.chainId);
        if (actorIdx == BORROWER) return validRelease(before, next, old.terms, neu, priced);
        if (actorIdx == LENDER) {
            return priced && validLiquidation(before, next, old.terms, neu)
                && !revealedInTime(params, before.locks[0], bytes32(0));
        }
        return false;
    }

    function priceDigest(bytes32 feed, address asset, uint256 price, uint64 timestamp, uint256 chainId)
        public
        pure
        returns (bytes32)
    {
        bytes32 domain = keccak256(abi.encode(DOMAIN_TYPEHASH, keccak256("SluiceLoanOracle"), keccak256("1"), chainId));
        bytes32 structHash = keccak256(abi.encode(PRICE_TYPEHASH, feed, asset, price, timestamp));
        return keccak256(abi.encodePacked(hex"1901", domain, structHash));
    }

    function validRelease(
        Alloc calldata before,
        Alloc calldata next,
        LoanTerms memory terms,
        LoanData memory neu,
        bool priced
    ) internal pure returns (bool) {
        if (neu.terms.debt != terms.debt || next.locks.length != 1 || neu.seized.amount != 0) return false;
        Lock calldata pledge = before.locks[0];
        Lock calldata kept = next.locks[0];
        if (
            kept.hashlock != pledge.hashlock || kept.from != pledge.from || kept.to != pledge.to
                || kept.expiry != pledge.expiry || kept.amount >= pledge.amount
        ) return false;
        uint256 released = pledge.amount - kept.amount;
        if (next.balances[BORROWER] != before.balances[BORROWER] + released) return false;
        if (next.balances[LENDER] != before.balances[LENDER]) return false;
        if (terms.debt == 0) return true;
        return priced && terms.debt * BPS * PRICE_UNIT <= uint256(terms.maxLtvBps) * kept.amount * neu.attestation.price;
    }

    function validLiquidation(
        Alloc calldata before,
        Alloc calldata next,
        LoanTerms memory terms,
        LoanData memory neu
    ) internal pure returns (bool) {
        if (terms.debt == 0 || neu.terms.debt != 0 || next.locks.length != 0) return false;
        Lock calldata pledge = before.locks[0];
        if (!sameLock(pledge, neu.seized)) return false;
        if (next.balances[LENDER] != before.balances[LENDER] + pledge.amount) return false;
        if (next.balances[BORROWER] != before.balances[BORROWER]) return false;
        return terms.debt * BPS * PRICE_UNIT >= uint256(terms.liquidationLtvBps) * pledge.amount * neu.attestation.price;
    }

    // The borrower proves repayment: the pledge (still locked, or seized by a liquidation) goes to the borrower.
    function validRepaid(
        Params calldata params,
        Alloc calldata before,
        Alloc calldata next,
        LoanData memory old,
        LoanData memory neu
    ) internal view returns (bool) {
        if (neu.terms.debt != 0 || next.locks.length != 0 || neu.seized.amount != 0) return false;
        Lock memory pledge;
        uint256 lenderBefore = before.balances[LENDER];
        if (before.locks.length == 1) {
            pledge = before.locks[0];
        } else if (before.locks.length == 0 && old.seized.amount != 0) {
            pledge = old.seized;
            if (lenderBefore < pledge.amount) return false;
            lenderBefore -= pledge.amount;
        } else {
            return false;
        }
        if (pledge.from != LENDER || pledge.to != BORROWER) return false;
        if (next.balances[BORROWER] != before.balances[BORROWER] + pledge.amount) return false;
        if (next.balances[LENDER] != lenderBefore) return false;
        return revealedInTime(params, pledge, neu.preimage);
    }

    // The lock pays its receiver: a preimage carried by this move (in time by this block) or an on-chain reveal
    // at the adjudicator no later than the lock's expiry.
    function revealedInTime(Params calldata params, Lock memory lock, bytes32 preimage) internal view returns (bool) {
        if (preimage != bytes32(0) && keccak256(abi.encodePacked(preimage)) == lock.hashlock) {
            return block.timestamp <= lock.expiry;
        }
        uint256 revealed = IRevealRegistry(params.adjudicator).revealedAt(lock.hashlock);
        return revealed != 0 && revealed <= lock.expiry;
    }

    function sameLock(Lock calldata a, Lock memory b) internal pure returns (bool) {
        return a.hashlock == b.hashlock && a.amount == b.amount && a.from == b.from && a.to == b.to
            && a.expiry == b.expiry;
    }

    function sameTermsButDebt(LoanTerms memory a, LoanTerms memory b) internal pure returns (bool) {
        return a.oracle == b.oracle && a.feed == b.feed && a.maxLtvBps == b.maxLtvBps
            && a.liquidationLtvBps == b.liquidationLtvBps && a.maxPriceAge == b.maxPriceAge;
    }

    // Signed by the agreed oracle for the agreed feed, not from the future and not older than maxPriceAge.
    function attested(PriceAttestation memory att, LoanTerms memory terms, address asset, uint256 chainId)
        internal
        view
        returns (bool)
    {
        if (att.timestamp > block.timestamp || block.timestamp - att.timestamp > terms.maxPriceAge) return false;
        if (att.signature.length != 65 || terms.oracle == address(0)) return false;
        bytes memory sig = att.signature;
        bytes32 r;
        uint256 s;
        uint8 v;
        assembly ("memory-safe") {
            r := mload(add(sig, 32))
            s := mload(add(sig, 64))
            v := byte(0, mload(add(sig, 96)))
        }
        if (s > HALF_CURVE_ORDER || (v != 27 && v != 28)) return false;
        return ecrecover(priceDigest(terms.feed, asset, att.price, att.timestamp, chainId), v, r, bytes32(s))
            == terms.oracle;
    }
}
