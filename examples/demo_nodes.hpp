// The demo's second act: the same three parties as sluice::sdk::Node processes would run them (here in this
// process, over encrypted loopback connections): alice and carol each open a channel with bob, the hub,
// funded on L1 by each node's own deposits; carol's invoice is paid by alice through bob (hashlocks,
// DESIGN.md §3); both channels close cooperatively on L1.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <vector>

#include "demo_l1.hpp"
#include "sluice/core/secp256k1.hpp"

namespace sluice::demo {

// keys: alice, bob (the hub), carol; party i sends with l1.signer(i). True when every check held.
boost::asio::awaitable<bool> run_nodes(DemoL1& l1, const std::vector<PrivateKey>& keys,
                                       const Address& adjudicator);

}  // namespace sluice::demo
