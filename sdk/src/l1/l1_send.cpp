// The L1 send and pause ChannelFunding and CooperativeClose share (l1_send.hpp).
#include "l1_send.hpp"

#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <string>
#include <utility>

#include "sluice/core/hex.hpp"

namespace sluice::sdk::detail {

l1::Async<SentTx> send_and_wait(l1::TxSigner& signer, l1::TxRequest request, Errc reverted,
                                const char* what) {
    auto submitted = co_await signer.submit(std::move(request));
    if (!submitted.ok()) {
        Error error = std::move(submitted).error();
        if (error.code == Errc::l1_reverted)
            error = make_error(reverted, std::string(what) + ": " + error.message);
        co_return error;
    }
    const Hash hash = *submitted;
    SLUICE_CO_TRY(l1::TxReceipt receipt, co_await signer.wait(hash));
    if (!receipt.status) {
        co_return make_error(reverted, std::string(what) + ": transaction " +
                                           to_hex(receipt.transaction_hash.view()) + " reverted when mined");
    }
    SentTx sent;
    sent.hash = receipt.transaction_hash;
    sent.fee = u256{static_cast<std::uint64_t>(receipt.gas_used)} * receipt.effective_gas_price;
    sent.receipt = std::move(receipt);
    co_return sent;
}

boost::asio::awaitable<void> pause(std::chrono::milliseconds interval) {
    boost::asio::steady_timer timer(co_await boost::asio::this_coro::executor);
    timer.expires_after(interval);
    co_await timer.async_wait(boost::asio::use_awaitable);
}

}  // namespace sluice::sdk::detail
