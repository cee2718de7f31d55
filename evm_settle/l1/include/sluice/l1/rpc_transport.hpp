// RpcTransport: how a JSON-RPC body reaches a node and its reply comes back. JsonRpcL1Client speaks
// JSON-RPC over any of them: HttpTransport (http_transport.hpp) to a real node or sluice-devchain,
// InProcessTransport (in_process_transport.hpp) straight into a devchain's dispatcher.
#pragma once

#include <string>

#include "sluice/l1/l1_client.hpp"

namespace sluice::l1 {

class RpcTransport {
  public:
    virtual ~RpcTransport() = default;
    // One request object or batch array in, the reply body out. Errors are the transport's own
    // (l1_transport, l1_timeout, l1_request_too_large, l1_reply_too_large); a JSON-RPC error is a reply.
    virtual Async<std::string> round_trip(std::string body) = 0;
};

}  // namespace sluice::l1
