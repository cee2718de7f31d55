#include "sluice/hub/daemon_l1.hpp"

#include <fstream>
#include <nlohmann/json.hpp>

#include "sluice/contracts/abi_errors.hpp"
#include "sluice/contracts/artifacts.hpp"
#include "sluice/core/hex.hpp"
#include "sluice/hub/logging.hpp"
#include "sluice/hub/private_file.hpp"
#include "sluice/l1/dev_accounts.hpp"

namespace sluice::hub {
namespace {

std::filesystem::path recorded_file(const DaemonConfig& config) {
    return config.data_dir / "adjudicator";
}

std::optional<Address> recorded(const DaemonConfig& config) {
    std::ifstream in(recorded_file(config));
    std::string text;
    if (!(in >> text)) return std::nullopt;
    auto a = Address::from_hex(text);
    return a ? std::optional<Address>(*a) : std::nullopt;
}

Status record(const DaemonConfig& config, const Address& adjudicator) {
    return write_private_file(recorded_file(config), adjudicator.to_checksum_hex() + "\n");
}

}  // namespace

DaemonL1::~DaemonL1() = default;

l1::Async<std::unique_ptr<DaemonL1>> DaemonL1::open(boost::asio::any_io_executor executor,
                                                    const DaemonConfig& config, const PrivateKey& key) {
    std::unique_ptr<DaemonL1> l1(new DaemonL1());
    l1::JsonRpcClientOptions options;
    options.custom_errors = contracts::error_signatures("Adjudicator");
    if (config.network == "devchain") {
        SLUICE_CO_TRY(auto chain, l1::Devchain::open(l1::dev_accounts_config(), config.data_dir / "devchain"));
        l1->devchain_.emplace(std::move(chain));
        l1->dispatcher_ = std::make_unique<l1::RpcDispatcher>(*l1->devchain_);
        l1->client_ = std::make_unique<l1::InProcessL1Client>(*l1->dispatcher_, options);
        log("l1")->info("embedded devchain in {} at block {}", (config.data_dir / "devchain").string(),
                        l1->devchain_->latest_block().number);
    } else {
        SLUICE_CO_TRY(auto client, l1::HttpL1Client::connect(executor, config.l1_rpc, {}, options));
        l1->client_ = std::move(client);
    }
    SLUICE_CO_TRY(l1->chain_id_, co_await l1->client_->chain_id());
    SLUICE_CO_TRY(l1->journal_, l1::FileSignerJournal::open(config.data_dir / "l1", key.address()));
    l1::SignerOptions signer_options;
    signer_options.poll_interval = std::chrono::milliseconds(50);
    SLUICE_CO_TRY(l1->signer_, co_await l1::TxSigner::start(*l1->client_, key, *l1->journal_, signer_options));
    SLUICE_CO_TRY(l1->adjudicator_, co_await l1->resolve_adjudicator(config));
    log("l1")->info("chain id {}, adjudicator {}", l1->chain_id_.to_dec(), l1->adjudicator_.to_checksum_hex());
    co_return l1;
}

l1::Async<Address> DaemonL1::resolve_adjudicator(const DaemonConfig& config) {
    std::optional<Address> known = config.adjudicator ? config.adjudicator : recorded(config);
    if (known) {
        SLUICE_CO_TRY(const Bytes code, co_await client_->code(*known, l1::BlockTag::latest()));
        if (!code.empty()) co_return *known;
        if (config.adjudicator || !config.deploy_adjudicator)
            co_return make_error(Errc::hub_bad_config, "no contract at the adjudicator address " +
                                                           known->to_checksum_hex() + " on this chain");
    }
    // The embedded devchain is ours: deploying there needs no flag.
    if (!config.deploy_adjudicator && config.network != "devchain")
        co_return make_error(Errc::hub_bad_config,
                             "no adjudicator: give --adjudicator ADDRESS or --deploy-adjudicator");
    const auto artifact = nlohmann::json::parse(contracts::artifact_json("Adjudicator"));
    SLUICE_CO_TRY(Bytes creation, from_hex(artifact.at("bytecode").get<std::string>()));
    l1::TxRequest request;
    request.data = std::move(creation);
    SLUICE_CO_TRY(const Hash hash, co_await signer_->submit(std::move(request)));
    SLUICE_CO_TRY(const l1::TxReceipt receipt, co_await signer_->wait(hash));
    if (!receipt.status || !receipt.contract_address)
        co_return make_error(Errc::l1_reverted, "the adjudicator's deployment reverted");
    SLUICE_CO_CHECK_OK(record(config, *receipt.contract_address));
    log("l1")->info("deployed the adjudicator at {} ({} gas)", receipt.contract_address->to_checksum_hex(),
                    receipt.gas_used);
    co_return *receipt.contract_address;
}

}  // namespace sluice::hub
