// The registry under threads: increments from several threads add up exactly, and registering series and
// rendering while others count is safe (run under TSan in CI).
#include <gtest/gtest.h>

#include <string>
#include <thread>
#include <vector>

#include "sluice/hub/metrics.hpp"

namespace sluice::hub {
namespace {

TEST(MetricsConcurrent, ThreadsIncrementingOneCounterGiveTheExactTotal) {
    Metrics m;
    constexpr int kThreads = 4;
    constexpr int kPerThread = 50'000;
    std::vector<std::thread> threads;
    for (int t = 0; t < kThreads; ++t) {
        threads.emplace_back([&m, t] {
            for (int i = 0; i < kPerThread; ++i) {
                // Half look the counter up each time, half keep the reference: both are the same object.
                if (t % 2 == 0) {
                    m.counter("hits_total", "Hits", {{"k", "v"}}).inc();
                } else {
                    static thread_local Counter& kept = m.counter("hits_total", "Hits", {{"k", "v"}});
                    kept.inc();
                }
                m.gauge("level", "Level").add(1);
                m.histogram("sizes", "Sizes", {10, 100}).observe(i % 200);
            }
        });
    }
    // Meanwhile: new series and scrapes.
    std::thread scraper([&m] {
        for (int i = 0; i < 200; ++i) {
            m.counter("other_total", "Other", {{"i", std::to_string(i)}}).inc();
            (void)m.render();
        }
    });
    for (auto& t : threads)
        t.join();
    scraper.join();
    EXPECT_EQ(m.counter("hits_total", "Hits", {{"k", "v"}}).value(), std::uint64_t{kThreads} * kPerThread);
    EXPECT_DOUBLE_EQ(m.gauge("level", "Level").value(), double{kThreads} * kPerThread);
    Histogram& h = m.histogram("sizes", "Sizes", {10, 100});
    EXPECT_EQ(h.count(), std::uint64_t{kThreads} * kPerThread);
    const auto buckets = h.bucket_counts();
    EXPECT_EQ(buckets[0] + buckets[1] + buckets[2], h.count());
    EXPECT_NE(m.render().find("hits_total{k=\"v\"} 200000\n"), std::string::npos);
}

}  // namespace
}  // namespace sluice::hub
