// The Prometheus registry: exact text exposition for a small registry, identity of series, escaping.
#include <gtest/gtest.h>

#include <cmath>
#include <string>

#include "sluice/hub/metrics.hpp"

namespace sluice::hub {
namespace {

TEST(Metrics, RendersTheTextFormatExactly) {
    Metrics m;
    m.counter("b_total", "B things", {{"kind", "x\"y\\z\nw"}}).inc(3);
    m.counter("b_total", "B things", {{"kind", "a"}}).inc();
    m.gauge("a_gauge", "A gauge\nwith a \\ newline").set(1.5);
    Histogram& h = m.histogram("c_seconds", "C", {0.25, 1}, {{"path", "/"}});
    h.observe(0.25);  // inclusive upper bound
    h.observe(0.5);
    h.observe(4);
    m.gauge_fn("d", "D", [] { return 7.0; });
    m.gauge("e", "E").set(-2e-7);
    m.counter("f_total", "never used");  // no value yet still renders 0
    EXPECT_EQ(m.render(),
              "# HELP a_gauge A gauge\\nwith a \\\\ newline\n"
              "# TYPE a_gauge gauge\n"
              "a_gauge 1.5\n"
              "# HELP b_total B things\n"
              "# TYPE b_total counter\n"
              "b_total{kind=\"a\"} 1\n"
              "b_total{kind=\"x\\\"y\\\\z\\nw\"} 3\n"
              "# HELP c_seconds C\n"
              "# TYPE c_seconds histogram\n"
              "c_seconds_bucket{path=\"/\",le=\"0.25\"} 1\n"
              "c_seconds_bucket{path=\"/\",le=\"1\"} 2\n"
              "c_seconds_bucket{path=\"/\",le=\"+Inf\"} 3\n"
              "c_seconds_sum{path=\"/\"} 4.75\n"
              "c_seconds_count{path=\"/\"} 3\n"
              "# HELP d D\n"
              "# TYPE d gauge\n"
              "d 7\n"
              "# HELP e E\n"
              "# TYPE e gauge\n"
              "e -2e-07\n"
              "# HELP f_total never used\n"
              "# TYPE f_total counter\n"
              "f_total 0\n");
}

TEST(Metrics, SameNameAndLabelsIsTheSameObjectInAnyLabelOrder) {
    Metrics m;
    Counter& a = m.counter("x_total", "X", {{"a", "1"}, {"b", "2"}});
    Counter& b = m.counter("x_total", "X", {{"b", "2"}, {"a", "1"}});
    Counter& other = m.counter("x_total", "X", {{"a", "1"}, {"b", "3"}});
    EXPECT_EQ(&a, &b);
    EXPECT_NE(&a, &other);
    a.inc(2);
    b.inc();
    EXPECT_EQ(a.value(), 3u);
    EXPECT_EQ(&m.gauge("g", "G"), &m.gauge("g", "G"));
    Histogram& first = m.histogram("h", "H", {1});
    EXPECT_EQ(&first, &m.histogram("h", "H", {5, 6}));  // the first bounds win
    EXPECT_EQ(m.histogram("h", "H", {5}).upper_bounds(), std::vector<double>{1});
    // Labels sorted by name in the output, one family for both series.
    EXPECT_EQ(m.render().find("x_total{a=\"1\",b=\"2\"} 3\n") != std::string::npos, true);
}

TEST(Metrics, GaugeOperationsAndCallbacks) {
    Metrics m;
    Gauge& g = m.gauge("g", "G");
    g.set(2);
    g.add(0.5);
    g.add(-1);
    EXPECT_DOUBLE_EQ(g.value(), 1.5);
    double source = 3;
    m.gauge_fn("live", "Live", [&source] { return source; }, {{"k", "v"}});
    EXPECT_NE(m.render().find("live{k=\"v\"} 3\n"), std::string::npos);
    source = 4;
    EXPECT_NE(m.render().find("live{k=\"v\"} 4\n"), std::string::npos);
    m.gauge_fn("live", "Live", [] { return 9.0; }, {{"k", "v"}});  // replaces the callback
    EXPECT_NE(m.render().find("live{k=\"v\"} 9\n"), std::string::npos);
    // A callback may use the registry (it runs without the lock), and one that throws renders NaN.
    m.gauge_fn("reentrant", "R", [&m] { return static_cast<double>(m.counter("c_total", "C").value()); });
    m.gauge_fn("throws", "T", []() -> double { throw 1; });
    const std::string text = m.render();
    EXPECT_NE(text.find("reentrant 0\n"), std::string::npos);
    EXPECT_NE(text.find("throws NaN\n"), std::string::npos);
}

TEST(Metrics, HistogramEdges) {
    Metrics m;
    Histogram& h = m.histogram("h", "H", {1, 2});
    h.observe(-5);
    h.observe(1);
    h.observe(std::nan(""));
    h.observe(1e300);
    EXPECT_EQ(h.count(), 4u);
    EXPECT_EQ(h.bucket_counts(), (std::vector<std::uint64_t>{2, 0, 2}));
    const std::string text = m.render();
    EXPECT_NE(
        text.find(
            "h_bucket{le=\"1\"} 2\nh_bucket{le=\"2\"} 2\nh_bucket{le=\"+Inf\"} 4\nh_sum NaN\nh_count 4\n"),
        std::string::npos)
        << text;
}

TEST(Metrics, EmptyRegistryRendersNothing) {
    const Metrics m;
    EXPECT_EQ(m.render(), "");
}

TEST(MetricsDeathTest, ProgrammingErrorsAbort) {
    EXPECT_DEATH(Metrics().counter("bad-name", "x"), "bad metric name");
    EXPECT_DEATH(Metrics().counter("ok", "x", {{"0bad", "v"}}), "bad label name");
    EXPECT_DEATH(Metrics().histogram("ok", "x", {1}, {{"le", "v"}}), "bad label name");
    EXPECT_DEATH(Metrics().histogram("ok", "x", {2, 1}), "strictly increasing");
    EXPECT_DEATH(
        {
            Metrics m;
            m.counter("same", "x");
            m.gauge("same", "x");
        },
        "is a counter");
}

}  // namespace
}  // namespace sluice::hub
