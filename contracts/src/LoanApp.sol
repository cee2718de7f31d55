// SPDX-License-Identifier: MIT
// A collateralised-loan app channel. Participant 0 is the borrower, participant 1 the lender.
//
// Layout the app insists on: one Alloc (the collateral asset) whose single lock is the pledge
//   Lock{hashlock: repayment hash, amount: pledged collateral, from: 1 (lender), to: 0 (borrower), expiry: maturity}
// so that, with no further move, the pledge returns to the borrower if the repayment preimage is revealed by
// maturity (the lender hands it over when repaid) and goes to the lender otherwise. balances[0] is the borrower's
// free collateral, balances[1] the lender's. appData = abi.encode(LoanData).
//
// Moves the app accepts (everything else is refused):
//  * release (actor 0): the borrower takes x > 0 out of the pledge into its free balance, only while
//    debt / (pledge' * price) stays at or under maxLtvBps by a fresh oracle attestation (any x when debt is 0);
//  * liquidate (actor 1): when a fresh attestation signed by the agreed oracle shows
//    debt / (pledge * price) at or over liquidationLtvBps, the whole pledge goes to the lender and the debt is 0.
// price = value in debt units of 1e18 base units of collateral; LTV in basis points.
pragma solidity 0.8.28;

import {Params, Lock, Alloc, State} from "./ChannelTypes.sol";
import {IApp} from "./IApp.sol";

struct LoanTerms {
    address oracle;
    uint256 debt;
    uint16 maxLtvBps;
    uint16 liquidationLtvBps;
    uint32 maxPriceAge;
}

// Signed by the oracle as EIP-712 Price(address asset,uint256 price,uint64 timestamp) in the domain
// {name: "SluiceLoanOracle", version: "1", chainId}.
struct PriceAttestation {
    uint256 price;
    uint64 timestamp;
    bytes signature;
}

struct LoanData {
    LoanTerms terms;
    PriceAttestation attestation;
}

contract LoanApp is IApp {
    uint256 internal constant BORROWER = 0;
    uint256 internal constant LENDER = 1;
    uint256 internal constant BPS = 10_000;
    uint256 internal constant PRICE_UNIT = 1e18;
    uint256 internal constant HALF_CURVE_ORDER = 0x7FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF5D576E7357A4501DDFE92F46681B20A0;

    bytes32 public constant PRICE_TYPEHASH = keccak256("Price(address asset,uint256 price,uint64 timestamp)");
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
        if (before.asset != next.asset || before.locks.length != 1) return false;
        LoanData memory old = abi.decode(from.appData, (LoanData));
        LoanData memory neu = abi.decode(to.appData, (LoanData));
        if (!sameTermsButDebt(old.terms, neu.terms)) return false;
        // A price older than the one already used could replay a stale market; newer or equal only.
        bool priced = neu.attestation.timestamp >= old.attestation.timestamp
            && attested(neu.attestation, old.terms, before.asset, params.chainId);
        if (actorIdx == BORROWER) return validRelease(before, next, old.terms, neu, priced);
        if (actorIdx == LENDER) return priced && validLiquidation(before, next, old.terms, neu);
        return false;
    }

    function priceDigest(address asset, uint256 price, uint64 timestamp, uint256 chainId)
        public
        pure
        returns (bytes32)
    {
        bytes32 domain = keccak256(abi.encode(DOMAIN_TYPEHASH, keccak256("SluiceLoanOracle"), keccak256("1"), chainId));
        bytes32 structHash = keccak256(abi.encode(PRICE_TYPEHASH, asset, price, timestamp));
        return keccak256(abi.encodePacked(hex"1901", domain, structHash));
    }

    function validRelease(
        Alloc calldata before,
        Alloc calldata next,
        LoanTerms memory terms,
        LoanData memory neu,
        bool priced
    ) internal pure returns (bool) {
        if (neu.terms.debt != terms.debt || next.locks.length != 1) return false;
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
        uint256 pledged = before.locks[0].amount;
        if (next.balances[LENDER] != before.balances[LENDER] + pledged) return false;
        if (next.balances[BORROWER] != before.balances[BORROWER]) return false;
        return terms.debt * BPS * PRICE_UNIT >= uint256(terms.liquidationLtvBps) * pledged * neu.attestation.price;
    }

    function sameTermsButDebt(LoanTerms memory a, LoanTerms memory b) internal pure returns (bool) {
        return a.oracle == b.oracle && a.maxLtvBps == b.maxLtvBps && a.liquidationLtvBps == b.liquidationLtvBps
            && a.maxPriceAge == b.maxPriceAge;
    }

    // Signed by the agreed oracle, not from the future and not older than maxPriceAge.
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
        return ecrecover(priceDigest(asset, att.price, att.timestamp, chainId), v, r, bytes32(s)) == terms.oracle;
    }
}
