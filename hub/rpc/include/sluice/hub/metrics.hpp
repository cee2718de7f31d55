// Metrics: a small Prometheus registry and its text exposition format 0.0.4 (what GET /metrics serves).
//
// A family is one metric name with one type and one help text; each label set under it is a series. Asking
// again for the same name and labels (in any order) returns the same object, so callers may either keep the
// reference or look it up each time. Counters, gauges and histograms are lock-free atomics; the registry's
// map is behind a mutex (lookups and render()). Objects are never removed, so references stay valid for the
// registry's lifetime.
//
// Names and label names are programming constants: a name that is not [a-zA-Z_:][a-zA-Z0-9_:]*, a label
// name that is not [a-zA-Z_][a-zA-Z0-9_]* (or starts with "__", or is "le" on a histogram), a name asked
// for as two different types, or histogram bounds that are not finite and strictly increasing, abort with
// a message on stderr (like reading a failed Result). Label values may be anything: render() escapes them.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

namespace sluice::hub {

using MetricLabels = std::vector<std::pair<std::string, std::string>>;

class Counter {
  public:
    void inc(std::uint64_t n = 1) noexcept { value_.fetch_add(n, std::memory_order_relaxed); }
    std::uint64_t value() const noexcept { return value_.load(std::memory_order_relaxed); }

  private:
    std::atomic<std::uint64_t> value_{0};
};

class Gauge {
  public:
    void set(double v) noexcept { value_.store(v, std::memory_order_relaxed); }
    void add(double delta) noexcept { value_.fetch_add(delta, std::memory_order_relaxed); }
    double value() const noexcept { return value_.load(std::memory_order_relaxed); }

  private:
    std::atomic<double> value_{0};
};

// Buckets by upper bound (inclusive, as Prometheus' `le`), plus the implicit +Inf bucket. A scrape that
// races an observe() may see the count and the sum of slightly different moments, as with the official
// clients; each bucket and the count stay exact.
class Histogram {
  public:
    explicit Histogram(std::vector<double> upper_bounds);
    void observe(double v) noexcept;

    const std::vector<double>& upper_bounds() const noexcept { return bounds_; }
    // Per bucket, not cumulative; the last one is +Inf.
    std::vector<std::uint64_t> bucket_counts() const;
    std::uint64_t count() const noexcept { return count_.load(std::memory_order_relaxed); }
    double sum() const noexcept { return sum_.load(std::memory_order_relaxed); }

  private:
    std::vector<double> bounds_;
    std::unique_ptr<std::atomic<std::uint64_t>[]> buckets_;  // bounds_.size() + 1
    std::atomic<std::uint64_t> count_{0};
    std::atomic<double> sum_{0};
};

class Metrics {
  public:
    Metrics();
    ~Metrics();
    Metrics(const Metrics&) = delete;
    Metrics& operator=(const Metrics&) = delete;

    Counter& counter(const std::string& name, const std::string& help, const MetricLabels& labels = {});
    Gauge& gauge(const std::string& name, const std::string& help, const MetricLabels& labels = {});
    // The bounds of the first call for a name and labels win; later calls return that histogram.
    Histogram& histogram(const std::string& name, const std::string& help, std::vector<double> upper_bounds,
                         const MetricLabels& labels = {});
    // A gauge read by calling `read` at every render() (on the thread that renders, with no registry lock
    // held, so it may use this registry). A second call for the same name and labels replaces the callback.
    // A gauge family holds either set gauges or callback gauges of the same name, both render alike.
    void gauge_fn(const std::string& name, const std::string& help, std::function<double()> read,
                  const MetricLabels& labels = {});

    // Text format 0.0.4: families sorted by name, series by their labels (sorted by label name), each family
    // once with its # HELP and # TYPE lines. A family with no series yet is left out.
    std::string render() const;

  private:
    struct Family;
    struct Series;
    Series& series(const std::string& name, const std::string& help, int type, const MetricLabels& labels,
                   const std::vector<double>* bounds, std::shared_ptr<const std::function<double()>> read);

    mutable std::mutex mutex_;
    std::map<std::string, std::unique_ptr<Family>> families_;
};

}  // namespace sluice::hub
