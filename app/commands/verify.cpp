// SPDX-License-Identifier: MIT
#include "commands/commands.hpp"
#include "help_format.hpp"
#include "context.hpp"
#include "input.hpp"
#include "outcome_exit.hpp"
#include "wording.hpp"

#include <mfa/policy.hpp>
#include <mfa/verify.hpp>

#include <CLI/CLI.hpp>

#include <memory>

namespace mfa::app {

namespace {

struct VerifyArgs
{
  std::string name;
  std::optional<std::string> code;
};

void run_status(Context& ctx, const VerifyArgs& args)
{
  const auto outcome = user_status(ctx.db(), args.name);
  require_ok(outcome);
  const auto& status = outcome.value();
  if (ctx.json()) {
    ctx.emit_json({{"user", status.user.name},
                   {"type", to_string(status.user.type)},
                   {"auth", to_string(status.user.auth)},
                   {"option", format_option_value(status.option)},
                   {"enrollment", to_string(status.user.enrollment)},
                   {"decision", to_string(status.decision)},
                   {"locked_until", status.locked ? nlohmann::ordered_json(format_rfc3339(*status.user.locked_until))
                                                  : nlohmann::ordered_json()}});
    return;
  }
  std::printf("%s\n", to_string(status.decision));
}

nlohmann::ordered_json verify_json(const VerifyResult& r, const std::string& name)
{
  const std::string method = to_string(r.method);
  return {
    {"user", r.user.empty() ? name : r.user},
    {"accepted", r.accepted},
    {"method", method.empty() ? nlohmann::ordered_json() : nlohmann::ordered_json(method)},
    {"reason", r.reason == RejectReason::none ? nlohmann::ordered_json() : nlohmann::ordered_json(to_string(r.reason))},
    {"drift_steps", optional_json(r.drift_steps)},
    {"backup_codes_left", optional_json(r.backup_codes_left)},
    {"locked_until", r.locked_until ? nlohmann::ordered_json(format_rfc3339(*r.locked_until)) : nlohmann::ordered_json()},
  };
}

void run_verify(Context& ctx, const VerifyArgs& args)
{
  if (!args.code || *args.code == "-") {
    // Ask for a code only when the user needs one.
    const auto needed = code_needed(ctx.db(), args.name);
    require_ok(needed, verify_json(needed.details(), args.name));
  }
  const std::string code = read_code(args.code, ctx.terminal().stdin_tty);
  const auto outcome = verify_code(ctx.db(), args.name, code, ctx.actor());
  const auto& r = outcome.details();
  const std::string method = to_string(r.method);
  const auto out = verify_json(r, args.name);
  require_ok(outcome, out);
  if (ctx.json()) {
    ctx.emit_json(out);
    return;
  }
  std::string message = "accepted (" + method;
  if (r.drift_steps && *r.drift_steps != 0) {
    message += ", clock drift " + count_of(*r.drift_steps, "step");
  }
  if (r.method == VerifyMethod::backup_code && r.backup_codes_left) {
    message += ", " + count_of(*r.backup_codes_left, "backup code") + " left";
  }
  ctx.message(message + ")");
}

} // namespace

void setup_verify(CLI::App& root, Context& ctx)
{
  auto args = std::make_shared<VerifyArgs>();
  auto* status = root.add_subcommand("status", "What a login of a user needs: none, enroll-required, "
                                               "enroll-optional, verify or locked");
  status->add_option("NAME", args->name, "User name")->required();
  status->callback([&ctx, args] { run_status(ctx, *args); });

  auto* verify = root.add_subcommand("verify", "Check a login code (TOTP or backup code); exit 0 when accepted");
  verify->add_option("NAME", args->name, "User name")->required();
  verify->add_option("CODE", args->code, "The code; read from standard input when not given or -");
  verify->callback([&ctx, args] { run_verify(ctx, *args); });
  status->footer(examples({"mfa status alice"}));
  verify->footer(examples({"mfa verify alice 123456", "echo 123456 | mfa verify alice"}));
}

} // namespace mfa::app
