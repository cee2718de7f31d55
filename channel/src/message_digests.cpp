// The digests that authenticate proposals and rejections end to end (messages.hpp), and message routing.
#include <string_view>

#include "sluice/channel/encoding.hpp"
#include "sluice/channel/messages.hpp"
#include "sluice/core/keccak.hpp"

namespace sluice::channel {

Hash proposal_digest(const Params& params, const State& state, std::uint64_t base_version,
                     const std::vector<Bytes32>& preimages) {
    static constexpr std::string_view kDomain = "sluice.proposal.v1";
    Keccak256 preimage_hash;
    for (const auto& p : preimages)
        preimage_hash.update(p.view());
    const Hash preimages_digest = preimage_hash.finalize();
    std::uint8_t version_be[8];
    for (int i = 0; i < 8; ++i)
        version_be[i] = static_cast<std::uint8_t>(base_version >> (56 - 8 * i));

    Keccak256 h;
    h.update(as_bytes(kDomain));
    h.update(state_digest(params, state).view());
    h.update(ByteView{version_be, 8});
    h.update(preimages_digest.view());
    return h.finalize();
}

Hash rejection_digest(const Params& params, const State& refused, const Rejection& rejection) {
    static constexpr std::string_view kDomain = "sluice.rejection.v1";
    const auto code = static_cast<std::uint16_t>(rejection.code);
    std::uint8_t fixed[12];
    fixed[0] = static_cast<std::uint8_t>(rejection.sender >> 8);
    fixed[1] = static_cast<std::uint8_t>(rejection.sender);
    fixed[2] = static_cast<std::uint8_t>(code >> 8);
    fixed[3] = static_cast<std::uint8_t>(code);
    for (int i = 0; i < 8; ++i)
        fixed[4 + i] = static_cast<std::uint8_t>(rejection.min_version >> (56 - 8 * i));

    Keccak256 h;
    h.update(as_bytes(kDomain));
    h.update(state_digest(params, refused).view());
    h.update(ByteView{fixed, sizeof fixed});
    h.update(keccak256(as_bytes(rejection.reason)).view());
    return h.finalize();
}

const Hash& message_channel_id(const Message& message) noexcept {
    return std::visit([](const auto& m) -> const Hash& { return m.channel_id; }, message);
}

}  // namespace sluice::channel
