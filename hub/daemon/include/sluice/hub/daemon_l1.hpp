// The daemon's L1: the client (an embedded devchain kept in <datadir>/devchain, or a node by URL), the
// node's TxSigner with its journal in the data dir (nonces survive restarts), and the adjudicator's address
// (configured, recorded in <datadir>/adjudicator, or deployed from the committed artifact).
#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <memory>
#include <optional>

#include "sluice/core/secp256k1.hpp"
#include "sluice/hub/daemon_config.hpp"
#include "sluice/l1/devchain.hpp"
#include "sluice/l1/file_signer_journal.hpp"
#include "sluice/l1/json_rpc_client.hpp"
#include "sluice/l1/tx_signer.hpp"

namespace sluice::hub {

class DaemonL1 {
  public:
    // Errors: the devchain store's (store_*, devchain_store_mismatch), l1_bad_url, the journal's, the
    // signer's start (l1_transport when the node does not answer), hub_bad_config when no adjudicator is
    // known and --deploy-adjudicator is off, or no contract is at the configured address.
    static l1::Async<std::unique_ptr<DaemonL1>> open(boost::asio::any_io_executor executor,
                                                     const DaemonConfig& config, const PrivateKey& key);
    ~DaemonL1();

    l1::JsonRpcL1Client& client() noexcept { return *client_; }
    l1::TxSigner& signer() noexcept { return *signer_; }
    const Address& adjudicator() const noexcept { return adjudicator_; }
    const u256& chain_id() const noexcept { return chain_id_; }

  private:
    DaemonL1() = default;
    l1::Async<Address> resolve_adjudicator(const DaemonConfig& config);

    std::optional<l1::Devchain> devchain_;
    std::unique_ptr<l1::RpcDispatcher> dispatcher_;
    std::unique_ptr<l1::JsonRpcL1Client> client_;
    std::unique_ptr<l1::FileSignerJournal> journal_;
    std::unique_ptr<l1::TxSigner> signer_;
    Address adjudicator_;
    u256 chain_id_;
};

}  // namespace sluice::hub
