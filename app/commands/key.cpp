// SPDX-License-Identifier: MIT
// mfa key check
#include "commands/commands.hpp"
#include "context.hpp"
#include "failure.hpp"
#include "help_format.hpp"
#include "terminal.hpp"

#include <mfa/keys.hpp>

#include <CLI/CLI.hpp>

#include <cstdio>
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

} // namespace

void setup_key(CLI::App& root, Context& ctx)
{
  auto* key = root.add_subcommand("key", "Check the key file against every sealed secret");
  key->require_subcommand(1);
  key->footer(examples({"mfa key check"}));
  auto* check = key->add_subcommand(
    "check", "Open every sealed secret with the key file; exit 6 listing the users whose secret does not open");
  check->callback([&ctx] { run_check(ctx); });
  check->footer(examples({"mfa key check", "mfa --json key check"}));
}

} // namespace mfa::app
