#include "load_phases.hpp"

#include <algorithm>
#include <boost/asio.hpp>
#include <cmath>
#include <deque>
#include <exception>
#include <memory>
#include <stdexcept>

#include "hub_connection.hpp"

namespace sluice::bench {

namespace asio = boost::asio;
using nlohmann::json;
using Clock = std::chrono::steady_clock;
using namespace std::chrono_literals;

namespace {

double ms_between(Clock::time_point a, Clock::time_point b) {
    return std::chrono::duration<double, std::milli>(b - a).count();
}

// What one phase shares between its coroutines (all on the one io thread: no locks).
struct Run {
    const Cluster& cluster;
    const LoadShape& shape;
    std::string fee;
    std::vector<std::deque<std::string>> invoices;  // per payee
    Clock::time_point window_open{}, window_close{}, stop_at{};
    PhaseResult result;
    std::exception_ptr fatal;  // a transport error: the run is void

    Run(const Cluster& c, const LoadShape& s)
        : cluster(c), shape(s), fee(c.fee_for(s.amount)), invoices(c.clients().size()) {}

    std::size_t payee_of(std::size_t payer) const { return (payer + 1) % cluster.clients().size(); }

    void fail(const std::string& why) {
        if (result.failed++ == 0) result.first_failure = why;
    }
};

std::unique_ptr<HubConnection> connection_to(asio::any_io_executor ex, const NodeProcess& node) {
    return std::make_unique<HubConnection>(std::move(ex), node.rpc, node.authorization);
}

// One batch of invoices of `payee`, appended to its stock.
asio::awaitable<void> make_invoices(Run& run, HubConnection& c, std::size_t payee, std::size_t count) {
    json params = json::array();
    for (std::size_t i = 0; i < count; ++i)
        params.push_back(json::array({std::to_string(run.shape.amount), "load"}));
    auto task = c.batch(std::string("invoice"), std::move(params));
    const json made = co_await std::move(task);
    for (const auto& inv : made)
        run.invoices[payee].push_back(inv.at("invoice").get<std::string>());
}

// One payment: pay `invoice` on `c`; true when it succeeded. Its latency is kept when it ends in the window.
asio::awaitable<void> pay_one(Run& run, HubConnection& c, std::string invoice, Clock::time_point handed) {
    json params = json::array({std::move(invoice), run.fee, true});
    try {
        auto task = c.call(std::string("pay"), std::move(params));
        const json paid = co_await std::move(task);
        const auto done = Clock::now();
        if (paid.at("status") != "succeeded") {
            run.fail("status " + paid.value("status", std::string()) + " " +
                     paid.value("code", std::string()) + " " + paid.value("reason", std::string()));
        } else if (done >= run.window_open && done < run.window_close) {
            ++run.result.payments;
            run.result.latency_ms.push_back(ms_between(handed, done));
        }
    } catch (const boost::system::system_error&) {
        throw;
    } catch (const std::exception& e) {
        run.fail(e.what());  // an RPC error reply: counted, the load goes on
    }
}

asio::awaitable<void> payer_loop(Run& run, std::size_t payer) {
    const auto ex = co_await asio::this_coro::executor;
    auto c = connection_to(ex, *run.cluster.clients()[payer]);
    co_await c->connect();
    auto& stock = run.invoices[run.payee_of(payer)];
    asio::steady_timer idle(ex);
    while (Clock::now() < run.stop_at && !run.fatal) {
        if (stock.empty()) {  // the invoice makers are behind: wait for them, not counted as latency
            idle.expires_after(200us);
            co_await idle.async_wait(asio::use_awaitable);
            continue;
        }
        std::string invoice = std::move(stock.front());
        stock.pop_front();
        auto task = pay_one(run, *c, std::move(invoice), Clock::now());
        co_await std::move(task);
    }
}

asio::awaitable<void> invoice_loop(Run& run, std::size_t payee) {
    const auto ex = co_await asio::this_coro::executor;
    auto c = connection_to(ex, *run.cluster.clients()[payee]);
    co_await c->connect();
    // Enough for every connection of the payer twice over, so a payer never waits while a batch is made.
    const std::size_t target = 2 * run.shape.connections + run.shape.invoice_batch;
    asio::steady_timer idle(ex);
    while (Clock::now() < run.stop_at && !run.fatal) {
        if (run.invoices[payee].size() >= target) {
            idle.expires_after(1ms);
            co_await idle.async_wait(asio::use_awaitable);
            continue;
        }
        auto task = make_invoices(run, *c, payee, run.shape.invoice_batch);
        co_await std::move(task);
    }
}

asio::awaitable<void> stock_invoices(Run& run, std::size_t per_payee) {
    const auto ex = co_await asio::this_coro::executor;
    for (std::size_t payee = 0; payee < run.invoices.size(); ++payee) {
        auto c = connection_to(ex, *run.cluster.clients()[payee]);
        co_await c->connect();
        while (run.invoices[payee].size() < per_payee) {
            const std::size_t n = std::min(run.shape.invoice_batch, per_payee - run.invoices[payee].size());
            auto task = make_invoices(run, *c, payee, n);
            co_await std::move(task);
        }
    }
}

// Runs `body` on a fresh io_context until it is done; rethrows what it threw.
void run_to_end(std::function<asio::awaitable<void>()> body) {
    asio::io_context io;
    std::exception_ptr failure;
    asio::co_spawn(io, std::move(body), [&](std::exception_ptr e) { failure = e; });
    io.run();
    if (failure) std::rethrow_exception(failure);
}

// Spawns `task` as a child of the phase: the first transport error is kept and ends the phase.
void spawn(Run& run, asio::any_io_executor ex, asio::awaitable<void> task, std::size_t& running) {
    ++running;
    asio::co_spawn(ex, std::move(task), [&run, &running](std::exception_ptr e) {
        --running;
        if (e && !run.fatal) run.fatal = e;
    });
}

asio::awaitable<void> wait_all(const std::size_t& running) {
    asio::steady_timer t(co_await asio::this_coro::executor);
    while (running > 0) {
        t.expires_after(5ms);
        co_await t.async_wait(asio::use_awaitable);
    }
}

using Pool = std::vector<std::unique_ptr<HubConnection>>;

// One scheduled payment on a free connection of its payer (a new one when none is free). Its latency runs
// from the scheduled moment: waiting for a connection counts against the payment.
asio::awaitable<void> paced_one(Run& run, Pool& idle, std::size_t payer, std::string invoice,
                                Clock::time_point due) {
    std::unique_ptr<HubConnection> c;
    if (idle.empty()) {
        const auto ex = co_await asio::this_coro::executor;
        c = connection_to(ex, *run.cluster.clients()[payer]);
        co_await c->connect();
    } else {
        c = std::move(idle.back());
        idle.pop_back();
    }
    auto task = pay_one(run, *c, std::move(invoice), due);
    co_await std::move(task);
    idle.push_back(std::move(c));
}

}  // namespace

PhaseResult saturate(const Cluster& cluster, const LoadShape& shape, std::chrono::milliseconds window,
                     const WindowHook& hook) {
    Run run(cluster, shape);
    run_to_end([&]() -> asio::awaitable<void> {
        const auto ex = co_await asio::this_coro::executor;
        auto stocking = stock_invoices(run, 2 * shape.connections + shape.invoice_batch);
        co_await std::move(stocking);
        const auto start = Clock::now();
        run.window_open = start + shape.warmup;
        run.window_close = run.window_open + window;
        run.stop_at = run.window_close;
        std::size_t running = 0;
        for (std::size_t i = 0; i < cluster.clients().size(); ++i) {
            for (std::size_t k = 0; k < shape.invoice_connections; ++k)
                spawn(run, ex, invoice_loop(run, i), running);
            for (std::size_t k = 0; k < shape.connections; ++k)
                spawn(run, ex, payer_loop(run, i), running);
        }
        asio::steady_timer at(ex);
        at.expires_at(run.window_open);
        co_await at.async_wait(asio::use_awaitable);
        if (!run.fatal) {
            auto opening = hook(true);
            co_await std::move(opening);
        }
        at.expires_at(run.window_close);
        co_await at.async_wait(asio::use_awaitable);
        if (!run.fatal) {
            auto closing = hook(false);
            co_await std::move(closing);
        }
        auto draining = wait_all(running);
        co_await std::move(draining);
    });
    if (run.fatal) std::rethrow_exception(run.fatal);
    run.result.seconds = std::chrono::duration<double>(window).count();
    return std::move(run.result);
}

PhaseResult paced(const Cluster& cluster, const LoadShape& shape, double rate,
                  std::chrono::milliseconds window) {
    Run run(cluster, shape);
    const std::size_t payers = cluster.clients().size();
    const auto total =
        static_cast<std::size_t>(std::ceil(rate * std::chrono::duration<double>(window).count()));
    run_to_end([&]() -> asio::awaitable<void> {
        const auto ex = co_await asio::this_coro::executor;
        auto stocking = stock_invoices(run, total / payers + 1);
        co_await std::move(stocking);
        // Free connections per payer; one is opened when none is free (the schedule never waits).
        std::vector<Pool> idle(payers);
        const auto start = Clock::now() + 100ms;
        run.window_open = start;
        run.window_close = start + window + 60s;  // every scheduled payment counts, however late it ends
        run.stop_at = run.window_close;
        std::size_t running = 0;
        asio::steady_timer at(ex);
        const auto step =
            std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(1.0 / rate));
        for (std::size_t k = 0; k < total && !run.fatal; ++k) {
            const auto due = start + step * static_cast<long>(k);
            at.expires_at(due);
            co_await at.async_wait(asio::use_awaitable);
            const std::size_t payer = k % payers;
            auto& stock = run.invoices[run.payee_of(payer)];
            if (stock.empty()) throw std::logic_error("paced: out of invoices");
            std::string invoice = std::move(stock.front());
            stock.pop_front();
            spawn(run, ex, paced_one(run, idle[payer], payer, std::move(invoice), due), running);
        }
        auto draining = wait_all(running);
        co_await std::move(draining);
    });
    if (run.fatal) std::rethrow_exception(run.fatal);
    run.result.seconds = std::chrono::duration<double>(window).count();
    return std::move(run.result);
}

double quantile(std::vector<double>& values, double q) {
    if (values.empty()) return 0;
    std::sort(values.begin(), values.end());
    const auto rank = static_cast<std::size_t>(std::ceil(q * static_cast<double>(values.size())));
    return values[std::min(values.size() - 1, rank == 0 ? 0 : rank - 1)];
}

}  // namespace sluice::bench
