// The production clock: the system's unix time in seconds.
#include <chrono>

#include "sluice/channel/clock.hpp"

namespace sluice::channel {

Clock system_clock() {
    return [] {
        const auto since_epoch = std::chrono::system_clock::now().time_since_epoch();
        return static_cast<std::uint64_t>(
            std::chrono::duration_cast<std::chrono::seconds>(since_epoch).count());
    };
}

}  // namespace sluice::channel
