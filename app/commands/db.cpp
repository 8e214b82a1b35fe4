// SPDX-License-Identifier: MIT
// mfa db copy --to DATABASE
#include "commands/commands.hpp"
#include "context.hpp"
#include "failure.hpp"
#include "help_format.hpp"
#include "outcome_exit.hpp"

#include <mfa/database.hpp>
#include <mfa/text.hpp>

#include <CLI/CLI.hpp>

#include <unistd.h>

#include <memory>

namespace mfa::app {

namespace {

std::string count_text(std::int64_t count, const char* one, const char* many)
{
  return std::to_string(count) + " " + (count == 1 ? one : many);
}

void run_copy(Context& ctx, const std::string& to)
{
  auto& from = ctx.db();
  if (to == from.paths().database) {
    throw Failure(ExitStatus::usage, "--to names the database being copied; name another one");
  }
  auto target = ctx.create_other_db(to);
  const bool made = target.created();
  const auto outcome = [&] {
    try {
      return copy_database(from, target, ctx.actor());
    } catch (...) {
      if (made && !is_postgres_uri(to)) {
        for (const char* suffix : {"", "-wal", "-shm"}) {
          ::unlink((to + suffix).c_str()); // the new, empty file this command made
        }
      }
      throw;
    }
  }();
  require_ok(outcome);
  const auto& counts = outcome.value();
  if (ctx.json()) {
    ctx.emit_json({{"from", from.name()},
                   {"to", target.name()},
                   {"users", counts.users},
                   {"enrollments", counts.enrollments},
                   {"backup_codes", counts.backup_codes},
                   {"options", counts.options},
                   {"audit", counts.audit},
                   {"key_file", target.paths().key_file}});
    return;
  }
  ctx.message("Copied " + count_text(counts.users, "user", "users") + ", "
              + count_text(counts.enrollments, "enrollment", "enrollments") + ", "
              + count_text(counts.backup_codes, "backup code", "backup codes") + ", "
              + count_text(counts.options, "option", "options") + " and "
              + count_text(counts.audit, "audit row", "audit rows") + " into " + target.name()
              + "; every row was read back and checked.");
  ctx.message("It opens with the same key file, " + target.paths().key_file
              + ": name it (--key-file, MFA_KEY_FILE or key_file) wherever the copy is used.");
}

} // namespace

void setup_db(CLI::App& root, Context& ctx)
{
  auto* db = root.add_subcommand("db", "Move the database: copy it whole into another one");
  db->require_subcommand(1);
  db->footer(examples({"mfa db copy --to 'postgresql://mfa@db.example.com/mfa?sslmode=verify-full'"}));
  auto* copy = db->add_subcommand(
    "copy", "Copy the whole database into an empty one (an SQLite path or a postgresql:// URI), then check the copy");
  auto to = std::make_shared<std::string>();
  copy->add_option("--to", *to, "The database to copy into: a new SQLite path or an empty PostgreSQL database")
    ->option_text("PATH|URI")
    ->required();
  copy->callback([&ctx, to] { run_copy(ctx, *to); });
  copy->footer(examples({"mfa db copy --to 'postgresql://mfa@db.example.com/mfa?sslmode=verify-full'",
                         "mfa --db /var/lib/mfa/mfa.db db copy --to /backup/mfa-copy.db"}));
}

} // namespace mfa::app
