// SPDX-License-Identifier: MIT
#include "commands/commands.hpp"
#include "help_format.hpp"
#include "context.hpp"
#include "failure.hpp"
#include "outcome_exit.hpp"

#include <mfa/helpdesk.hpp>
#include <mfa/text.hpp>

#include <CLI/CLI.hpp>

#include <memory>

namespace mfa::app {

namespace {

// Nothing to do: said on stderr (the JSON object carries "changed": false).
void report_unchanged(Context& ctx, const User& user, const std::string& message)
{
  if (ctx.json()) {
    auto out = user_json(user);
    out["changed"] = false;
    ctx.emit_json(out);
  } else {
    ctx.message(message);
  }
}

struct HelpdeskArgs
{
  std::string name;
  std::optional<std::string> reason;
};

void run_reset(Context& ctx, const HelpdeskArgs& args)
{
  if (args.reason) {
    if (auto problem = text_problem("a reason", *args.reason)) {
      throw Failure(ExitStatus::usage, *problem); // before asking anything
    }
  }
  auto& db = ctx.db();
  const auto found = find_user(db, args.name);
  require_ok(found);
  if (found.value().enrollment == EnrollmentState::none && found.value().failed_attempts == 0
      && !found.value().locked_until) {
    report_unchanged(ctx, found.value(), "'" + found.value().name + "' has no enrollment; nothing to reset");
    return;
  }
  ctx.message("Resetting MFA for '" + found.value().name + "' (enrollment " + to_string(found.value().enrollment)
              + "): the enrollment, backup codes, failures and lock are removed; the user enrolls again at the "
                "next login.");
  if (ctx.confirm("Reset this user's MFA?") == Confirmed::no) {
    throw Failure(ExitStatus::rejected, "not confirmed; nothing changed", user_json(found.value()));
  }
  const auto outcome = reset_user(db, args.name, args.reason, ctx.actor());
  require_ok(outcome);
  if (!outcome.value().changed) {
    report_unchanged(ctx, outcome.value().user, "'" + outcome.value().user.name + "' has no enrollment; nothing to reset");
  } else if (ctx.json()) {
    auto out = user_json(outcome.value().user);
    out["changed"] = true;
    ctx.emit_json(out);
  } else {
    ctx.message("Reset '" + outcome.value().user.name + "'");
  }
}

void run_unlock(Context& ctx, const HelpdeskArgs& args)
{
  const auto outcome = unlock_user(ctx.db(), args.name, args.reason, ctx.actor());
  require_ok(outcome);
  if (!outcome.value().changed) {
    report_unchanged(ctx, outcome.value().user,
                     "'" + outcome.value().user.name + "' is neither locked nor failing; nothing to unlock");
  } else if (ctx.json()) {
    auto out = user_json(outcome.value().user);
    out["changed"] = true;
    ctx.emit_json(out);
  } else {
    ctx.message("Unlocked '" + outcome.value().user.name + "'");
  }
}

} // namespace

void setup_helpdesk(CLI::App& root, Context& ctx)
{
  auto args = std::make_shared<HelpdeskArgs>();
  auto* reset = root.add_subcommand("reset", "Remove a user's enrollment, backup codes, failures and lock");
  reset->add_option("NAME", args->name, "User name")->required();
  reset->add_option("--reason", args->reason, "Why, for the audit log")->option_text("TEXT");
  reset->callback([&ctx, args] { run_reset(ctx, *args); });

  auto* unlock = root.add_subcommand("unlock", "Clear a user's lock and failure count");
  unlock->add_option("NAME", args->name, "User name")->required();
  unlock->add_option("--reason", args->reason, "Why, for the audit log")->option_text("TEXT");
  unlock->callback([&ctx, args] { run_unlock(ctx, *args); });
  reset->footer(examples({"mfa reset alice --reason 'lost her phone'"}));
  unlock->footer(examples({"mfa unlock alice --reason 'called the helpdesk'"}));
}

} // namespace mfa::app
