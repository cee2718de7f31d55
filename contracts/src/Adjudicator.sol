// SPDX-License-Identifier: MIT
// The Sluice adjudicator (DESIGN.md §4): holds channel deposits and settles channels on-chain by a final
// state signed by all (conclude, concludeBatch) or by a dispute (register, progress, timeout), then pays
// every participant in one withdraw. Storage per channel is one status word (see README.md, "Storage").
pragma solidity 0.8.28;

import {Params, Lock, Alloc, State} from "./ChannelTypes.sol";
import {IApp} from "./IApp.sol";

// What a caller states about the channel's registration (from the last Registered/Progressed event); checked
// against the stored fingerprint. signedVersion: the version of the latest fully signed state of the dispute
// (== version when the registered state is itself fully signed, lower when a unilateral move put it there).
// endsBy: no move may push finalizesAt past it (fixed when the dispute starts). A concluded state has
// finalizesAt = endsBy = 0 and signedVersion = version.
struct Registration {
    uint64 version;
    uint48 finalizesAt;
    bytes32 stateHash;
    uint64 signedVersion;
    uint48 endsBy;
}

// One channel of a concludeBatch call. sigs: 65-byte (r, s, v) signatures, one per participant in order.
struct Conclusion {
    Params params;
    State state;
    bytes sigs;
}

contract Adjudicator {
    // statusOf values other than these three are fingerprints: of a registration,
    // keccak256(abi.encode(version, finalizesAt, stateHash, signedVersion, endsBy)), or, once withdraw has paid
    // everything but some unresolved locks, keccak256(abi.encode(stateHash, pending)) (pendingFingerprint).
    bytes32 internal constant STATUS_NONE = bytes32(0);
    bytes32 internal constant STATUS_OPEN = bytes32(uint256(1));
    bytes32 internal constant STATUS_SETTLED = bytes32(uint256(2));

    uint256 public constant MIN_PARTICIPANTS = 2;
    uint256 public constant MAX_PARTICIPANTS = 16;
    // Locks over all assets of one state: withdraw keeps the still unresolved ones as a 256-bit mask.
    uint256 public constant MAX_LOCKS = 256;
    // Beyond a year a challenge protects nobody, and near 2^48 uint48(now) + duration would overflow (limits.hpp).
    uint256 public constant MAX_CHALLENGE_DURATION = 365 days;
    // A dispute ends at most DISPUTE_SPAN challenge durations after its first registration: progress never
    // sets a deadline past that (endsBy), so the participants know the bound when they open the channel.
    uint48 public constant DISPUTE_SPAN = 4;
    uint256 internal constant SIG_LENGTH = 65;
    uint256 internal constant HALF_CURVE_ORDER = 0x7FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF5D576E7357A4501DDFE92F46681B20A0;
    // Payouts forward at most this much gas, so a recipient can neither block nor starve the other payouts;
    // a failed payout is credited to `unclaimed` and the recipient claims it later with all the gas it likes.
    uint256 public constant ETH_PAYOUT_GAS = 50_000;
    uint256 public constant TOKEN_PAYOUT_GAS = 100_000;
    // What the CALL itself may cost before the callee gets its cap: cold account 2,600, value transfer 9,000,
    // new account 25,000, and the few hundred of the code between the check and the CALL.
    uint256 public constant PAYOUT_CALL_OVERHEAD = 40_000;

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

    // amount: what the channel was credited (the balance the adjudicator received), held: holdings after it.
    event Deposited(bytes32 indexed channelId, address indexed asset, address depositor, uint256 amount, uint256 held);
    event Registered(
        bytes32 indexed channelId,
        uint64 version,
        uint48 finalizesAt,
        bytes32 stateHash,
        uint64 signedVersion,
        uint48 endsBy
    );
    event Progressed(
        bytes32 indexed channelId,
        uint64 version,
        uint48 finalizesAt,
        bytes32 stateHash,
        uint64 signedVersion,
        uint48 endsBy,
        uint256 actorIdx,
        State state
    );
    // The version identifies the state (no two fully signed states of a channel share a version); kept lean
    // for concludeBatch.
    event Concluded(bytes32 indexed channelId, uint64 version);
    // concludeBatch left item `index` alone; reason: the selector of the custom error conclude would revert with.
    event ConclusionSkipped(uint256 index, bytes4 reason);
    event PreimageRevealed(bytes32 indexed hashlock, bytes32 preimage);
    // Emitted only for a share actually transferred; a deferred one emits PayoutDeferred instead.
    event Withdrawn(bytes32 indexed channelId, address indexed participant, address indexed asset, uint256 amount);
    // Everything but these locks (bit j: the j-th lock over all allocations in order) is paid; withdrawLocks
    // pays them as they resolve.
    event LocksPending(bytes32 indexed channelId, uint256 pending);
    event PayoutDeferred(address indexed recipient, address indexed asset, uint256 amount);
    event Claimed(address indexed recipient, address indexed asset, address to, uint256 amount);

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
    error ChallengeTooLong(uint256 duration);
    error HeldBelowExpected(uint256 held);
    error AlreadyFunded(uint256 held);
    error RefundFailed();
    error NotSettled();

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
        (bytes32 result, bool bad) = hashStateAt(s, 0);
        if (bad) revert BadOutcome();
        return result;
    }

    // The EIP-712 digest every participant signs.
    function stateDigest(State calldata state) external view returns (bytes32) {
        return digestOf(hashState(state));
    }

    function domainSeparator() public view returns (bytes32) {
        return block.chainid == cachedChainId ? cachedDomainSeparator : buildDomainSeparator();
    }

    // The status word of a registered or concluded channel (finalizesAt 0 = concluded).
    function fingerprint(uint64 version, uint48 finalizesAt, bytes32 stateHash, uint64 signedVersion, uint48 endsBy)
        public
        pure
        returns (bytes32)
    {
        return keccak256(abi.encode(version, finalizesAt, stateHash, signedVersion, endsBy));
    }

    // The status word of a channel whose withdraw left the locks in `pending` unresolved.
    function pendingFingerprint(bytes32 stateHash, uint256 pending) public pure returns (bytes32) {
        return keccak256(abi.encode(stateHash, pending));
    }

    // ------------------------------------------------------------------ funding

    // Credits the channel up to expectedHeld + amount (go-nitro's rule): refused while the channel holds less
    // than expectedHeld, so participant i, passing what 0..i-1 deposit, can only fund after them; the part
    // already there (a duplicate or racing deposit) is not taken: ETH above it is refunded, tokens are pulled
    // only for the missing part. The channel is credited what the adjudicator's token balance grew by, so a
    // fee-on-transfer token cannot be paid out of other channels' tokens. Only an unregistered channel whose
    // params pass checkParams takes deposits: nothing can land where no state will ever pay it out.
    function deposit(Params calldata params, address asset, uint256 expectedHeld, uint256 amount)
        external
        payable
        nonReentrant
    {
        bytes32 channel = checkParams(params);
        if (amount == 0) revert ZeroAmount();
        bytes32 status = statusOf[channel];
        if (status == STATUS_SETTLED) revert ChannelSettled();
        if (status != STATUS_NONE && status != STATUS_OPEN) revert ChannelNotOpen();
        // Marking the channel here makes its later conclude a cheap non-zero to non-zero write.
        if (status == STATUS_NONE) statusOf[channel] = STATUS_OPEN;
        uint256 held = holdings[channel][asset];
        if (held < expectedHeld) revert HeldBelowExpected(held);
        if (held >= expectedHeld + amount) revert AlreadyFunded(held);
        uint256 wanted = expectedHeld + amount - held;
        uint256 credited = wanted;
        if (asset == address(0)) {
            if (msg.value != amount) revert WrongValue();
        } else {
            if (msg.value != 0) revert WrongValue();
            credited = pullToken(asset, msg.sender, wanted);
            if (credited == 0) revert ZeroAmount();
        }
        held += credited;
        holdings[channel][asset] = held;
        emit Deposited(channel, asset, msg.sender, credited, held);
        if (asset == address(0) && amount > wanted) {
            (bool ok,) = msg.sender.call{value: amount - wanted}("");
            if (!ok) revert RefundFailed();
        }
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
        (bytes32 channel, uint256 parts, uint256 count, bytes4 fault, uint256 arg) = checkParamsAt(p);
        raise(fault, arg);
        bytes32 status = statusOf[channel];
        if (status != STATUS_NONE && status != STATUS_OPEN) revert ChannelNotOpen();
        (fault, arg) = concludeAt(st, sigsAt, sigs.length, channel, parts, count);
        raise(fault, arg);
    }

    // The hub's settlement path. An item conclude would refuse (a channel no longer open, a malformed state, a
    // bad signature) is skipped with ConclusionSkipped naming the error, so one client cannot sink the batch.
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
            (bytes32 channel, uint256 parts, uint256 count, bytes4 fault,) = checkParamsAt(p);
            if (fault == 0) {
                bytes32 status = statusOf[channel];
                if (status == STATUS_NONE || status == STATUS_OPEN) {
                    (fault,) = concludeAt(st, sigs, sigsLength, channel, parts, count);
                } else {
                    fault = ChannelNotOpen.selector;
                }
            }
            if (fault == 0) {
                ++concluded;
            } else {
                emit ConclusionSkipped(i, fault);
            }
        }
    }

    // ------------------------------------------------------------------ disputes

    // Registers a fully signed state. On an open channel this starts a challenge of challengeDuration and fixes
    // endsBy = now + DISPUTE_SPAN * challengeDuration. During a challenge a state replaces the registered one if
    // its version exceeds signedVersion, the latest fully signed version of the dispute: a fully signed state
    // beats every unilateral move built on an older one, whatever their versions. The deadline stays. A final
    // state concludes at once. `current` describes the registration being replaced (ignored on an open channel).
    function register(Params calldata params, State calldata state, bytes calldata sigs, Registration calldata current)
        external
    {
        bytes32 channel = checkParams(params);
        if (state.channelId != channel) revert WrongChannel();
        bytes32 status = statusOf[channel];
        uint48 finalizesAt;
        uint48 endsBy;
        if (status == STATUS_NONE || status == STATUS_OPEN) {
            uint48 duration = params.challengeDuration;
            finalizesAt = uint48(block.timestamp) + duration;
            endsBy = uint48(block.timestamp) + DISPUTE_SPAN * duration;
        } else {
            if (status == STATUS_SETTLED) revert ChannelSettled();
            if (fingerprintOf(current) != status) revert WrongCurrent();
            if (current.finalizesAt <= block.timestamp) revert ChallengeOver();
            if (state.version <= current.signedVersion) revert StaleVersion();
            finalizesAt = current.finalizesAt;
            endsBy = current.endsBy;
        }
        bytes32 stateHash = hashChecked(state, params.participants.length);
        verifyAll(digestOf(stateHash), params.participants, sigs);
        if (state.isFinal) {
            finalizesAt = 0;
            endsBy = 0;
        }
        statusOf[channel] = fingerprint(state.version, finalizesAt, stateHash, state.version, endsBy);
        emit Registered(channel, state.version, finalizesAt, stateHash, state.version, endsBy);
        if (state.isFinal) emit Concluded(channel, state.version);
    }

    // Force-move for app channels: during a challenge, participant `actorIdx` replaces the registered state
    // `from` (described by `current`) by `to` (version + 1, not final) signed by that participant alone, if the
    // app accepts the transition. The move gives the others challengeDuration to answer (another move, or a
    // fully signed state above signedVersion), but never past endsBy: moves cannot keep a dispute open.
    function progress(
        Params calldata params,
        State calldata from,
        Registration calldata current,
        State calldata to,
        uint256 actorIdx,
        bytes calldata sig
    ) external {
        bytes32 channel = checkParams(params);
        if (params.app == address(0)) revert NotAppChannel();
        if (from.channelId != channel || to.channelId != channel) revert WrongChannel();
        uint256 participantCount = params.participants.length;
        if (
            current.stateHash != hashChecked(from, participantCount) || current.version != from.version
                || statusOf[channel] != fingerprintOf(current)
        ) revert WrongCurrent();
        if (current.finalizesAt <= block.timestamp) revert ChallengeOver();
        // A final `to` would conclude with no window to answer it; final states need every signature.
        if (from.isFinal || to.isFinal) revert FinalState();
        if (to.version != from.version + 1) revert WrongVersion();
        if (actorIdx >= participantCount) revert WrongActor();
        if (sig.length != SIG_LENGTH) revert WrongSignatureCount();
        checkConserved(from, to);
        bytes32 toHash = hashChecked(to, participantCount);
        uint256 sigAt;
        assembly ("memory-safe") {
            sigAt := sig.offset
        }
        (address signer, bytes4 fault) = recoverAt(digestOf(toHash), sigAt);
        raise(fault, actorIdx);
        if (signer != params.participants[actorIdx]) revert WrongSigner(actorIdx);
        if (!IApp(params.app).validTransition(params, from, to, actorIdx)) revert InvalidTransition();
        uint256 answerBy = block.timestamp + params.challengeDuration;
        uint48 newFinalizesAt = answerBy < current.endsBy ? uint48(answerBy) : current.endsBy;
        statusOf[channel] = fingerprint(to.version, newFinalizesAt, toHash, current.signedVersion, current.endsBy);
        emit Progressed(
            channel, to.version, newFinalizesAt, toHash, current.signedVersion, current.endsBy, actorIdx, to
        );
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

    // Pays every participant of a concluded or timed-out channel its share of every asset: its balances and the
    // locks already resolved by the preimage registry (revealed by expiry: receiver) or by expiry (unrevealed
    // and expired: sender). A lock that is neither holds back only its own amount: the channel moves to the
    // pending stage (LocksPending) and withdrawLocks pays it once it resolves. Shares are paid in participant
    // order and never exceed what the channel holds. Anyone may call it.
    function withdraw(Params calldata params, State calldata state, Registration calldata current)
        external
        nonReentrant
    {
        bytes32 channel = checkParams(params);
        if (state.channelId != channel) revert WrongChannel();
        bytes32 stateHash = hashChecked(state, params.participants.length);
        if (
            current.stateHash != stateHash || current.version != state.version
                || statusOf[channel] != fingerprintOf(current)
        ) revert WrongCurrent();
        if (current.finalizesAt > block.timestamp) revert ChallengeRunning();
        uint256 lockCount = 0;
        for (uint256 a = 0; a < state.outcome.length; ++a) {
            lockCount += state.outcome[a].locks.length;
        }
        uint256 everyLock = lockCount == MAX_LOCKS ? type(uint256).max : (uint256(1) << lockCount) - 1;
        payOut(channel, params.participants, state, stateHash, everyLock, true);
    }

    // The second stage: pays the locks of `pending` (from LocksPending) that have resolved since, and settles
    // the channel when none is left. Reverts LockPending when none of them has resolved yet.
    function withdrawLocks(Params calldata params, State calldata state, uint256 pending) external nonReentrant {
        bytes32 channel = checkParams(params);
        if (state.channelId != channel) revert WrongChannel();
        bytes32 stateHash = hashChecked(state, params.participants.length);
        if (pending == 0 || statusOf[channel] != pendingFingerprint(stateHash, pending)) revert WrongCurrent();
        payOut(channel, params.participants, state, stateHash, pending, false);
    }

    // What a settled channel still holds of `asset` (deposits no state accounted for, an asset missing from the
    // outcome, what an underfunded lock could not take) is split equally among the participants, the rounding
    // rest to participant 0: nobody signed for it, and the adjudicator keeps no per-depositor record.
    function sweep(Params calldata params, address asset) external nonReentrant {
        bytes32 channel = checkParams(params);
        if (statusOf[channel] != STATUS_SETTLED) revert NotSettled();
        uint256 held = holdings[channel][asset];
        if (held == 0) revert NothingToClaim();
        holdings[channel][asset] = 0;
        address[] calldata participants = params.participants;
        uint256 each = held / participants.length;
        for (uint256 i = 0; i < participants.length; ++i) {
            uint256 share = i == 0 ? each + held % participants.length : each;
            if (share != 0 && pay(participants[i], asset, share)) {
                emit Withdrawn(channel, participants[i], asset, share);
            }
        }
    }

    // Collects payouts that could not be pushed during withdraw, to `to` (which need not be the recipient: an
    // address that cannot receive can still direct its money elsewhere).
    function claim(address asset, address to) external nonReentrant {
        uint256 amount = unclaimed[msg.sender][asset];
        if (amount == 0) revert NothingToClaim();
        unclaimed[msg.sender][asset] = 0;
        if (!send(to, asset, amount, gasleft())) revert ClaimFailed();
        emit Claimed(msg.sender, asset, to, amount);
    }

    // ------------------------------------------------------------------ internals

    function checkParams(Params calldata params) internal view returns (bytes32 channel) {
        uint256 p;
        assembly ("memory-safe") {
            p := params
        }
        (bytes32 id,,, bytes4 fault, uint256 arg) = checkParamsAt(p);
        raise(fault, arg);
        return id;
    }

    function fingerprintOf(Registration calldata r) internal pure returns (bytes32) {
        return fingerprint(r.version, r.finalizesAt, r.stateHash, r.signedVersion, r.endsBy);
    }

    // Reverts with the custom error `fault` (a selector; 0: no fault) and, for the errors that take one, `arg`.
    // The checks shared with concludeBatch report faults instead of reverting, so the batch can skip an item.
    function raise(bytes4 fault, uint256 arg) internal pure {
        if (fault == 0) return;
        bool withArg = fault == WrongParticipantCount.selector || fault == ChallengeTooLong.selector
            || fault == BadSignature.selector || fault == HighS.selector || fault == WrongSigner.selector;
        assembly ("memory-safe") {
            let m := mload(0x40)
            mstore(m, fault)
            mstore(add(m, 4), arg)
            revert(m, add(4, mul(withArg, 0x20)))
        }
    }

    // The hot paths read the ABI-encoded Params and State straight from calldata by offset (p, s: calldata
    // offsets of the tuples) instead of through Solidity's decoder. Reads past the end of calldata yield zeros,
    // every value read is hashed into the channel id or the signed state hash, and lengths are bounded, so a
    // malformed encoding can at most describe a state all participants signed; withdraw and progress re-read
    // the values they act on through the strict decoder.
    function checkParamsAt(uint256 p)
        internal
        view
        returns (bytes32 channel, uint256 parts, uint256 count, bytes4 fault, uint256 arg)
    {
        uint256 chain;
        uint256 adjudicator;
        uint256 duration;
        assembly ("memory-safe") {
            chain := calldataload(p)
            adjudicator := calldataload(add(p, 0x20))
            let q := add(p, calldataload(add(p, 0x40)))
            count := calldataload(q)
            parts := add(q, 0x20)
            duration := calldataload(add(p, 0x80))
        }
        if (chain != block.chainid) return (0, 0, 0, WrongChain.selector, 0);
        if (adjudicator != uint256(uint160(address(this)))) return (0, 0, 0, WrongAdjudicator.selector, 0);
        if (count < MIN_PARTICIPANTS || count > MAX_PARTICIPANTS) {
            return (0, 0, 0, WrongParticipantCount.selector, count);
        }
        if (duration > MAX_CHALLENGE_DURATION) return (0, 0, 0, ChallengeTooLong.selector, duration);
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
        returns (bytes4 fault, uint256 arg)
    {
        bytes32 stateChannel;
        uint256 version;
        uint256 isFinal;
        assembly ("memory-safe") {
            stateChannel := calldataload(st)
            version := calldataload(add(st, 0x20))
            isFinal := calldataload(add(st, 0x80))
        }
        if (stateChannel != channel) return (WrongChannel.selector, 0);
        if (isFinal != 1) return (NotFinal.selector, 0);
        if (version > type(uint64).max) return (WrongVersion.selector, 0);
        (bytes32 stateHash, bool bad) = hashStateAt(st, count);
        if (bad) return (BadOutcome.selector, 0);
        (fault, arg) = verifyAt(digestOf(stateHash), parts, count, sigs, sigsLength);
        if (fault != 0) return (fault, arg);
        statusOf[channel] = fingerprint(uint64(version), 0, stateHash, uint64(version), 0);
        emit Concluded(channel, uint64(version));
    }

    function hashChecked(State calldata state, uint256 participantCount) internal pure returns (bytes32) {
        uint256 s;
        assembly ("memory-safe") {
            s := state
        }
        (bytes32 result, bool bad) = hashStateAt(s, participantCount);
        if (bad) revert BadOutcome();
        return result;
    }

    // EIP-712 hashStruct(State) of the State tuple at calldata offset s, hashed in scratch memory above the free
    // memory pointer (nothing is allocated, so concludeBatch does not grow memory per channel). With
    // participantCount != 0 it also checks that every balance list has one entry per participant and every lock
    // names participants and that there are at most MAX_LOCKS locks, so that an accepted state can always be
    // paid out. bad: the state is malformed (or breaks those checks).
    function hashStateAt(uint256 s, uint256 participantCount) internal pure returns (bytes32 result, bool bad) {
        bytes32 stateTypeHash = STATE_TYPEHASH;
        bytes32 allocTypeHash = ALLOC_TYPEHASH;
        bytes32 lockTypeHash = LOCK_TYPEHASH;
        uint256 maxLocks = participantCount == 0 ? type(uint256).max : MAX_LOCKS;
        assembly ("memory-safe") {
            let totalLocks := 0
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
                totalLocks := add(totalLocks, lockCount)
                if gt(totalLocks, maxLocks) { bad := 1 }
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

    // Pays the resolved part of `state` for the locks in `open` (bit j: the j-th lock over all allocations), and
    // the balances too when `withBalances`; leaves the channel settled, or pending on the locks still open.
    // Underfunded: balances and resolved locks take what is held in participant order, an unresolved lock keeps
    // what is left after them. All effects before any transfer.
    function payOut(
        bytes32 channel,
        address[] calldata participants,
        State calldata state,
        bytes32 stateHash,
        uint256 open,
        bool withBalances
    ) internal {
        uint256 before = open;
        bytes32 firstPending;
        uint256 allocCount = state.outcome.length;
        uint256[][] memory payouts = new uint256[][](allocCount);
        uint256 j = 0;
        for (uint256 a = 0; a < allocCount; ++a) {
            Alloc calldata alloc = state.outcome[a];
            uint256[] memory shares = new uint256[](participants.length);
            if (withBalances) {
                for (uint256 i = 0; i < shares.length; ++i) {
                    shares[i] = alloc.balances[i];
                }
            }
            for (uint256 l = 0; l < alloc.locks.length; ++l) {
                if ((open >> j) & 1 == 1) {
                    Lock calldata lock = alloc.locks[l];
                    uint256 revealed = revealedAt[lock.hashlock];
                    if (revealed != 0 && revealed <= lock.expiry) {
                        shares[lock.to] += lock.amount;
                        open &= ~(uint256(1) << j);
                    } else if (block.timestamp > lock.expiry) {
                        shares[lock.from] += lock.amount;
                        open &= ~(uint256(1) << j);
                    } else if (firstPending == 0) {
                        firstPending = lock.hashlock;
                    }
                }
                ++j;
            }
            uint256 held = holdings[channel][alloc.asset];
            for (uint256 i = 0; i < shares.length; ++i) {
                uint256 share = shares[i] < held ? shares[i] : held;
                held -= share;
                shares[i] = share;
            }
            holdings[channel][alloc.asset] = held;
            payouts[a] = shares;
        }
        if (!withBalances && open == before) revert LockPending(firstPending);
        statusOf[channel] = open == 0 ? STATUS_SETTLED : pendingFingerprint(stateHash, open);
        if (open != 0) emit LocksPending(channel, open);
        // Interactions only after every effect above.
        for (uint256 a = 0; a < allocCount; ++a) {
            address asset = state.outcome[a].asset;
            uint256[] memory shares = payouts[a];
            for (uint256 i = 0; i < shares.length; ++i) {
                if (shares[i] != 0 && pay(participants[i], asset, shares[i])) {
                    emit Withdrawn(channel, participants[i], asset, shares[i]);
                }
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
        (bytes4 fault, uint256 index) = verifyAt(digest, parts, participants.length, sigsAt, sigs.length);
        raise(fault, index);
    }

    // Signature i (65 bytes at sigs + 65 i) must come from the participant whose address word is at parts + 32 i.
    // fault (a custom error selector, 0 if none) and the index of the signature it concerns.
    function verifyAt(bytes32 digest, uint256 parts, uint256 count, uint256 sigs, uint256 sigsLength)
        internal
        pure
        returns (bytes4 fault, uint256 index)
    {
        if (sigsLength != count * SIG_LENGTH) return (WrongSignatureCount.selector, 0);
        for (uint256 i = 0; i < count; ++i) {
            uint256 participant;
            assembly ("memory-safe") {
                participant := calldataload(add(parts, mul(i, 0x20)))
            }
            (address signer, bytes4 bad) = recoverAt(digest, sigs + i * SIG_LENGTH);
            if (bad != 0) return (bad, i);
            if (uint256(uint160(signer)) != participant) return (WrongSigner.selector, i);
        }
        return (0, 0);
    }

    // Recovers the signer of the 65-byte (r, s, v) signature at calldata offset `at`; rejects high s, v other
    // than 27/28 and signatures that recover to no address (fault: HighS or BadSignature, 0 if none).
    function recoverAt(bytes32 digest, uint256 at) internal pure returns (address signer, bytes4 fault) {
        bytes32 r;
        uint256 s;
        uint8 v;
        assembly ("memory-safe") {
            r := calldataload(at)
            s := calldataload(add(at, 32))
            v := byte(0, calldataload(add(at, 64)))
        }
        if (s > HALF_CURVE_ORDER) return (address(0), HighS.selector);
        if (v != 27 && v != 28) return (address(0), BadSignature.selector);
        signer = ecrecover(digest, v, r, bytes32(s));
        if (signer == address(0)) return (address(0), BadSignature.selector);
    }

    // Returns what the adjudicator's balance of `token` grew by.
    function pullToken(address token, address from, uint256 amount) internal returns (uint256 received) {
        if (token.code.length == 0) revert NotAToken(token);
        uint256 before = tokenBalance(token);
        (bool ok, bytes memory ret) =
            token.call(abi.encodeWithSignature("transferFrom(address,address,uint256)", from, address(this), amount));
        if (!ok || (ret.length != 0 && !abi.decode(ret, (bool)))) revert TokenTransferFailed(token);
        uint256 afterwards = tokenBalance(token);
        if (afterwards < before) revert TokenTransferFailed(token);
        return afterwards - before;
    }

    function tokenBalance(address token) internal view returns (uint256) {
        (bool ok, bytes memory ret) = token.staticcall(abi.encodeWithSignature("balanceOf(address)", address(this)));
        if (!ok || ret.length < 32) revert NotAToken(token);
        return abi.decode(ret, (uint256));
    }

    // True when paid; false when deferred to `unclaimed`.
    function pay(address recipient, address asset, uint256 amount) internal returns (bool) {
        uint256 cap = asset == address(0) ? ETH_PAYOUT_GAS : TOKEN_PAYOUT_GAS;
        // Without this a caller could supply just too little gas and push every payout into `unclaimed`: the
        // callee must get its whole cap after the CALL's own cost and the 1/64 it keeps back.
        if (gasleft() < cap + cap / 63 + PAYOUT_CALL_OVERHEAD) revert InsufficientGas();
        if (send(recipient, asset, amount, cap)) return true;
        unclaimed[recipient][asset] += amount;
        emit PayoutDeferred(recipient, asset, amount);
        return false;
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
