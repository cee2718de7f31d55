// SPDX-License-Identifier: MIT
// The Sluice adjudicator (DESIGN.md §4): holds channel deposits and settles channels on-chain by a final
// state signed by all (conclude, concludeBatch) or by a dispute (register, progress, timeout), then pays
// every participant in one withdraw. Storage per channel is one status word (see README.md, "Storage").
pragma solidity 0.8.28;

import {Params, Lock, Alloc, State} from "./ChannelTypes.sol";
import {IApp} from "./IApp.sol";

// What a dispute caller states about the registration it replaces; checked against the stored fingerprint.
struct Registration {
    uint64 version;
    uint48 finalizesAt;
    bytes32 stateHash;
}

// One channel of a concludeBatch call. sigs: 65-byte (r, s, v) signatures, one per participant in order.
struct Conclusion {
    Params params;
    State state;
    bytes sigs;
}

contract Adjudicator {
    // statusOf values other than these three are fingerprints: keccak256(abi.encode(version, finalizesAt, stateHash)).
    bytes32 internal constant STATUS_NONE = bytes32(0);
    bytes32 internal constant STATUS_OPEN = bytes32(uint256(1));
    bytes32 internal constant STATUS_SETTLED = bytes32(uint256(2));

    uint256 public constant MIN_PARTICIPANTS = 2;
    uint256 public constant MAX_PARTICIPANTS = 16;
    uint256 internal constant SIG_LENGTH = 65;
    uint256 internal constant HALF_CURVE_ORDER = 0x7FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF5D576E7357A4501DDFE92F46681B20A0;
    // Payouts forward at most this much gas, so a recipient can neither block nor starve the other payouts;
    // a failed payout is credited to `unclaimed` and the recipient claims it later with all the gas it likes.
    uint256 public constant ETH_PAYOUT_GAS = 50_000;
    uint256 public constant TOKEN_PAYOUT_GAS = 100_000;

    bytes32 public constant LOCK_TYPEHASH =
        keccak256("Lock(bytes32 hashlock,uint256 amount,uint16 from,uint16 to,uint64 expiry)");
    bytes32 public constant ALLOC_TYPEHASH = keccak256(
        "Alloc(address asset,uint256[] balances,Lock[] locks)"
        "Lock(bytes32 hashlock,uint256 amount,uint16 from,uint16 to,uint64 expiry)"
    );
    bytes32 public constant STATE_TYPEHASH = keccak256(
        "State(bytes32 channelId,uint64 version,Alloc[] outcome,bytes appData,bool isFinal)"
        "Alloc(address asset,uint256[] balances,Lock[] locks)"
        "Lock(bytes32 hashlock,uint256 amount,uint16 from,uint16 to,uint64 expiry)"
    );
    bytes32 internal constant DOMAIN_TYPEHASH =
        keccak256("EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)");

    bytes32 private immutable cachedDomainSeparator;
    uint256 private immutable cachedChainId;

    mapping(bytes32 channelId => bytes32) public statusOf;
    mapping(bytes32 channelId => mapping(address asset => uint256)) public holdings;
    mapping(bytes32 hashlock => uint256) public revealedAt;
    mapping(address recipient => mapping(address asset => uint256)) public unclaimed;

    bool private transient entered;

    event Deposited(bytes32 indexed channelId, address indexed asset, address depositor, uint256 amount, uint256 held);
    event Registered(bytes32 indexed channelId, uint64 version, uint48 finalizesAt, bytes32 stateHash);
    event Progressed(
        bytes32 indexed channelId, uint64 version, uint48 finalizesAt, bytes32 stateHash, uint256 actorIdx, State state
    );
    // The version identifies the state (no two states of a channel share a version); kept lean for concludeBatch.
    event Concluded(bytes32 indexed channelId, uint64 version);
    event PreimageRevealed(bytes32 indexed hashlock, bytes32 preimage);
    event Withdrawn(bytes32 indexed channelId, address indexed participant, address indexed asset, uint256 amount);
    event PayoutDeferred(address indexed recipient, address indexed asset, uint256 amount);
    event Claimed(address indexed recipient, address indexed asset, uint256 amount);

    error Reentrancy();
    error ZeroAmount();
    error WrongValue();
    error NotAToken(address asset);
    error TokenTransferFailed(address asset);
    error WrongChain();
    error WrongAdjudicator();
    error WrongParticipantCount(uint256 count);
    error WrongChannel();
    error ChannelSettled();
    error ChannelNotOpen();
    error NotFinal();
    error WrongSignatureCount();
    error BadSignature(uint256 index);
    error HighS(uint256 index);
    error WrongSigner(uint256 index);
    error WrongCurrent();
    error ChallengeOver();
    error ChallengeRunning();
    error StaleVersion();
    error NotAppChannel();
    error WrongVersion();
    error WrongActor();
    error FinalState();
    error OutcomeMismatch();
    error BadOutcome();
    error InvalidTransition();
    error LockPending(bytes32 hashlock);
    error InsufficientGas();
    error NothingToClaim();
    error ClaimFailed();

    modifier nonReentrant() {
        if (entered) revert Reentrancy();
        entered = true;
        _;
        entered = false;
    }

    constructor() {
        cachedChainId = block.chainid;
        cachedDomainSeparator = buildDomainSeparator();
    }

    // ------------------------------------------------------------------ views shared with C++

    // keccak256(abi.encode(params)): the ABI encoding of the struct as one dynamic tuple argument.
    function channelId(Params calldata params) public pure returns (bytes32) {
        return keccak256(abi.encode(params));
    }

    // EIP-712 hashStruct(State).
    function hashState(State calldata state) public pure returns (bytes32) {
        uint256 s;
        assembly ("memory-safe") {
            s := state
        }
        return hashStateAt(s, 0);
    }

    // The EIP-712 digest every participant signs.
    function stateDigest(State calldata state) external view returns (bytes32) {
        return digestOf(hashState(state));
    }

    function domainSeparator() public view returns (bytes32) {
        return block.chainid == cachedChainId ? cachedDomainSeparator : buildDomainSeparator();
    }

    // The status word of a registered or concluded channel (finalizesAt 0 = concluded).
    function fingerprint(uint64 version, uint48 finalizesAt, bytes32 stateHash) public pure returns (bytes32) {
        return keccak256(abi.encode(version, finalizesAt, stateHash));
    }

    // ------------------------------------------------------------------ funding

    function deposit(bytes32 channel, address asset, uint256 amount) external payable nonReentrant {
        if (amount == 0) revert ZeroAmount();
        bytes32 status = statusOf[channel];
        if (status == STATUS_SETTLED) revert ChannelSettled();
        // Marking the channel here makes its later conclude a cheap non-zero to non-zero write.
        if (status == STATUS_NONE) statusOf[channel] = STATUS_OPEN;
        uint256 held = holdings[channel][asset] + amount;
        holdings[channel][asset] = held;
        if (asset == address(0)) {
            if (msg.value != amount) revert WrongValue();
        } else {
            if (msg.value != 0) revert WrongValue();
            pullToken(asset, msg.sender, amount);
        }
        emit Deposited(channel, asset, msg.sender, amount, held);
    }

    // ------------------------------------------------------------------ cooperative close

    function conclude(Params calldata params, State calldata state, bytes calldata sigs) external {
        uint256 p;
        uint256 st;
        uint256 sigsAt;
        assembly ("memory-safe") {
            p := params
            st := state
            sigsAt := sigs.offset
        }
        (bytes32 channel, uint256 parts, uint256 count) = checkParamsAt(p);
        bytes32 status = statusOf[channel];
        if (status != STATUS_NONE && status != STATUS_OPEN) revert ChannelNotOpen();
        concludeAt(st, sigsAt, sigs.length, channel, parts, count);
    }

    // The hub's settlement path. A channel that is no longer open (a counterparty registered or concluded it
    // first) is skipped rather than failing the batch; anything malformed reverts the whole batch.
    function concludeBatch(Conclusion[] calldata items) external returns (uint256 concluded) {
        uint256 heads;
        assembly ("memory-safe") {
            heads := items.offset
        }
        uint256 itemCount = items.length;
        for (uint256 i = 0; i < itemCount; ++i) {
            uint256 p;
            uint256 st;
            uint256 sigs;
            uint256 sigsLength;
            assembly ("memory-safe") {
                let item := add(heads, calldataload(add(heads, mul(i, 0x20))))
                p := add(item, calldataload(item))
                st := add(item, calldataload(add(item, 0x20)))
                sigs := add(item, calldataload(add(item, 0x40)))
                sigsLength := calldataload(sigs)
                sigs := add(sigs, 0x20)
            }
            (bytes32 channel, uint256 parts, uint256 count) = checkParamsAt(p);
            bytes32 status = statusOf[channel];
            if (status == STATUS_NONE || status == STATUS_OPEN) {
                concludeAt(st, sigs, sigsLength, channel, parts, count);
                ++concluded;
            }
        }
    }

    // ------------------------------------------------------------------ disputes

    // Registers a fully signed state. On an open channel this starts a challenge of challengeDuration; during a
    // challenge a strictly higher version replaces the registered one without extending the deadline. A final
    // state concludes at once. `current` describes the registration being replaced (ignored on an open channel).
    function register(Params calldata params, State calldata state, bytes calldata sigs, Registration calldata current)
        external
    {
        bytes32 channel = checkParams(params);
        if (state.channelId != channel) revert WrongChannel();
        bytes32 status = statusOf[channel];
        uint48 finalizesAt;
        if (status == STATUS_NONE || status == STATUS_OPEN) {
            finalizesAt = uint48(block.timestamp) + params.challengeDuration;
        } else {
            if (status == STATUS_SETTLED) revert ChannelSettled();
            if (fingerprint(current.version, current.finalizesAt, current.stateHash) != status) revert WrongCurrent();
            if (current.finalizesAt <= block.timestamp) revert ChallengeOver();
            if (state.version <= current.version) revert StaleVersion();
            finalizesAt = current.finalizesAt;
        }
        bytes32 stateHash = hashChecked(state, params.participants.length);
        verifyAll(digestOf(stateHash), params.participants, sigs);
        if (state.isFinal) finalizesAt = 0;
        statusOf[channel] = fingerprint(state.version, finalizesAt, stateHash);
        emit Registered(channel, state.version, finalizesAt, stateHash);
        if (state.isFinal) emit Concluded(channel, state.version);
    }

    // Force-move for app channels: during a challenge, participant `actorIdx` replaces the registered state
    // `from` by `to` (version + 1) signed by that participant alone, if the app accepts the transition. Each move
    // restarts the challenge so the others can answer with their own move or a higher fully signed state.
    function progress(
        Params calldata params,
        State calldata from,
        uint48 finalizesAt,
        State calldata to,
        uint256 actorIdx,
        bytes calldata sig
    ) external {
        bytes32 channel = checkParams(params);
        if (params.app == address(0)) revert NotAppChannel();
        if (from.channelId != channel || to.channelId != channel) revert WrongChannel();
        uint256 participantCount = params.participants.length;
        if (statusOf[channel] != fingerprint(from.version, finalizesAt, hashChecked(from, participantCount))) {
            revert WrongCurrent();
        }
        if (finalizesAt <= block.timestamp) revert ChallengeOver();
        if (from.isFinal) revert FinalState();
        if (to.version != from.version + 1) revert WrongVersion();
        if (actorIdx >= participantCount) revert WrongActor();
        if (sig.length != SIG_LENGTH) revert WrongSignatureCount();
        checkConserved(from, to);
        bytes32 toHash = hashChecked(to, participantCount);
        uint256 sigAt;
        assembly ("memory-safe") {
            sigAt := sig.offset
        }
        if (recoverAt(digestOf(toHash), sigAt, actorIdx) != params.participants[actorIdx]) {
            revert WrongSigner(actorIdx);
        }
        if (!IApp(params.app).validTransition(params, from, to, actorIdx)) revert InvalidTransition();
        uint48 newFinalizesAt = to.isFinal ? 0 : uint48(block.timestamp) + params.challengeDuration;
        statusOf[channel] = fingerprint(to.version, newFinalizesAt, toHash);
        emit Progressed(channel, to.version, newFinalizesAt, toHash, actorIdx, to);
        if (to.isFinal) emit Concluded(channel, to.version);
    }

    // ------------------------------------------------------------------ hashlocks

    // Records the first time a preimage was seen on-chain; a lock pays its receiver when that was before expiry.
    function revealPreimage(bytes32 preimage) external {
        bytes32 hashlock = keccak256(abi.encodePacked(preimage));
        if (revealedAt[hashlock] == 0) {
            revealedAt[hashlock] = block.timestamp;
            emit PreimageRevealed(hashlock, preimage);
        }
    }

    // ------------------------------------------------------------------ payout

    // Pays every participant of a concluded or timed-out channel its share of every asset, locks resolved by the
    // preimage registry (revealed by expiry: receiver) or by expiry (unrevealed and expired: sender). Shares are
    // paid in participant order and never exceed what the channel holds. Anyone may call it.
    function withdraw(Params calldata params, State calldata state, uint48 finalizesAt) external nonReentrant {
        bytes32 channel = checkParams(params);
        if (state.channelId != channel) revert WrongChannel();
        address[] calldata participants = params.participants;
        bytes32 stateHash = hashChecked(state, participants.length);
        if (statusOf[channel] != fingerprint(state.version, finalizesAt, stateHash)) revert WrongCurrent();
        if (finalizesAt > block.timestamp) revert ChallengeRunning();
        statusOf[channel] = STATUS_SETTLED;

        uint256 allocCount = state.outcome.length;
        uint256[][] memory payouts = new uint256[][](allocCount);
        for (uint256 a = 0; a < allocCount; ++a) {
            Alloc calldata alloc = state.outcome[a];
            uint256[] memory shares = sharesOf(alloc, participants.length);
            uint256 held = holdings[channel][alloc.asset];
            for (uint256 i = 0; i < shares.length; ++i) {
                uint256 share = shares[i] < held ? shares[i] : held;
                held -= share;
                shares[i] = share;
            }
            holdings[channel][alloc.asset] = held;
            payouts[a] = shares;
        }
        // Interactions only after every effect above.
        for (uint256 a = 0; a < allocCount; ++a) {
            address asset = state.outcome[a].asset;
            uint256[] memory shares = payouts[a];
            for (uint256 i = 0; i < shares.length; ++i) {
                if (shares[i] == 0) continue;
                pay(participants[i], asset, shares[i]);
                emit Withdrawn(channel, participants[i], asset, shares[i]);
            }
        }
    }

    // Collects payouts that could not be pushed during withdraw.
    function claim(address asset) external nonReentrant {
        uint256 amount = unclaimed[msg.sender][asset];
        if (amount == 0) revert NothingToClaim();
        unclaimed[msg.sender][asset] = 0;
        if (!send(msg.sender, asset, amount, gasleft())) revert ClaimFailed();
        emit Claimed(msg.sender, asset, amount);
    }

    // ------------------------------------------------------------------ internals

    function checkParams(Params calldata params) internal view returns (bytes32 channel) {
        uint256 p;
        assembly ("memory-safe") {
            p := params
        }
        (channel,,) = checkParamsAt(p);
    }

    // The hot paths read the ABI-encoded Params and State straight from calldata by offset (p, s: calldata
    // offsets of the tuples) instead of through Solidity's decoder. Reads past the end of calldata yield zeros,
    // every value read is hashed into the channel id or the signed state hash, and lengths are bounded, so a
    // malformed encoding can at most describe a state all participants signed; withdraw and progress re-read
    // the values they act on through the strict decoder.
    function checkParamsAt(uint256 p) internal view returns (bytes32 channel, uint256 parts, uint256 count) {
        uint256 chain;
        uint256 adjudicator;
        assembly ("memory-safe") {
            chain := calldataload(p)
            adjudicator := calldataload(add(p, 0x20))
            let q := add(p, calldataload(add(p, 0x40)))
            count := calldataload(q)
            parts := add(q, 0x20)
        }
        if (chain != block.chainid) revert WrongChain();
        if (adjudicator != uint256(uint160(address(this)))) revert WrongAdjudicator();
        if (count < MIN_PARTICIPANTS || count > MAX_PARTICIPANTS) revert WrongParticipantCount(count);
        assembly ("memory-safe") {
            // abi.encode(params): offset word, the six head words (participants at 0xc0), then the array.
            let m := mload(0x40)
            mstore(m, 0x20)
            calldatacopy(add(m, 0x20), p, 0x40)
            mstore(add(m, 0x60), 0xc0)
            calldatacopy(add(m, 0x80), add(p, 0x60), 0x60)
            mstore(add(m, 0xe0), count)
            calldatacopy(add(m, 0x100), parts, mul(count, 0x20))
            channel := keccak256(m, add(0x100, mul(count, 0x20)))
        }
    }

    function concludeAt(uint256 st, uint256 sigs, uint256 sigsLength, bytes32 channel, uint256 parts, uint256 count)
        internal
    {
        bytes32 stateChannel;
        uint256 version;
        uint256 isFinal;
        assembly ("memory-safe") {
            stateChannel := calldataload(st)
            version := calldataload(add(st, 0x20))
            isFinal := calldataload(add(st, 0x80))
        }
        if (stateChannel != channel) revert WrongChannel();
        if (isFinal != 1) revert NotFinal();
        if (version > type(uint64).max) revert WrongVersion();
        bytes32 stateHash = hashStateAt(st, count);
        verifyAt(digestOf(stateHash), parts, count, sigs, sigsLength);
        statusOf[channel] = fingerprint(uint64(version), 0, stateHash);
        emit Concluded(channel, uint64(version));
    }

    function hashChecked(State calldata state, uint256 participantCount) internal pure returns (bytes32) {
        uint256 s;
        assembly ("memory-safe") {
            s := state
        }
        return hashStateAt(s, participantCount);
    }

    // EIP-712 hashStruct(State) of the State tuple at calldata offset s, hashed in scratch memory above the free
    // memory pointer (nothing is allocated, so concludeBatch does not grow memory per channel). With
    // participantCount != 0 it also checks that every balance list has one entry per participant and every lock
    // names participants, so that an accepted state can always be paid out.
    function hashStateAt(uint256 s, uint256 participantCount) internal pure returns (bytes32 result) {
        bytes32 stateTypeHash = STATE_TYPEHASH;
        bytes32 allocTypeHash = ALLOC_TYPEHASH;
        bytes32 lockTypeHash = LOCK_TYPEHASH;
        bool bad;
        assembly ("memory-safe") {
            let o := add(s, calldataload(add(s, 0x40)))
            let allocCount := calldataload(o)
            if gt(allocCount, 0xffff) {
                bad := 1
                allocCount := 0
            }
            let heads := add(o, 0x20)
            let hashes := mload(0x40)
            let scratch := add(hashes, mul(allocCount, 0x20))
            let lockHashes := add(scratch, 0xc0)
            for { let i := 0 } lt(i, allocCount) { i := add(i, 1) } {
                let a := add(heads, calldataload(add(heads, mul(i, 0x20))))
                let b := add(a, calldataload(add(a, 0x20)))
                let balanceCount := calldataload(b)
                if and(iszero(iszero(participantCount)), iszero(eq(balanceCount, participantCount))) { bad := 1 }
                if gt(balanceCount, 0xffff) {
                    bad := 1
                    balanceCount := 0
                }
                calldatacopy(scratch, add(b, 0x20), mul(balanceCount, 0x20))
                let balancesHash := keccak256(scratch, mul(balanceCount, 0x20))
                let l := add(a, calldataload(add(a, 0x40)))
                let lockCount := calldataload(l)
                if gt(lockCount, 0xffff) {
                    bad := 1
                    lockCount := 0
                }
                for { let j := 0 } lt(j, lockCount) { j := add(j, 1) } {
                    let lock := add(add(l, 0x20), mul(j, 0xa0))
                    if participantCount {
                        if iszero(and(lt(calldataload(add(lock, 0x40)), participantCount),
                                      lt(calldataload(add(lock, 0x60)), participantCount))) { bad := 1 }
                    }
                    mstore(scratch, lockTypeHash)
                    calldatacopy(add(scratch, 0x20), lock, 0xa0)
                    mstore(add(lockHashes, mul(j, 0x20)), keccak256(scratch, 0xc0))
                }
                let locksHash := keccak256(lockHashes, mul(lockCount, 0x20))
                mstore(scratch, allocTypeHash)
                mstore(add(scratch, 0x20), calldataload(a))
                mstore(add(scratch, 0x40), balancesHash)
                mstore(add(scratch, 0x60), locksHash)
                mstore(add(hashes, mul(i, 0x20)), keccak256(scratch, 0x80))
            }
            let outcomeHash := keccak256(hashes, mul(allocCount, 0x20))
            let d := add(s, calldataload(add(s, 0x60)))
            let dataLength := calldataload(d)
            if gt(dataLength, 0xffffffff) {
                bad := 1
                dataLength := 0
            }
            calldatacopy(scratch, add(d, 0x20), dataLength)
            let appDataHash := keccak256(scratch, dataLength)
            mstore(scratch, stateTypeHash)
            calldatacopy(add(scratch, 0x20), s, 0x40)
            mstore(add(scratch, 0x60), outcomeHash)
            mstore(add(scratch, 0x80), appDataHash)
            mstore(add(scratch, 0xa0), calldataload(add(s, 0x80)))
            result := keccak256(scratch, 0xc0)
        }
        if (bad) revert BadOutcome();
    }

    // A move may redistribute but never create or destroy value: same assets, same total per asset.
    function checkConserved(State calldata from, State calldata to) internal pure {
        uint256 allocCount = from.outcome.length;
        if (to.outcome.length != allocCount) revert OutcomeMismatch();
        for (uint256 a = 0; a < allocCount; ++a) {
            if (from.outcome[a].asset != to.outcome[a].asset) revert OutcomeMismatch();
            if (totalOf(from.outcome[a]) != totalOf(to.outcome[a])) revert OutcomeMismatch();
        }
    }

    function totalOf(Alloc calldata alloc) internal pure returns (uint256 total) {
        for (uint256 i = 0; i < alloc.balances.length; ++i) {
            total += alloc.balances[i];
        }
        for (uint256 l = 0; l < alloc.locks.length; ++l) {
            total += alloc.locks[l].amount;
        }
    }

    function sharesOf(Alloc calldata alloc, uint256 participantCount) internal view returns (uint256[] memory shares) {
        shares = new uint256[](participantCount);
        for (uint256 i = 0; i < participantCount; ++i) {
            shares[i] = alloc.balances[i];
        }
        uint256 lockCount = alloc.locks.length;
        for (uint256 l = 0; l < lockCount; ++l) {
            Lock calldata lock = alloc.locks[l];
            uint256 revealed = revealedAt[lock.hashlock];
            if (revealed != 0 && revealed <= lock.expiry) {
                shares[lock.to] += lock.amount;
            } else if (block.timestamp > lock.expiry) {
                shares[lock.from] += lock.amount;
            } else {
                revert LockPending(lock.hashlock);
            }
        }
    }

    function digestOf(bytes32 stateHash) internal view returns (bytes32 digest) {
        bytes32 domain = domainSeparator();
        assembly ("memory-safe") {
            let m := mload(0x40)
            mstore(m, hex"1901")
            mstore(add(m, 0x02), domain)
            mstore(add(m, 0x22), stateHash)
            digest := keccak256(m, 0x42)
        }
    }

    function buildDomainSeparator() internal view returns (bytes32) {
        return keccak256(
            abi.encode(DOMAIN_TYPEHASH, keccak256("Sluice"), keccak256("1"), block.chainid, address(this))
        );
    }

    function verifyAll(bytes32 digest, address[] calldata participants, bytes calldata sigs) internal pure {
        uint256 parts;
        uint256 sigsAt;
        assembly ("memory-safe") {
            parts := participants.offset
            sigsAt := sigs.offset
        }
        verifyAt(digest, parts, participants.length, sigsAt, sigs.length);
    }

    // Signature i (65 bytes at sigs + 65 i) must come from the participant whose address word is at parts + 32 i.
    function verifyAt(bytes32 digest, uint256 parts, uint256 count, uint256 sigs, uint256 sigsLength) internal pure {
        if (sigsLength != count * SIG_LENGTH) revert WrongSignatureCount();
        for (uint256 i = 0; i < count; ++i) {
            uint256 participant;
            assembly ("memory-safe") {
                participant := calldataload(add(parts, mul(i, 0x20)))
            }
            if (uint256(uint160(recoverAt(digest, sigs + i * SIG_LENGTH, i))) != participant) revert WrongSigner(i);
        }
    }

    // Recovers the signer of the 65-byte (r, s, v) signature at calldata offset `at`; rejects high s, v other
    // than 27/28 and signatures that recover to no address.
    function recoverAt(bytes32 digest, uint256 at, uint256 index) internal pure returns (address signer) {
        bytes32 r;
        uint256 s;
        uint8 v;
        assembly ("memory-safe") {
            r := calldataload(at)
            s := calldataload(add(at, 32))
            v := byte(0, calldataload(add(at, 64)))
        }
        if (s > HALF_CURVE_ORDER) revert HighS(index);
        if (v != 27 && v != 28) revert BadSignature(index);
        signer = ecrecover(digest, v, r, bytes32(s));
        if (signer == address(0)) revert BadSignature(index);
    }

    function pullToken(address token, address from, uint256 amount) internal {
        if (token.code.length == 0) revert NotAToken(token);
        (bool ok, bytes memory ret) =
            token.call(abi.encodeWithSignature("transferFrom(address,address,uint256)", from, address(this), amount));
        if (!ok || (ret.length != 0 && !abi.decode(ret, (bool)))) revert TokenTransferFailed(token);
    }

    function pay(address recipient, address asset, uint256 amount) internal {
        uint256 cap = asset == address(0) ? ETH_PAYOUT_GAS : TOKEN_PAYOUT_GAS;
        // Without this a caller could supply just too little gas and push every payout into `unclaimed`.
        if (gasleft() < cap + cap / 63 + 5_000) revert InsufficientGas();
        if (!send(recipient, asset, amount, cap)) {
            unclaimed[recipient][asset] += amount;
            emit PayoutDeferred(recipient, asset, amount);
        }
    }

    // Transfers without copying return data (no return-data bomb); a token must return nothing or true.
    function send(address recipient, address asset, uint256 amount, uint256 gasCap) internal returns (bool ok) {
        if (asset == address(0)) {
            assembly ("memory-safe") {
                ok := call(gasCap, recipient, amount, 0, 0, 0, 0)
            }
            return ok;
        }
        bytes memory data = abi.encodeWithSignature("transfer(address,uint256)", recipient, amount);
        assembly ("memory-safe") {
            ok := call(gasCap, asset, 0, add(data, 32), mload(data), 0, 32)
            if ok {
                switch returndatasize()
                case 0 { ok := 1 }
                default { ok := and(gt(returndatasize(), 31), eq(mload(0), 1)) }
            }
        }
    }
}
