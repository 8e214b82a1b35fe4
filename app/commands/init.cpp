// SPDX-License-Identifier: MIT
#include "commands/commands.hpp"
#include "context.hpp"
#include "failure.hpp"
#include "help_format.hpp"

#include <mfa/text.hpp>

#include <CLI/CLI.hpp>

#include <grp.h>

#include <array>
#include <memory>

namespace mfa::app {

namespace {

// The group named by `init --group`, as a number (the library refuses one
// the caller is not in).
gid_t shared_group(const std::string& name)
{
  group entry{};
  group* found = nullptr;
  std::array<char, 16384> buffer{};
  if (::getgrnam_r(name.c_str(), &entry, buffer.data(), buffer.size(), &found) != 0 || found == nullptr) {
    throw Failure(ExitStatus::usage, "no group named '" + escape_text(name) + "'; give an existing group with --group");
  }
  return found->gr_gid;
}

} // namespace

void setup_init(CLI::App& root, Context& ctx)
{
  auto* cmd = root.add_subcommand("init", "Create the database and key file if needed, and say where they are");
  auto group_name = std::make_shared<std::string>();
  cmd->add_option("--group", *group_name,
                  "Share them with a group: folder 2770, database 0660, key file 0640, all of GROUP")
    ->option_text("GROUP");
  cmd->callback([&ctx, group_name] {
    std::optional<gid_t> group;
    if (!group_name->empty()) {
      group = shared_group(*group_name);
    }
    auto& db = ctx.create_db(group);
    const auto& paths = db.paths();
    if (ctx.json()) {
      ctx.emit_json({{"database", db.name()},
                     {"key_file", paths.key_file},
                     {"database_created", db.created()},
                     {"key_file_created", db.key_created()}});
      return;
    }
    std::printf("database  %s%s\n", escape_text(db.name()).c_str(), db.created() ? " (created)" : "");
    std::printf("key file  %s%s\n", escape_text(paths.key_file).c_str(), db.key_created() ? " (created)" : "");
    if (!db.created()) {
      ctx.message("The database already exists; nothing was changed.");
    } else if (group) {
      ctx.message("Shared with group " + *group_name + ": its members can use it.");
    }
  });
  cmd->footer(examples({"mfa init", "sudo mfa --db /var/lib/mfa/mfa.db init --group mfa"}));
}

} // namespace mfa::app
