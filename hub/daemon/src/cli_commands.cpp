#include "sluice/hub/cli_commands.hpp"

#include <algorithm>
#include <charconv>

namespace sluice::hub {
namespace {

using nlohmann::json;

Result<json> convert(const CliArg& arg, const std::string& text) {
    switch (arg.type) {
        case ArgType::string: return json(text);
        case ArgType::number: {
            std::uint64_t v = 0;
            const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
            if (ec != std::errc{} || end != text.data() + text.size() || text.empty())
                return make_error(Errc::cli_bad_arguments, arg.name + ": a whole number, not '" + text + "'");
            return json(v);
        }
        case ArgType::boolean:
            if (text == "true" || text == "1") return json(true);
            if (text == "false" || text == "0") return json(false);
            return make_error(Errc::cli_bad_arguments, arg.name + ": true or false, not '" + text + "'");
        case ArgType::list: {
            json items = json::array();
            std::size_t from = 0;
            for (;;) {
                const auto comma = text.find(',', from);
                const std::string item = text.substr(from, comma == std::string::npos ? comma : comma - from);
                if (item.empty())
                    return make_error(Errc::cli_bad_arguments,
                                      arg.name + ": an empty item in '" + text + "'");
                items.push_back(item);
                if (comma == std::string::npos) return items;
                from = comma + 1;
            }
        }
    }
    return make_error(Errc::internal, "argument type");
}

}  // namespace

const std::vector<CliCommand>& cli_commands() {
    static const std::vector<CliCommand> kCommands{
        {"getinfo", {}, "the node's identity, addresses, chain and counts", false},
        {"listpeers", {}, "connected peers and the ones redialled", false},
        {"connect",
         {{"identity"}, {"host"}, {"port", ArgType::number}},
         "dial a peer by its identity (address) at host:port",
         true},
        {"listchannels", {}, "every channel, its status and latest state", false},
        {"openchannel",
         {{"peer", ArgType::string, true},
          {"amount", ArgType::string, true},
          {"peer_amount", ArgType::string, true},
          {"challenge_duration", ArgType::number, true},
          {"peers", ArgType::list, true},
          {"amounts", ArgType::list, true}},
         "open a channel funded on L1: with one peer (peer amount [peer_amount], wei), or with several "
         "(peers=0xB,0xC amounts=ours,b,c): every participant deposits its amount",
         true},
        {"closechannel",
         {{"channel_id"}},
         "close cooperatively: final state, conclude and withdraw on L1",
         true},
        {"invoice",
         {{"amount"}, {"description", ArgType::string, true}, {"expiry_seconds", ArgType::number, true}},
         "make an invoice for amount wei",
         true},
        {"pay",
         {{"invoice"},
          {"fee", ArgType::string, true},
          {"wait", ArgType::boolean, true},
          {"timeout_seconds", ArgType::number, true}},
         "pay an invoice (fee on top for the hub); waits for the outcome unless wait=false",
         true},
        {"listpayments", {}, "every payment, sent and received", false},
        {"listinvoices", {}, "every invoice made here", false},
        {"setfees",
         {{"base_fee", ArgType::string, true},
          {"fee_ppm", ArgType::number, true},
          {"delta", ArgType::number, true},
          {"max_locked", ArgType::string, true},
          {"channel_id", ArgType::string, true}},
         "set the forwarding policy, or one outgoing channel's (use name=value arguments)",
         true},
        {"stop", {}, "stop the daemon (in-flight payments finish first)", true},
    };
    return kCommands;
}

const CliCommand* find_cli_command(std::string_view name) {
    const auto& all = cli_commands();
    const auto it = std::find_if(all.begin(), all.end(), [&](const CliCommand& c) { return c.name == name; });
    return it == all.end() ? nullptr : &*it;
}

Result<json> cli_params(const CliCommand& command, std::span<const std::string> args) {
    // JSON text is UTF-8: an argument that is not would make the request unsendable (found by
    // cli_params_fuzz).
    for (const auto& a : args) {
        try {
            (void)json(a).dump();
        } catch (const json::exception&) {
            return make_error(Errc::cli_bad_arguments, "an argument is not UTF-8 text");
        }
    }
    const bool named = !args.empty() && args.front().find('=') != std::string::npos;
    if (named) {
        json params = json::object();
        for (const auto& a : args) {
            const auto eq = a.find('=');
            if (eq == std::string::npos)
                return make_error(Errc::cli_bad_arguments, "'" + a + "': name=value arguments cannot mix with positional ones");
            const std::string name = a.substr(0, eq);
            const auto it = std::find_if(command.args.begin(), command.args.end(),
                                         [&](const CliArg& c) { return c.name == name; });
            if (it == command.args.end())
                return make_error(Errc::cli_bad_arguments, command.name + " takes no argument '" + name + "'");
            if (params.contains(name)) return make_error(Errc::cli_bad_arguments, "'" + name + "' given twice");
            SLUICE_TRY(params[name], convert(*it, a.substr(eq + 1)));
        }
        for (const auto& c : command.args)
            if (!c.optional && !params.contains(c.name))
                return make_error(Errc::cli_bad_arguments, command.name + " needs " + c.name);
        return params;
    }
    // "pay INVOICE wait=false" would otherwise send "wait=false" as the fee.
    for (const auto& a : args) {
        const auto eq = a.find('=');
        if (eq == std::string::npos) continue;
        const std::string name = a.substr(0, eq);
        if (std::any_of(command.args.begin(), command.args.end(),
                        [&](const CliArg& c) { return c.name == name; }))
            return make_error(Errc::cli_bad_arguments,
                              "'" + a + "': name=value arguments cannot mix with positional ones");
    }
    if (args.size() > command.args.size())
        return make_error(Errc::cli_bad_arguments, command.name + " takes at most " +
                                                       std::to_string(command.args.size()) + " argument(s)");
    json params = json::array();
    for (std::size_t i = 0; i < command.args.size(); ++i) {
        if (i >= args.size()) {
            if (!command.args[i].optional)
                return make_error(Errc::cli_bad_arguments, command.name + " needs " + command.args[i].name);
            break;
        }
        SLUICE_TRY(json value, convert(command.args[i], args[i]));
        params.push_back(std::move(value));
    }
    return params;
}

std::string cli_usage(const CliCommand& command) {
    std::string out = "sluice-cli " + command.name;
    for (const auto& a : command.args)
        out += a.optional ? " [" + a.name + "]" : " <" + a.name + ">";
    out += "\n  " + command.summary + (command.writes ? "" : " (read-only)") + "\n";
    return out;
}

}  // namespace sluice::hub
