// SPDX-License-Identifier: MIT
#include "commands/commands.hpp"
#include "help_format.hpp"
#include "context.hpp"
#include "failure.hpp"
#include "outcome_exit.hpp"

#include <mfa/audit.hpp>
#include <mfa/clock.hpp>

#include <CLI/CLI.hpp>

#include <memory>

namespace mfa::app {

namespace {

struct AuditArgs
{
  std::optional<std::string> user;
  std::optional<int> limit;
};

void run_audit(Context& ctx, const AuditArgs& args)
{
  auto& db = ctx.db();
  const auto entries = audit_log(db, {args.user, args.limit});
  if (args.user && entries.empty() && !audit_mentions_user(db, *args.user)) {
    throw Failure(ExitStatus::no_such_user, "no such user: " + *args.user);
  }
  if (ctx.json()) {
    auto out = nlohmann::ordered_json::array();
    for (const auto& e : entries) {
      out.push_back({{"at", format_rfc3339(e.at)},
                     {"actor", e.actor},
                     {"action", e.action},
                     {"target", e.target},
                     {"old", optional_json(e.old_value)},
                     {"new", optional_json(e.new_value)},
                     {"reason", optional_json(e.reason)}});
    }
    ctx.emit_json(out);
    return;
  }
  std::vector<std::vector<std::string>> rows;
  for (const auto& e : entries) {
    rows.push_back({format_rfc3339(e.at), e.actor, e.action, e.target, e.old_value.value_or("-"),
                    e.new_value.value_or("-"), e.reason.value_or("-")});
  }
  print_table(stdout, {"At", "Actor", "Action", "Target", "Old", "New", "Reason"}, rows, ctx.terminal().stdout_colour);
}

} // namespace

void setup_audit(CLI::App& root, Context& ctx)
{
  auto args = std::make_shared<AuditArgs>();
  auto* cmd = root.add_subcommand("audit", "Show the audit log of every change, oldest first");
  cmd->add_option("--user", args->user, "Only changes to this user")->option_text("NAME");
  cmd->add_option("--limit", args->limit, "Only the newest N changes")
    ->option_text("N")
    ->check(CLI::Range(1, 1000000000));
  cmd->callback([&ctx, args] { run_audit(ctx, *args); });
  cmd->footer(examples({"mfa audit --user alice --limit 20"}));
}

} // namespace mfa::app
