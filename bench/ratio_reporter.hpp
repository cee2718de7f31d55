// Google Benchmark console output plus a closing table of CPU-time ratios between two families of
// benchmarks in the same run (e.g. u256/<op> over gmp/<op>). CPU time rather than wall time because the
// build machine is shared and wall time includes waiting.
#pragma once

#include <benchmark/benchmark.h>

#include <cstdio>
#include <map>
#include <string>
#include <utility>
#include <vector>

namespace sluice::bench {

class RatioReporter : public benchmark::ConsoleReporter {
  public:
    // Prints time(<numerator><suffix>) / time(<denominator><suffix>) for every suffix both families ran.
    RatioReporter(std::string numerator, std::string denominator, std::string caption)
        : numerator_(std::move(numerator)),
          denominator_(std::move(denominator)),
          caption_(std::move(caption)) {}

    void ReportRuns(const std::vector<Run>& runs) override {
        ConsoleReporter::ReportRuns(runs);
        for (const Run& run : runs) {
            if (run.run_type == Run::RT_Iteration && run.error_message.empty()) {
                times_[run.benchmark_name()] = run.GetAdjustedCPUTime();
            }
        }
    }

    void print_ratios() const {
        bool header = false;
        for (const auto& [name, time] : times_) {
            if (name.rfind(numerator_, 0) != 0) continue;
            const std::string suffix = name.substr(numerator_.size());
            const auto base = times_.find(denominator_ + suffix);
            if (base == times_.end() || base->second <= 0) continue;
            if (!header) {
                std::printf("\n%s\n", caption_.c_str());
                header = true;
            }
            std::printf("  %-36s %7.2f   (%.1f ns vs %.1f ns)\n", suffix.c_str(), time / base->second, time,
                        base->second);
        }
    }

  private:
    std::string numerator_;
    std::string denominator_;
    std::string caption_;
    std::map<std::string, double> times_;
};

// The whole main() of a benchmark binary that ends with a ratio table.
inline int run_with_ratios(int argc, char** argv, RatioReporter& reporter) {
    benchmark::Initialize(&argc, argv);
    if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
    benchmark::RunSpecifiedBenchmarks(&reporter);
    reporter.print_ratios();
    benchmark::Shutdown();
    return 0;
}

}  // namespace sluice::bench
