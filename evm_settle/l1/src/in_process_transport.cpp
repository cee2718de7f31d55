#include "sluice/l1/in_process_transport.hpp"

namespace sluice::l1 {

Async<std::string> InProcessTransport::round_trip(std::string body) {
    std::string reply;
    {
        const std::lock_guard lock(mutex_);
        reply = dispatcher_.handle(body);
    }
    co_return reply;
}

}  // namespace sluice::l1
