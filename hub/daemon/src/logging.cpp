#include "sluice/hub/logging.hpp"

#include <spdlog/sinks/basic_file_sink.h>
#include <spdlog/sinks/null_sink.h>
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

#include <map>
#include <string>
#include <vector>

namespace sluice::hub {
namespace {

Result<spdlog::level::level_enum> level_of(std::string_view name) {
    static const std::map<std::string_view, spdlog::level::level_enum> kLevels{
        {"trace", spdlog::level::trace}, {"debug", spdlog::level::debug}, {"info", spdlog::level::info},
        {"warn", spdlog::level::warn},   {"error", spdlog::level::err},   {"off", spdlog::level::off}};
    const auto it = kLevels.find(name);
    if (it == kLevels.end())
        return make_error(Errc::hub_bad_config,
                          "log level '" + std::string(name) + "': one of trace, debug, info, warn, error, off");
    return it->second;
}

bool known_subsystem(std::string_view name) {
    for (auto s : kLogSubsystems)
        if (s == name) return true;
    return false;
}

}  // namespace

Status setup_logging(const std::filesystem::path& file, std::string_view levels, bool to_stderr) {
    // "info,rpc=debug": a bare level is everyone's default, name=level one subsystem's.
    spdlog::level::level_enum fallback = spdlog::level::info;
    std::map<std::string, spdlog::level::level_enum> per;
    std::size_t start = 0;
    while (start <= levels.size()) {
        const std::size_t end = std::min(levels.find(',', start), levels.size());
        const std::string_view item = levels.substr(start, end - start);
        start = end + 1;
        if (item.empty()) continue;
        const std::size_t eq = item.find('=');
        if (eq == std::string_view::npos) {
            SLUICE_TRY(fallback, level_of(item));
            continue;
        }
        const std::string_view name = item.substr(0, eq);
        if (!known_subsystem(name))
            return make_error(Errc::hub_bad_config,
                              "log subsystem '" + std::string(name) + "': one of node, rpc, l1, hub");
        SLUICE_TRY(per[std::string(name)], level_of(item.substr(eq + 1)));
    }
    std::vector<spdlog::sink_ptr> sinks;
    try {
        if (to_stderr) sinks.push_back(std::make_shared<spdlog::sinks::stderr_sink_mt>());
        sinks.push_back(std::make_shared<spdlog::sinks::basic_file_sink_mt>(file.string()));
    } catch (const spdlog::spdlog_ex& e) {
        return make_error(Errc::hub_bad_config, "log file " + file.string() + ": " + e.what());
    }
    for (auto name : kLogSubsystems) {
        auto logger = std::make_shared<spdlog::logger>(std::string(name), sinks.begin(), sinks.end());
        const auto it = per.find(std::string(name));
        logger->set_level(it == per.end() ? fallback : it->second);
        logger->set_pattern("%Y-%m-%dT%H:%M:%S.%eZ %-5l [%n] %v", spdlog::pattern_time_type::utc);
        logger->flush_on(spdlog::level::info);  // an operator tails the file; a crash keeps what was said
        spdlog::drop(std::string(name));
        spdlog::register_logger(logger);
    }
    return {};
}

std::shared_ptr<spdlog::logger> log(std::string_view subsystem) {
    if (auto logger = spdlog::get(std::string(subsystem))) return logger;
    static const auto silent =
        std::make_shared<spdlog::logger>("silent", std::make_shared<spdlog::sinks::null_sink_mt>());
    return silent;
}

}  // namespace sluice::hub
