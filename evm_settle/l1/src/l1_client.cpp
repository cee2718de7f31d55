// What L1Client builds on its own methods: block tags as params and receipt waiting.
#include "sluice/l1/l1_client.hpp"

#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "sluice/core/hex.hpp"

namespace sluice::l1 {

std::string BlockTag::to_param() const {
    switch (kind) {
        case Kind::number:
            return u256{static_cast<std::uint64_t>(number < 0 ? 0 : number)}.to_hex();
        case Kind::latest:
            return "latest";
        case Kind::pending:
            return "pending";
        case Kind::earliest:
            return "earliest";
        case Kind::safe:
            return "safe";
        case Kind::finalized:
            return "finalized";
    }
    return "latest";
}

Async<TxReceipt> L1Client::wait_for_receipt(const Hash& hash, ReceiptWait wait) {
    const auto deadline = std::chrono::steady_clock::now() + wait.timeout;
    boost::asio::steady_timer timer(co_await boost::asio::this_coro::executor);
    const std::uint32_t confirmations = wait.confirmations == 0 ? 1 : wait.confirmations;
    for (;;) {
        SLUICE_CO_TRY(const std::optional<TxReceipt> found, co_await receipt(hash));
        if (found) {
            SLUICE_CO_TRY(const std::int64_t head, co_await block_number());
            if (head - found->block_number + 1 >= static_cast<std::int64_t>(confirmations)) {
                // Still the canonical block at that height? Otherwise the receipt is stale: wait again.
                SLUICE_CO_TRY(const std::optional<BlockSummary> at,
                              co_await block(BlockTag::at(found->block_number)));
                if (at && at->hash == found->block_hash) co_return *found;
            }
        }
        if (std::chrono::steady_clock::now() + wait.poll_interval > deadline) {
            co_return make_error(Errc::l1_timeout, "transaction " + to_hex(hash.view()) + " not mined with " +
                                                       std::to_string(confirmations) +
                                                       " confirmation(s) within " +
                                                       std::to_string(wait.timeout.count()) + " ms");
        }
        timer.expires_after(wait.poll_interval);
        co_await timer.async_wait(boost::asio::use_awaitable);
    }
}

}  // namespace sluice::l1
