// SPDX-License-Identifier: MIT
#include "cli.hpp"

#include "commands/commands.hpp"
#include "context.hpp"

#include <CLI/CLI.hpp>

#include <string_view>

namespace mfa::app {

void setup_cli(CLI::App& app, Context& ctx)
{
  auto& g = ctx.globals();
  app.set_version_flag("--version", std::string(MFA_VERSION), "Print the version and exit");
  app.require_subcommand(1);
  // Global options are accepted after any subcommand too.
  app.fallthrough();
  app.add_option("--db", g.db, "Database file (env MFA_DB; default $XDG_DATA_HOME/mfa/mfa.db)")
    ->option_text("PATH");
  app.add_option("--key-file", g.key_file, "Key file (env MFA_KEY_FILE; default mfa.key beside the database)")
    ->option_text("PATH");
  app.add_option("--actor", g.actor, "Who is acting, for the audit log (env MFA_ACTOR; default $SUDO_USER or login name)")
    ->option_text("NAME");
  app.add_flag("--json", g.json, "Machine output: exactly one JSON value on stdout");
  app.add_flag("-y,--yes", g.yes, "Answer yes to confirmations");

  setup_init(app, ctx);
  setup_options(app, ctx);
  setup_users(app, ctx);
  setup_verify(app, ctx);
  setup_enroll(app, ctx);
  setup_backup_codes(app, ctx);
  setup_helpdesk(app, ctx);
  setup_audit(app, ctx);
}

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
  const auto subcommands = deepest->get_subcommands([](CLI::App*) { return true; });
  if (subcommands.empty() || !deepest->get_subcommands().empty()) {
    return std::string(error.what()) + " (see " + path + " --help)";
  }
  std::string names;
  for (const auto* sub : subcommands) {
    names += (names.empty() ? "" : ", ") + sub->get_name();
  }
  const auto left = app.remaining(true);
  if (!left.empty()) {
    return "unknown command '" + left.front() + "' for '" + path + "'; commands: " + names;
  }
  return "'" + path + "' needs a command: " + names;
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
