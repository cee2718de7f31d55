// sluice-statetest PATH... [--json]: runs every state-test case in the given files/folders and
// reports failures, a summary and the unsupported reasons. Exit status 0 only if nothing failed.
#include <algorithm>
#include <atomic>
#include <cstdio>
#include <exception>
#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>
#include <vector>

#include "state_test_runner.hpp"

namespace {

using sluice::statetest::CaseResult;
using sluice::statetest::Outcome;

struct FileReport {
    std::vector<std::string> failures;  // one printable line each
    std::size_t passed = 0;
    std::map<std::string, std::size_t> unsupported;
};

FileReport run_file(const std::string& path) {
    FileReport report;
    auto tests = sluice::statetest::load_state_test_file(path);
    if (!tests) {
        report.failures.push_back("ERROR " + tests.error().describe());
        return report;
    }
    for (const auto& test : *tests) {
        for (const auto& c : test.cases) {
            const CaseResult r = sluice::statetest::run_case(test, c);
            switch (r.outcome) {
                case Outcome::passed:
                    ++report.passed;
                    break;
                case Outcome::unsupported:
                    ++report.unsupported[r.detail];
                    break;
                case Outcome::failed:
                    report.failures.push_back("FAIL " + path + " " + test.name + " " + c.fork +
                                              " d=" + std::to_string(c.data_index) +
                                              " g=" + std::to_string(c.gas_index) +
                                              " v=" + std::to_string(c.value_index) + ": " + r.detail);
                    break;
            }
        }
    }
    return report;
}

bool collect(const std::string& arg, std::vector<std::string>& files) {
    namespace fs = std::filesystem;
    std::error_code ec;
    if (fs::is_regular_file(arg, ec)) {
        files.push_back(arg);
        return true;
    }
    if (!fs::is_directory(arg, ec)) return false;
    std::vector<std::string> found;
    for (auto it = fs::recursive_directory_iterator(arg, ec); !ec && it != fs::recursive_directory_iterator();
         it.increment(ec)) {
        if (it->is_regular_file(ec) && it->path().extension() == ".json")
            found.push_back(it->path().string());
    }
    if (ec) return false;
    std::sort(found.begin(), found.end());
    files.insert(files.end(), found.begin(), found.end());
    return true;
}

int run(int argc, char** argv) {
    bool json_out = false;
    std::vector<std::string> files;
    for (int i = 1; i < argc; ++i) {
        const std::string arg = argv[i];
        if (arg == "--json") {
            json_out = true;
        } else if (arg == "-h" || arg == "--help") {
            std::printf("usage: sluice-statetest [--json] PATH...\n");
            return 0;
        } else if (!collect(arg, files)) {
            std::fprintf(stderr, "sluice-statetest: %s: no such file or directory\n", arg.c_str());
            return 2;
        }
    }
    if (files.empty()) {
        std::fprintf(stderr, "usage: sluice-statetest [--json] PATH...\n");
        return 2;
    }

    std::vector<FileReport> reports(files.size());
    std::atomic<std::size_t> next{0};
    const unsigned n_threads = std::max(1U, std::thread::hardware_concurrency());
    // Ordinary threads: the EVM hands deep call chains over to its own large-stack workers.
    {
        std::vector<std::jthread> workers;
        for (unsigned t = 0; t < n_threads; ++t)
            workers.emplace_back([&] {
                for (std::size_t i = next++; i < files.size(); i = next++)
                    reports[i] = run_file(files[i]);
            });
    }

    std::size_t passed = 0;
    std::size_t failed = 0;
    std::size_t unsupported = 0;
    std::map<std::string, std::size_t> by_reason;
    for (const FileReport& r : reports) {
        passed += r.passed;
        failed += r.failures.size();
        for (const auto& [reason, n] : r.unsupported) {
            unsupported += n;
            by_reason[reason] += n;
        }
        for (const std::string& line : r.failures)
            std::fprintf(json_out ? stderr : stdout, "%s\n", line.c_str());
    }
    if (json_out) {
        nlohmann::json j;
        j["passed"] = passed;
        j["failed"] = failed;
        j["unsupported"] = unsupported;
        j["unsupported_by_reason"] = nlohmann::json::object();
        for (const auto& [reason, n] : by_reason)
            j["unsupported_by_reason"][reason] = n;
        std::printf("%s\n", j.dump().c_str());
    } else {
        std::printf("%zu passed, %zu failed, %zu unsupported\n", passed, failed, unsupported);
        for (const auto& [reason, n] : by_reason)
            std::printf("  unsupported: %s: %zu\n", reason.c_str(), n);
    }
    return failed == 0 ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
    try {
        return run(argc, argv);
    } catch (const std::exception& e) {
        std::fprintf(stderr, "sluice-statetest: %s\n", e.what());
        return 2;
    }
}
