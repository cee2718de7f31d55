// Interpreter speed on the standard EVM benchmark suite (fixtures/evm_benchmarks/{main,micro}, state-test
// format, London): for every test and calldata entry, runs the `to` account's code on an in-memory
// host seeded with the pre-state, as evmone's own benchmark does. Names are
// execute/<main|micro>/<name>/<label>; counters: gas_used and gas_rate (gas/s). The comparison with
// evmone is made side by side by running evmone's own evmone-bench on the same fixtures (issue #17's
// closing note has the method); no figures from another machine are built in.
#include <benchmark/benchmark.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "../tests/evm/test_host.hpp"
#include "sluice/core/hex.hpp"
#include "sluice/evm/interpreter.hpp"

namespace {

using namespace sluice;
using namespace sluice::evm;
using json = nlohmann::json;

struct Case {
    std::string name;
    std::shared_ptr<test::TestHost> host;  // seeded with the fixture's pre-state
    std::shared_ptr<const CodeAnalysis> code;
    Bytes input;
    Message msg;
};

u256 num(const json& j) {
    return u256::from_string(j.get<std::string>()).value();
}

Bytes bytes_field(const std::string& text) {
    auto decoded = from_hex(text, HexPrefix::optional);
    if (!decoded) throw std::runtime_error("bad hex: " + decoded.error().describe());
    return std::move(decoded).value();
}

// Calldata entries may carry ":label NAME" and ":raw" prefixes (execution-spec-tests style).
std::pair<std::string, Bytes> parse_data(std::string text) {
    std::string label;
    if (text.rfind(":label ", 0) == 0) {
        text.erase(0, 7);
        const auto space = text.find(' ');
        label = text.substr(0, space);
        text = space == std::string::npos ? std::string() : text.substr(space + 1);
    }
    if (text.rfind(":raw ", 0) == 0) text.erase(0, 5);
    return {label, bytes_field(text)};
}

std::vector<Case> load_file(const std::filesystem::path& file, const std::string& group) {
    std::ifstream in(file);
    const json doc = json::parse(in);
    std::vector<Case> cases;
    for (const auto& [test_name, t] : doc.items()) {
        auto host = std::make_shared<test::TestHost>();
        host->rev = Revision::london;
        for (const auto& [addr_hex, acc] : t.at("pre").items()) {
            const Address addr = Address::from_hex(addr_hex).value();
            auto& a = host->accounts[addr];
            a.balance = num(acc.at("balance"));
            a.nonce = num(acc.at("nonce")).low64();
            a.code = bytes_field(acc.at("code").get<std::string>());
            for (const auto& [k, v] : acc.at("storage").items())
                host->set_slot(addr, u256::from_string(k).value(), num(v));
        }
        const auto& env = t.at("env");
        const auto& tx = t.at("transaction");
        auto& ctx = host->tx;
        ctx.gas_price = num(tx.at("gasPrice"));
        ctx.origin = Address::from_hex(tx.at("sender").get<std::string>()).value();
        ctx.coinbase = Address::from_hex(env.at("currentCoinbase").get<std::string>()).value();
        ctx.block_number = static_cast<std::int64_t>(num(env.at("currentNumber")).low64());
        ctx.block_timestamp = static_cast<std::int64_t>(num(env.at("currentTimestamp")).low64());
        ctx.block_gas_limit = static_cast<std::int64_t>(num(env.at("currentGasLimit")).low64());
        ctx.prev_randao = num(env.value("currentRandom", env.value("currentDifficulty", "0x0"))).to_be();
        ctx.base_fee = num(env.value("currentBaseFee", "0x0"));
        ctx.chain_id = 1;
        const Address to = Address::from_hex(tx.at("to").get<std::string>()).value();
        host->warm_accounts.insert(ctx.origin);
        host->warm_accounts.insert(to);

        std::map<std::string, std::string> labels;
        if (t.contains("_info") && t["_info"].contains("labels"))
            for (const auto& [k, v] : t["_info"]["labels"].items())
                labels[k] = v.get<std::string>();

        const auto code = analyze(host->accounts[to].code);
        const auto& data = tx.at("data");
        for (std::size_t i = 0; i < data.size(); ++i) {
            auto [label, input] = parse_data(data[i].get<std::string>());
            if (label.empty())
                label = labels.contains(std::to_string(i)) ? labels[std::to_string(i)] : std::to_string(i);
            Case c;
            c.name = "execute/" + group + "/" + test_name + "/" + label;
            c.host = host;
            c.code = code;
            c.input = std::move(input);
            c.msg.recipient = to;
            c.msg.code_address = to;
            c.msg.sender = ctx.origin;
            c.msg.gas = static_cast<std::int64_t>(num(tx.at("gasLimit")[0]).low64());
            c.msg.value = num(tx.at("value")[0]);
            cases.push_back(std::move(c));
        }
    }
    return cases;
}

void run_case(benchmark::State& state, const Case& c) {
    Message msg = c.msg;
    msg.input = c.input;
    auto& host = *c.host;
    const ExecutionResult check = execute(host, Revision::london, msg, *c.code);
    if (check.status != StatusCode::success) {
        state.SkipWithError(
            ("execution failed with status " + std::to_string(static_cast<int>(check.status))).c_str());
        return;
    }
    const std::int64_t gas_used = msg.gas - check.gas_left;
    for (auto _ : state) {
        auto r = execute(host, Revision::london, msg, *c.code);
        benchmark::DoNotOptimize(r);
        host.logs.clear();
        host.calls.clear();
    }
    state.counters["gas_used"] = static_cast<double>(gas_used);
    state.counters["gas_rate"] = benchmark::Counter(
        static_cast<double>(gas_used) * static_cast<double>(state.iterations()), benchmark::Counter::kIsRate);
}

}  // namespace

int main(int argc, char** argv) {
    const char* env_dir = std::getenv("SLUICE_FIXTURES_DIR");
    const std::filesystem::path root =
        std::filesystem::path(env_dir != nullptr ? env_dir : SLUICE_FIXTURES_DIR) / "evm_benchmarks";
    static std::vector<Case> cases;
    try {
        for (const std::string group : {"main", "micro"}) {
            std::vector<std::filesystem::path> files;
            for (const auto& entry : std::filesystem::directory_iterator(root / group))
                if (entry.path().extension() == ".json") files.push_back(entry.path());
            std::sort(files.begin(), files.end());
            for (const auto& f : files) {
                try {
                    auto loaded = load_file(f, group);
                    for (auto& c : loaded)
                        cases.push_back(std::move(c));
                } catch (const std::exception& e) {
                    std::cerr << "evm_bench: " << f << ": " << e.what() << "\n";
                    return 1;
                }
            }
        }
    } catch (const std::exception& e) {
        std::cerr << "evm_bench: cannot read " << root << ": " << e.what() << "\n";
        return 1;
    }
    for (const auto& c : cases) {
        benchmark::RegisterBenchmark(c.name.c_str(), [&c](benchmark::State& s) {
            run_case(s, c);
        })->Unit(benchmark::kMicrosecond);
    }
    benchmark::Initialize(&argc, argv);
    if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
    benchmark::RunSpecifiedBenchmarks();
    benchmark::Shutdown();
    return 0;
}
