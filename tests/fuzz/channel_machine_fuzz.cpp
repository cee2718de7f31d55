// The stateful channel fuzzer (issue #18 §8): the input is a schedule for a ChannelWorld of 2-4 machines,
// one of them possibly an adversary. Every property it checks is listed in support/channel_world.hpp; a
// violation aborts with the steps that led to it.
//
// Input: byte 0 picks the party count, byte 1 the adversary (or none); then each step is an opcode byte and
// up to three argument bytes (missing bytes read as 0).
#include <cstddef>
#include <cstdint>

#include "support/channel_world.hpp"

namespace {

class Reader {
  public:
    Reader(const std::uint8_t* data, std::size_t size) : data_(data), size_(size) {}
    bool more() const noexcept { return pos_ < size_; }
    std::uint8_t next() noexcept { return pos_ < size_ ? data_[pos_++] : 0; }

  private:
    const std::uint8_t* data_;
    std::size_t size_;
    std::size_t pos_ = 0;
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using sluice::channel::fuzz::ChannelWorld;
    Reader in(data, size);
    const std::size_t n = 2 + in.next() % (ChannelWorld::kMaxParties - 1);
    ChannelWorld world(n, in.next() % (n + 1));
    while (in.more()) {
        const std::uint8_t op = in.next();
        switch (op % 12) {
            case 0:
            case 1:
            case 2: {
                const std::uint8_t kind = in.next();
                const std::uint8_t a = in.next();
                world.propose(op / 12 % n, kind, a, in.next());
                break;
            }
            case 3:
            case 4:
            case 5:
                world.deliver(in.next(), op & 0x80);
                break;
            case 6:
                world.drop(in.next());
                break;
            case 7:
                world.duplicate(in.next());
                break;
            case 8:
                world.replay(std::size_t{in.next()} << 8 | in.next());
                break;
            case 9:
                world.advance(1 + std::uint64_t{in.next()} * 20);
                break;
            case 10:
                world.restart(op / 12 % n);
                break;
            default: {
                const std::uint8_t pick = in.next();
                world.complete_by_hand(pick, in.next());
                break;
            }
        }
    }
    world.deliver_all();
    world.check_on_chain();
    return 0;
}
