#include "sluice/hub/metrics.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstdlib>

namespace sluice::hub {
namespace {

enum Type : int { kCounter = 0, kGauge = 1, kHistogram = 2 };
constexpr const char* kTypeNames[] = {"counter", "gauge", "histogram"};

[[noreturn]] void misuse(const std::string& what) {
    std::fprintf(stderr, "sluice::hub::Metrics misuse: %s\n", what.c_str());
    std::abort();
}

bool name_char(char c, bool first, bool colon) {
    const bool alpha = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || (colon && c == ':');
    return alpha || (!first && c >= '0' && c <= '9');
}

bool valid_name(const std::string& name, bool colon) {
    if (name.empty()) return false;
    for (std::size_t i = 0; i < name.size(); ++i) {
        if (!name_char(name[i], i == 0, colon)) return false;
    }
    return true;
}

// Prometheus' number syntax: shortest round trip, and its own spellings of the non-finite values.
std::string format_number(double v) {
    if (std::isnan(v)) return "NaN";
    if (std::isinf(v)) return v > 0 ? "+Inf" : "-Inf";
    char buffer[64];
    const auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, v);
    return ec == std::errc{} ? std::string(buffer, end) : std::string("NaN");
}

// HELP text escapes backslash and newline; label values also escape the double quote.
std::string escape(const std::string& text, bool quote) {
    std::string out;
    out.reserve(text.size());
    for (const char c : text) {
        if (c == '\\') {
            out += "\\\\";
        } else if (c == '\n') {
            out += "\\n";
        } else if (quote && c == '"') {
            out += "\\\"";
        } else {
            out += c;
        }
    }
    return out;
}

// `a="x",b="y"` (no braces), the labels sorted by name.
std::string label_text(const MetricLabels& sorted) {
    std::string out;
    for (const auto& [key, value] : sorted) {
        if (!out.empty()) out += ',';
        out += key + "=\"" + escape(value, true) + "\"";
    }
    return out;
}

std::string braced(const std::string& labels, const std::string& extra = {}) {
    if (labels.empty() && extra.empty()) return {};
    if (labels.empty()) return "{" + extra + "}";
    if (extra.empty()) return "{" + labels + "}";
    return "{" + labels + "," + extra + "}";
}

}  // namespace

Histogram::Histogram(std::vector<double> upper_bounds)
    : bounds_(std::move(upper_bounds)),
      buckets_(std::make_unique<std::atomic<std::uint64_t>[]>(bounds_.size() + 1)) {}

void Histogram::observe(double v) noexcept {
    std::size_t index = bounds_.size();  // +Inf, also for NaN
    if (!std::isnan(v)) {
        index =
            static_cast<std::size_t>(std::lower_bound(bounds_.begin(), bounds_.end(), v) - bounds_.begin());
    }
    buckets_[index].fetch_add(1, std::memory_order_relaxed);
    sum_.fetch_add(v, std::memory_order_relaxed);
    count_.fetch_add(1, std::memory_order_relaxed);
}

std::vector<std::uint64_t> Histogram::bucket_counts() const {
    std::vector<std::uint64_t> out(bounds_.size() + 1);
    for (std::size_t i = 0; i < out.size(); ++i)
        out[i] = buckets_[i].load(std::memory_order_relaxed);
    return out;
}

struct Metrics::Series {
    std::string labels;  // label_text of the sorted labels
    std::unique_ptr<Counter> counter;
    std::unique_ptr<Gauge> gauge;
    std::unique_ptr<Histogram> histogram;
    std::shared_ptr<const std::function<double()>> read;  // gauge_fn
};

struct Metrics::Family {
    std::string help;
    int type = kCounter;
    std::map<std::string, std::unique_ptr<Series>> series;  // by labels
};

Metrics::Metrics() = default;
Metrics::~Metrics() = default;

Metrics::Series& Metrics::series(const std::string& name, const std::string& help, int type,
                                 const MetricLabels& labels, const std::vector<double>* bounds,
                                 std::shared_ptr<const std::function<double()>> read) {
    if (!valid_name(name, true)) misuse("bad metric name \"" + name + "\"");
    MetricLabels sorted = labels;
    std::sort(sorted.begin(), sorted.end());
    for (std::size_t i = 0; i < sorted.size(); ++i) {
        const std::string& key = sorted[i].first;
        if (!valid_name(key, false) || key.rfind("__", 0) == 0 || (type == kHistogram && key == "le")) {
            misuse("bad label name \"" + key + "\" on " + name);
        }
        if (i > 0 && sorted[i - 1].first == key) misuse("label \"" + key + "\" twice on " + name);
    }
    if (bounds != nullptr) {
        for (std::size_t i = 0; i < bounds->size(); ++i) {
            if (!std::isfinite((*bounds)[i]) || (i > 0 && (*bounds)[i - 1] >= (*bounds)[i])) {
                misuse("histogram " + name + ": bounds must be finite and strictly increasing");
            }
        }
    }
    std::string key = label_text(sorted);
    const std::lock_guard lock(mutex_);
    auto& family = families_[name];
    if (!family) {
        family = std::make_unique<Family>();
        family->help = help;
        family->type = type;
    } else if (family->type != type) {
        misuse(name + " is a " + kTypeNames[family->type] + ", asked for as a " + kTypeNames[type]);
    }
    auto& slot = family->series[key];
    if (!slot) {
        slot = std::make_unique<Series>();
        slot->labels = std::move(key);
    }
    if (type == kCounter && !slot->counter) slot->counter = std::make_unique<Counter>();
    if (type == kHistogram && !slot->histogram) slot->histogram = std::make_unique<Histogram>(*bounds);
    if (type == kGauge && read) {
        slot->read = std::move(read);
    } else if (type == kGauge && !slot->gauge) {
        slot->gauge = std::make_unique<Gauge>();
    }
    return *slot;
}

Counter& Metrics::counter(const std::string& name, const std::string& help, const MetricLabels& labels) {
    return *series(name, help, kCounter, labels, nullptr, nullptr).counter;
}

Gauge& Metrics::gauge(const std::string& name, const std::string& help, const MetricLabels& labels) {
    return *series(name, help, kGauge, labels, nullptr, nullptr).gauge;
}

Histogram& Metrics::histogram(const std::string& name, const std::string& help,
                              std::vector<double> upper_bounds, const MetricLabels& labels) {
    return *series(name, help, kHistogram, labels, &upper_bounds, nullptr).histogram;
}

void Metrics::gauge_fn(const std::string& name, const std::string& help, std::function<double()> read,
                       const MetricLabels& labels) {
    auto callback = std::make_shared<const std::function<double()>>(std::move(read));
    (void)series(name, help, kGauge, labels, nullptr, std::move(callback));
}

std::string Metrics::render() const {
    struct Row {
        std::string labels;
        const Counter* counter = nullptr;
        const Gauge* gauge = nullptr;
        const Histogram* histogram = nullptr;
        std::shared_ptr<const std::function<double()>> read;
    };
    struct Snapshot {
        std::string name;
        std::string help;
        int type = kCounter;
        std::vector<Row> rows;
    };
    std::vector<Snapshot> snapshot;
    {
        const std::lock_guard lock(mutex_);
        snapshot.reserve(families_.size());
        for (const auto& [name, family] : families_) {
            Snapshot s{name, family->help, family->type, {}};
            for (const auto& [labels, series] : family->series) {
                s.rows.push_back(Row{labels, series->counter.get(), series->gauge.get(),
                                     series->histogram.get(), series->read});
            }
            snapshot.push_back(std::move(s));
        }
    }
    // Objects are never freed while the registry lives, so the pointers stay good without the lock; the
    // callbacks run unlocked.
    std::string out;
    for (const Snapshot& family : snapshot) {
        if (family.rows.empty()) continue;
        out += "# HELP " + family.name + " " + escape(family.help, false) + "\n";
        out += "# TYPE " + family.name + " " + kTypeNames[family.type] + "\n";
        for (const Row& row : family.rows) {
            if (family.type == kCounter) {
                out += family.name + braced(row.labels) + " " + std::to_string(row.counter->value()) + "\n";
            } else if (family.type == kGauge) {
                double v = std::nan("");  // a callback that throws shows as NaN
                try {
                    v = row.read ? (*row.read)() : row.gauge->value();
                } catch (...) {
                }
                out += family.name + braced(row.labels) + " " + format_number(v) + "\n";
            } else {
                const Histogram& h = *row.histogram;
                const std::vector<std::uint64_t> buckets = h.bucket_counts();
                std::uint64_t cumulative = 0;
                for (std::size_t i = 0; i < buckets.size(); ++i) {
                    cumulative += buckets[i];
                    const std::string le = i < h.upper_bounds().size() ? format_number(h.upper_bounds()[i])
                                                                       : std::string("+Inf");
                    out += family.name + "_bucket" + braced(row.labels, "le=\"" + le + "\"") + " " +
                           std::to_string(cumulative) + "\n";
                }
                // The count is the +Inf bucket, so the two always agree in one scrape.
                out += family.name + "_sum" + braced(row.labels) + " " + format_number(h.sum()) + "\n";
                out += family.name + "_count" + braced(row.labels) + " " + std::to_string(cumulative) + "\n";
            }
        }
    }
    return out;
}

}  // namespace sluice::hub
