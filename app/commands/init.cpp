// SPDX-License-Identifier: MIT
#include "commands/commands.hpp"
#include "help_format.hpp"
#include "context.hpp"

#include <CLI/CLI.hpp>

namespace mfa::app {

void setup_init(CLI::App& root, Context& ctx)
{
  auto* cmd = root.add_subcommand("init", "Create the database and key file if needed, and say where they are");
  cmd->callback([&ctx] {
    auto& db = ctx.db();
    const auto& paths = db.paths();
    if (ctx.json()) {
      ctx.emit_json({{"database", paths.database},
                     {"key_file", paths.key_file},
                     {"database_created", db.created()},
                     {"key_file_created", db.key_created()}});
      return;
    }
    std::printf("database  %s%s\n", paths.database.c_str(), db.created() ? " (created)" : "");
    std::printf("key file  %s%s\n", paths.key_file.c_str(), db.key_created() ? " (created)" : "");
  });
  cmd->footer(examples({"mfa --db /var/lib/mfa/mfa.db init"}));
}

} // namespace mfa::app
