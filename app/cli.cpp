// SPDX-License-Identifier: MIT
#include "cli.hpp"

#include "commands/commands.hpp"
#include "context.hpp"
#include "help_format.hpp"
#include "suggest.hpp"
#include "terminal.hpp"

#include <CLI/CLI.hpp>

#include <algorithm>
#include <array>
#include <string_view>
#include <vector>

namespace mfa::app {

namespace {

// The command groups, in the order of the help, with their top-level commands.
struct CommandGroup
{
  std::array<std::string_view, 2> commands;
  void (*setup)(CLI::App&, Context&);
};
constexpr std::array<CommandGroup, 10> k_command_groups{{
  {{"init"}, setup_init},
  {{"options"}, setup_options},
  {{"users"}, setup_users},
  {{"status", "verify"}, setup_verify},
  {{"enroll"}, setup_enroll},
  {{"backup-codes"}, setup_backup_codes},
  {{"reset", "unlock"}, setup_helpdesk},
  {{"audit"}, setup_audit},
  {{"db"}, setup_db},
  {{"key"}, setup_key},
}};

bool has_command(const CommandGroup& group, std::string_view word)
{
  return !word.empty() && std::find(group.commands.begin(), group.commands.end(), word) != group.commands.end();
}

// The global options that take a value, and the global flags.
constexpr std::array<std::string_view, 4> k_global_options{"--db", "--key-file", "--config", "--actor"};
constexpr std::array<std::string_view, 4> k_global_flags{"--json", "-y", "--yes", "--wide"};

template <std::size_t N>
bool among(const std::array<std::string_view, N>& words, std::string_view word)
{
  return std::find(words.begin(), words.end(), word) != words.end();
}

} // namespace

void setup_cli(CLI::App& app, Context& ctx, std::string_view only)
{
  auto& g = ctx.globals();
  // Before any subcommand is added: they take the root's formatter.
  app.formatter(std::make_shared<HelpFormatter>());
  app.set_version_flag("--version", std::string(MFA_VERSION), "Print the version and exit");
  app.require_subcommand(1);
  // Global options are accepted after any subcommand too.
  app.fallthrough();
  app.add_option("--db", g.db,
                 "Database file or postgresql:// URI (env MFA_DB; default $XDG_DATA_HOME/mfa/mfa.db)")
    ->option_text("PATH|URI");
  app.add_option("--key-file", g.key_file, "Key file (env MFA_KEY_FILE; default mfa.key beside the database)")
    ->option_text("PATH");
  app.add_option("--config", g.config, "Configuration file (env MFA_CONFIG; default /etc/mfa/mfa.conf, if present)")
    ->option_text("PATH");
  app.add_option("--actor", g.actor, "Who is acting, for the audit log (env MFA_ACTOR; default $SUDO_USER or login name)")
    ->option_text("NAME");
  app.add_flag("--json", g.json, "Machine output: exactly one JSON value on stdout");
  app.add_flag("-y,--yes", g.yes, "Answer yes to confirmations");
  app.add_flag("--wide", g.wide, "Full-width tables: never shorten a cell to fit the terminal");
  // Before any command's callback runs, wherever --wide was given.
  app.parse_complete_callback([&ctx, &g] {
    ctx.begin_command();
    set_table_width(g.wide ? TableWidth::full : TableWidth::fit);
  });

  for (const auto& group : k_command_groups) {
    if (only.empty() || has_command(group, only)) {
      group.setup(app, ctx);
    }
  }
  // After the subcommands, which would otherwise inherit it.
  app.footer(examples({"mfa init", "mfa options set internalMFA required", "mfa users add alice",
                       "mfa enroll alice"})
             + "\n\nEvery command has --help, with an example.");
}

std::string_view named_command(int argc, const char* const* argv)
{
  for (int i = 1; i < argc; ++i) {
    const std::string_view arg = argv[i];
    if (arg.size() > 1 && arg[0] == '-') {
      if (among(k_global_options, arg.substr(0, arg.find('=')))) {
        i += arg.find('=') == std::string_view::npos ? 1 : 0; // its value
        continue;
      }
      if (among(k_global_flags, arg)) {
        continue;
      }
      return {};
    }
    for (const auto& group : k_command_groups) {
      if (has_command(group, arg)) {
        return arg;
      }
    }
    return {};
  }
  return {};
}

namespace {

// The long flags of `cmd` and its parents (they fall through), without "--".
std::vector<std::string> long_flag_names(const CLI::App* cmd)
{
  std::vector<std::string> names;
  for (; cmd != nullptr; cmd = cmd->get_parent()) {
    for (const auto* opt : cmd->get_options([](const CLI::Option* o) { return o->nonpositional(); })) {
      const auto& long_names = opt->get_lnames();
      names.insert(names.end(), long_names.begin(), long_names.end());
    }
  }
  return names;
}

std::vector<std::string> subcommand_names(const CLI::App* cmd)
{
  std::vector<std::string> names;
  for (const auto* sub : cmd->get_subcommands([](const CLI::App*) { return true; })) {
    names.push_back(sub->get_name());
  }
  return names;
}

std::string joined(const std::vector<std::string>& words, const char* last = " or ")
{
  std::string text;
  for (std::size_t i = 0; i < words.size(); ++i) {
    text += (i == 0 ? "" : i + 1 == words.size() ? last : ", ") + words[i];
  }
  return text;
}

// "did you mean 'x'?" for a mistyped word, or nothing.
std::string did_you_mean(const std::string& word, const std::vector<std::string>& candidates)
{
  const auto near = closest(word, candidates);
  return near.empty() ? std::string() : "; did you mean " + quoted_alternatives(near) + "?";
}

// A word that is no command of `cmd`: a typo of one, or a command of one of
// its groups given without the group ("mfa list").
std::string unknown_command(const CLI::App* cmd, const std::string& path, const std::string& word)
{
  std::string text = "unknown command '" + word + "'" + (cmd->get_parent() ? " for " + path : "");
  const auto names = subcommand_names(cmd);
  if (auto hint = did_you_mean(word, names); !hint.empty()) {
    return text + hint;
  }
  std::vector<std::string> deeper;
  for (const auto* group : cmd->get_subcommands([](const CLI::App*) { return true; })) {
    for (const auto& name : subcommand_names(group)) {
      if (name == word) {
        deeper.push_back(path + " " + group->get_name() + " " + name);
      }
    }
  }
  if (!deeper.empty()) {
    return text + "; did you mean " + quoted_alternatives(deeper) + "?";
  }
  return text + "; the commands are " + joined(names);
}

// Words left over at a command that takes no more: unknown flags (with the
// nearest known ones) and arguments beyond its positionals.
std::string unexpected_words(const CLI::App* cmd, const std::string& path, const std::vector<std::string>& words)
{
  std::vector<std::string> flags;
  std::vector<std::string> arguments;
  for (const auto& word : words) {
    (word.size() > 1 && word[0] == '-' ? flags : arguments).push_back("'" + word + "'");
  }
  std::string text;
  if (!flags.empty()) {
    text = (flags.size() > 1 ? "unknown flags " : "unknown flag ") + joined(flags, " and ");
  }
  if (!arguments.empty()) {
    text += (text.empty() ? "" : " and ") + std::string(arguments.size() > 1 ? "unexpected arguments " : "unexpected argument ")
            + joined(arguments, " and ");
  }
  text += " for " + path;
  if (!flags.empty()) {
    const std::string& first = words[static_cast<std::size_t>(
      std::find_if(words.begin(), words.end(), [](const std::string& w) { return w.size() > 1 && w[0] == '-'; })
      - words.begin())];
    // A mistyped flag: "--emial", "-emial" or "--emial=x" for "--email".
    const std::string bare = first.substr(0, first.find('=')).substr(first.find_first_not_of('-'));
    const auto known = long_flag_names(cmd);
    if (std::find(known.begin(), known.end(), bare) != known.end()) {
      // A flag of the command, given before it ("mfa --qr none enroll alice").
      return "'" + first + "' is a flag of " + path + ": give it after '" + cmd->get_name() + "' (" + path + " ... "
             + first + ")";
    }
    auto near = bare.size() < 2 ? std::vector<std::string>{} : closest(bare, known);
    for (auto& name : near) {
      name.insert(0, "--");
    }
    return near.empty() ? text : text + "; did you mean " + quoted_alternatives(near) + "?";
  }
  std::vector<std::string> takes;
  for (const auto* opt : cmd->get_options([](const CLI::Option* o) { return o->get_positional(); })) {
    takes.push_back(opt->get_required() ? opt->get_name() : "[" + opt->get_name() + "]");
  }
  return text + (takes.empty() ? ", which takes no arguments" : ", which takes only " + joined(takes, " "));
}

const CLI::Option* find_option(const CLI::App* cmd, const std::string& name)
{
  for (; cmd != nullptr; cmd = cmd->get_parent()) {
    if (const auto* opt = cmd->get_option_no_throw(name)) {
      return opt;
    }
  }
  return nullptr;
}

// CLI11's message for a bad value ("--qr: foo not in {utf8,ansi,none}",
// "--limit: Value 0 not in range 1 to 10") said as the product says it.
std::string invalid_value(const CLI::App* cmd, const std::string& message)
{
  const std::size_t colon = message.find(": ");
  if (colon == std::string::npos) {
    return "invalid value: " + message;
  }
  const std::string name = message.substr(0, colon);
  const std::string why = message.substr(colon + 2);
  const auto* opt = find_option(cmd, name);
  std::string text = "invalid value";
  if (opt != nullptr && !opt->results().empty()) {
    text += " '" + opt->results().back() + "'";
  }
  text += " for " + name;
  if (const auto range = why.find("not in range "); range != std::string::npos) {
    return text + "; allowed: " + why.substr(range + 13);
  }
  const auto open = why.find("not in {");
  const auto close = why.rfind('}');
  if (open != std::string::npos && close != std::string::npos && close > open) {
    std::string allowed = why.substr(open + 8, close - open - 8);
    for (std::size_t at = allowed.find(','); at != std::string::npos; at = allowed.find(',', at + 2)) {
      allowed.replace(at, 1, ", ");
    }
    return text + "; allowed: " + allowed;
  }
  return text + ": " + why;
}

// What a missing value or argument is called in the help.
std::string value_name(const CLI::Option* opt)
{
  if (opt->get_positional()) {
    return opt->get_name();
  }
  return opt->get_name() + (opt->get_option_text().empty() ? "" : " " + opt->get_option_text());
}

std::string lower_first(std::string text)
{
  if (!text.empty() && text[0] >= 'A' && text[0] <= 'Z' && (text.size() < 2 || !(text[1] >= 'A' && text[1] <= 'Z'))) {
    text[0] = static_cast<char>(text[0] - 'A' + 'a');
  }
  return text;
}

std::string sentence(const CLI::App* cmd, const std::string& path, const std::exception& error,
                     const std::vector<std::string>& left)
{
  const std::string message = error.what();
  const bool is_group = !cmd->get_subcommands([](const CLI::App*) { return true; }).empty();
  if (is_group && !left.empty() && !(left.front().size() > 1 && left.front()[0] == '-')) {
    return unknown_command(cmd, path, left.front());
  }
  if (!left.empty()) {
    return unexpected_words(cmd, path, left);
  }
  if (is_group && dynamic_cast<const CLI::RequiredError*>(&error) != nullptr) {
    return path + " needs a command: " + joined(subcommand_names(cmd));
  }
  if (dynamic_cast<const CLI::RequiredError*>(&error) != nullptr) {
    std::vector<std::string> missing;
    for (const auto* opt : cmd->get_options([](const CLI::Option* o) { return o->get_required() && o->count() == 0; })) {
      missing.push_back(value_name(opt));
    }
    if (!missing.empty()) {
      return path + " needs " + joined(missing, " and ");
    }
  }
  if (dynamic_cast<const CLI::ArgumentMismatch*>(&error) != nullptr) {
    const auto* opt = find_option(cmd, message.substr(0, message.find(':')));
    if (opt != nullptr && message.find("missing") != std::string::npos) {
      return opt->get_name() + " needs a value"
             + (opt->get_option_text().empty() ? "" : ": " + opt->get_option_text());
    }
    if (opt != nullptr && message.find("At Most") != std::string::npos) {
      return opt->get_name() + " is given more than once; give it once";
    }
  }
  if (dynamic_cast<const CLI::ValidationError*>(&error) != nullptr
      || dynamic_cast<const CLI::ConversionError*>(&error) != nullptr) {
    return invalid_value(cmd, message);
  }
  if (dynamic_cast<const CLI::ExcludesError*>(&error) != nullptr) {
    const std::size_t at = message.find(" excludes ");
    if (at != std::string::npos) {
      return message.substr(0, at) + " and " + message.substr(at + 10) + " cannot be given together";
    }
  }
  if (dynamic_cast<const CLI::RequiresError*>(&error) != nullptr) {
    const std::size_t at = message.find(" requires ");
    if (at != std::string::npos) {
      return message.substr(0, at) + " needs " + message.substr(at + 10) + " as well";
    }
  }
  return lower_first(message);
}

} // namespace

std::string explain_parse_error(CLI::App& app, const std::exception& error)
{
  // The deepest command the words reached.
  CLI::App* deepest = &app;
  std::string path = "mfa";
  for (;;) {
    const auto chosen = deepest->get_subcommands();
    if (chosen.empty()) {
      break;
    }
    deepest = chosen.front();
    path += " " + deepest->get_name();
  }
  return sentence(deepest, path, error, app.remaining(true)) + " (see " + path + " --help)";
}

bool json_requested(int argc, const char* const* argv)
{
  for (int i = 1; i < argc; ++i) {
    const std::string_view arg = argv[i];
    if (arg == "--") {
      break;
    }
    if (arg == "--json") {
      return true;
    }
  }
  return false;
}

} // namespace mfa::app
