// SPDX-License-Identifier: MIT
#include "commands/commands.hpp"
#include "help_format.hpp"
#include "context.hpp"
#include "failure.hpp"
#include "outcome_exit.hpp"

#include <mfa/audit.hpp>
#include <mfa/clock.hpp>
#include <mfa/text.hpp>

#include <CLI/CLI.hpp>

#include <algorithm>
#include <memory>

namespace mfa::app {

namespace {

struct AuditArgs
{
  std::optional<std::string> user;
  std::optional<std::string> action;
  std::optional<std::string> since;
  std::optional<std::string> until;
  std::optional<int> limit;
  bool csv = false;

  bool any() const { return user || action || since || until || limit || csv; }
};

// A TIME argument as a Unix time; a usage Failure naming the flag otherwise.
std::optional<std::int64_t> time_arg(const char* flag, const std::optional<std::string>& text)
{
  if (!text) {
    return std::nullopt;
  }
  const auto time = parse_audit_time(*text);
  if (!time) {
    throw Failure(ExitStatus::usage, "invalid time '" + *text + "' for " + flag
                                       + ": use RFC 3339 (2026-11-30T14:41:54Z) or a date (2026-11-30, UTC midnight)");
  }
  return time;
}

void check_action(const std::optional<std::string>& action)
{
  const auto actions = audit_actions();
  if (!action || std::find(actions.begin(), actions.end(), *action) != actions.end()) {
    return;
  }
  std::string names;
  for (const auto name : actions) {
    names += (names.empty() ? "" : ", ") + std::string(name);
  }
  throw Failure(ExitStatus::usage, "unknown action '" + *action + "'; actions: " + names);
}

// Control characters escaped as in tables, but for the tab, CR and LF that
// a quoted CSV field holds as they are.
std::string csv_text(std::string_view value)
{
  std::string text;
  for (;;) {
    const auto end = value.find_first_of("\t\r\n");
    text += escape_text(value.substr(0, end), Combining::keep);
    if (end == std::string_view::npos) {
      return text;
    }
    text += value[end];
    value.remove_prefix(end + 1);
  }
}

// One RFC 4180 field. A field that a spreadsheet would run as a formula
// (leading = + - @, tab or CR) gets a leading ' (OWASP's advice); --json
// gives the exact values to programs.
std::string csv_field(const std::string& value)
{
  std::string field = csv_text(value);
  if (!field.empty() && std::string_view("=+-@\t\r").find(field.front()) != std::string_view::npos) {
    field.insert(0, 1, '\'');
  }
  if (field.find_first_of(",\"\r\n") == std::string::npos) {
    return field;
  }
  std::string quoted = "\"";
  for (const char c : field) {
    quoted += c == '"' ? "\"\"" : std::string(1, c);
  }
  return quoted + "\"";
}

void print_csv(const std::vector<AuditEntry>& entries)
{
  // CRLF line ends, as RFC 4180 says; every CSV reader accepts them.
  std::fputs("at,actor,action,target,old,new,reason\r\n", stdout);
  for (const auto& e : entries) {
    std::string line;
    for (const auto& value : {format_rfc3339(e.at), e.actor, e.action, e.target, e.old_value.value_or(""),
                              e.new_value.value_or(""), e.reason.value_or("")}) {
      line += (line.empty() ? "" : ",") + csv_field(value);
    }
    std::fputs((line + "\r\n").c_str(), stdout);
  }
}

void run_audit(Context& ctx, const AuditArgs& args)
{
  if (args.csv && ctx.json()) {
    throw Failure(ExitStatus::usage, "--csv and --json cannot be used together; choose one");
  }
  check_action(args.action);
  const auto since = time_arg("--since", args.since);
  const auto until = time_arg("--until", args.until);
  if (since && until && *until <= *since) {
    throw Failure(ExitStatus::usage, "--until (" + *args.until + ") must be later than --since (" + *args.since
                                       + "): --since is inclusive, --until exclusive");
  }
  auto& db = ctx.db();
  const auto entries = audit_log(db, {args.user, args.limit, args.action, since, until});
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
  if (args.csv) {
    print_csv(entries);
    return;
  }
  std::vector<std::vector<std::string>> rows;
  for (const auto& e : entries) {
    rows.push_back({format_rfc3339(e.at), e.actor, e.action, e.target, e.old_value.value_or("-"),
                    e.new_value.value_or("-"), e.reason.value_or("-")});
  }
  print_table(stdout, {"At", "Actor", "Action", "Target", "Old", "New", "Reason"}, rows, ctx.terminal().stdout_colour);
}

std::string rows_text(std::int64_t rows)
{
  return std::to_string(rows) + (rows == 1 ? " audit row" : " audit rows");
}

void run_prune(Context& ctx, const std::string& before_text)
{
  const auto before = *time_arg("--before", before_text);
  const auto actor = ctx.actor(); // a bad actor is refused before the question
  auto& db = ctx.db();
  const auto plan = plan_audit_prune(db, before);
  const auto when = format_rfc3339(before);
  if (plan.rows == 0) {
    if (ctx.json()) {
      ctx.emit_json({{"removed", 0}});
    } else {
      ctx.message("No audit rows from before " + when + "; nothing removed");
    }
    return;
  }
  if (ctx.confirm("Delete " + rows_text(plan.rows) + " from before " + when + "?") == Confirmed::no) {
    throw Failure(ExitStatus::rejected, "not confirmed; nothing changed", {{"removed", 0}});
  }
  const auto removed = prune_audit(db, plan, actor);
  if (ctx.json()) {
    ctx.emit_json({{"removed", removed}});
  } else {
    ctx.message("Removed " + rows_text(removed) + " from before " + when);
  }
}

} // namespace

void setup_audit(CLI::App& root, Context& ctx)
{
  auto args = std::make_shared<AuditArgs>();
  auto* cmd = root.add_subcommand("audit", "Show, search, export or prune the audit log");
  cmd->add_option("--user", args->user, "Only entries about this user")->option_text("NAME");
  cmd->add_option("--action", args->action, "Only entries of this action (e.g. verify)")
    ->option_text("ACTION");
  cmd->add_option("--since", args->since, "At or after TIME (RFC 3339 or YYYY-MM-DD)")
    ->option_text("TIME");
  cmd->add_option("--until", args->until, "Before TIME (RFC 3339 or YYYY-MM-DD)")
    ->option_text("TIME");
  cmd->add_option("--limit", args->limit, "Only the newest N entries")
    ->option_text("N")
    ->check(CLI::Range(1, 1000000000));
  cmd->add_flag("--csv", args->csv, "Print RFC 4180 CSV with a header row");

  auto before = std::make_shared<std::string>();
  auto* prune = cmd->add_subcommand("prune", "Delete the entries from before a time");
  prune->add_option("--before", *before, "Entries older than TIME (RFC 3339 or YYYY-MM-DD)")
    ->option_text("TIME")
    ->required();
  prune->footer(examples({"mfa audit prune --before 2026-01-01", "mfa --yes audit prune --before 2026-06-01T00:00:00Z"}));
  prune->callback([&ctx, args, before] {
    if (args->any()) {
      throw Failure(ExitStatus::usage, "'mfa audit prune' takes only --before; the filters are for 'mfa audit'");
    }
    run_prune(ctx, *before);
  });
  // CLI11 runs a command's callback after its subcommand's: the log is not
  // listed after a prune.
  cmd->callback([&ctx, args, prune] {
    if (!prune->parsed()) {
      run_audit(ctx, *args);
    }
  });
  cmd->footer(examples({"mfa audit --user alice --limit 20", "mfa audit --action verify --since 2026-12-01 --csv"}));
}

} // namespace mfa::app
