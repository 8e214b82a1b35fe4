// SPDX-License-Identifier: MIT
#include "commands/commands.hpp"
#include "help_format.hpp"
#include "context.hpp"
#include "failure.hpp"
#include "outcome_exit.hpp"
#include "wording.hpp"

#include <mfa/backup_codes.hpp>

#include <CLI/CLI.hpp>

#include <memory>

namespace mfa::app {

namespace {

void run_generate(Context& ctx, const std::string& name)
{
  // Unused codes stop working: the library asks first, as reset does.
  const auto outcome = generate_backup_codes(ctx.db(), name, ctx.actor(), [&](int unused) {
    ctx.message("'" + name + "' still has " + count_of(unused, "unused backup code")
                + "; a new set replaces them, and they stop working.");
    return ctx.confirm("Replace this user's backup codes?") == Confirmed::yes;
  });
  require_ok(outcome);
  if (ctx.json()) {
    ctx.emit_json({{"user", outcome.value().user}, {"backup_codes", outcome.value().codes}});
    return;
  }
  ctx.message("New backup codes for '" + outcome.value().user
              + "', shown this once; the old ones no longer work. Each works once:");
  for (const auto& code : outcome.value().codes) {
    std::printf("%s\n", code.c_str());
  }
}

void run_status(Context& ctx, const std::string& name)
{
  const auto outcome = backup_code_status(ctx.db(), name);
  require_ok(outcome);
  const auto& s = outcome.value();
  if (ctx.json()) {
    ctx.emit_json({{"user", s.user}, {"remaining", s.remaining}, {"used", s.used}, {"usable", s.usable}});
    return;
  }
  print_table(stdout, {"Field", "Value"},
              {{"remaining", std::to_string(s.remaining)}, {"used", std::to_string(s.used)},
               {"usable", s.usable ? "yes" : "no"}},
              ctx.terminal().stdout_colour);
}

} // namespace

void setup_backup_codes(CLI::App& root, Context& ctx)
{
  auto name = std::make_shared<std::string>();
  auto* group = root.add_subcommand("backup-codes", "Make a new set of backup codes, or see how many remain");
  group->require_subcommand(1);
  auto* generate = group->add_subcommand("generate", "Make a new set that replaces the old; printed once");
  generate->add_option("NAME", *name, "User name")->required();
  generate->callback([&ctx, name] { run_generate(ctx, *name); });
  auto* status = group->add_subcommand("status", "How many codes remain and are used, and whether they work now");
  status->add_option("NAME", *name, "User name")->required();
  status->callback([&ctx, name] { run_status(ctx, *name); });
  group->footer(examples({"mfa backup-codes status alice"}));
  generate->footer(examples({"mfa backup-codes generate alice"}));
  status->footer(examples({"mfa backup-codes status alice"}));
}

} // namespace mfa::app
