// Node::Peer: one authenticated connection and what the node keeps beside it. Private to the node's files.
#pragma once

#include <deque>
#include <mutex>
#include <string>

#include "sluice/sdk/node.hpp"

namespace sluice::sdk {

struct Node::Peer {
    Peer(Address a, net::Connection c, PeerLimits limits)
        : address(a), connection(std::move(c)), guard(limits) {}
    Address address;
    net::Connection connection;
    PeerGuard guard;  // used by the peer's one read loop only
    std::mutex out_mutex;
    std::deque<std::string> out;  // frames in the order they were sent: one writer drains them
    bool writing = false;
};

}  // namespace sluice::sdk
