// SPDX-License-Identifier: MIT
// mfa key check
#include "commands/commands.hpp"
#include "context.hpp"
#include "failure.hpp"
#include "help_format.hpp"
#include "outcome_exit.hpp"
#include "terminal.hpp"

#include <mfa/keys.hpp>

#include <CLI/CLI.hpp>

#include <cstdio>
#include <memory>
#include <optional>
#include <string>

namespace mfa::app {

namespace {

void run_check(Context& ctx)
{
  const KeyCheckReport report = check_key(ctx.db());
  const std::string key_file = ctx.db().paths().key_file;
  nlohmann::ordered_json out{{"checked", report.checked}, {"failed", report.failed}};
  if (report.ok()) {
    if (ctx.json()) {
      ctx.emit_json(out);
    } else {
      std::printf("%s\n", display_message("Checked " + std::to_string(report.checked)
                                          + (report.checked == 1 ? " sealed secret" : " sealed secrets")
                                          + ": every one opens with " + key_file + ".")
                            .c_str());
    }
    return;
  }
  if (!ctx.json()) {
    for (const auto& name : report.failed) {
      std::printf("%s\n", display_message(name).c_str());
    }
  }
  const auto count = report.failed.size();
  std::string names;
  for (std::size_t i = 0; i < count && i < 10; ++i) {
    names += (i == 0 ? "" : ", ") + report.failed[i];
  }
  if (count > 10) {
    names += " and " + std::to_string(count - 10) + " more";
  }
  throw Failure(ExitStatus::storage,
                std::to_string(count) + " of " + std::to_string(report.checked) + " sealed secrets "
                  + (count == 1 ? "does" : "do") + " not open with " + key_file
                  + " (tampered, moved to another user's row, or sealed under another key): " + names
                  + "; reset " + (count == 1 ? "that user" : "those users") + " (mfa reset) to enroll again",
                out);
}

struct RotateArgs
{
  std::optional<std::string> new_key_file;
  bool data = false;
};

void run_rotate(Context& ctx, const RotateArgs& args)
{
  if (args.new_key_file.has_value() == args.data) {
    throw Failure(ExitStatus::usage, "key rotate takes --new-key-file PATH or --data (see mfa key rotate --help)");
  }
  const std::string current = ctx.db().paths().key_file;
  const std::string question =
    args.data ? "Seal every secret again under a new data key (the key file " + current + " stays)?"
              : "Wrap the database's key under " + *args.new_key_file + "? Afterwards only that file opens the "
                  "database, not " + current + ".";
  if (ctx.confirm(question) == Confirmed::no) {
    throw Failure(ExitStatus::rejected, "not confirmed; nothing was changed");
  }
  const auto outcome = args.data ? rotate_data_key(ctx.db(), ctx.actor())
                                 : rotate_key_file(ctx.db(), *args.new_key_file, ctx.actor());
  require_ok(outcome);
  const KeyRotation& done = outcome.value();
  if (ctx.json()) {
    ctx.emit_json(nlohmann::ordered_json{{"key_file", done.key_file},
                                         {"key_file_created", done.key_file_created},
                                         {"data_key", done.data_key},
                                         {"resealed", done.resealed}});
    return;
  }
  if (args.data) {
    ctx.message("Sealed " + std::to_string(done.resealed) + (done.resealed == 1 ? " secret" : " secrets")
                + " again under data key " + std::to_string(done.data_key) + "; the key file is still " + done.key_file
                + ".");
    return;
  }
  ctx.message(std::string(done.key_file_created ? "Created " : "Using ") + done.key_file
              + ": the database opens with it only, from now on. Point --key-file, MFA_KEY_FILE or key_file in "
                "the configuration file at it; "
              + current + " opens only backups made before now.");
}

} // namespace

void setup_key(CLI::App& root, Context& ctx)
{
  auto* key = root.add_subcommand("key", "Check the key file against every sealed secret, or rotate the keys");
  key->require_subcommand(1);
  key->footer(examples({"mfa key check", "mfa key rotate --new-key-file /etc/mfa/mfa-2027.key", "mfa key rotate --data"}));
  auto* check = key->add_subcommand(
    "check", "Open every sealed secret with the key file; exit 6 listing the users whose secret does not open");
  check->callback([&ctx] { run_check(ctx); });
  check->footer(examples({"mfa key check", "mfa --json key check"}));
  auto args = std::make_shared<RotateArgs>();
  auto* rotate = key->add_subcommand(
    "rotate", "Wrap the data key under a new key file, or seal every secret again under a new data key");
  rotate->add_option("--new-key-file", args->new_key_file,
                     "Wrap the data key under PATH (created 0600 when absent); afterwards only PATH opens the database")
    ->option_text("PATH");
  rotate->add_flag("--data", args->data, "Seal every secret again under a new data key (the key file stays)");
  rotate->callback([&ctx, args] { run_rotate(ctx, *args); });
  rotate->footer(examples({"mfa key rotate --new-key-file /etc/mfa/mfa-2027.key", "mfa -y key rotate --data"}));
}

} // namespace mfa::app
