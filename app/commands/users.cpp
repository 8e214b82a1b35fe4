// SPDX-License-Identifier: MIT
#include "commands/commands.hpp"
#include "help_format.hpp"
#include "context.hpp"
#include "input.hpp"
#include "outcome_exit.hpp"

#include <mfa/policy.hpp>
#include <mfa/text.hpp>
#include <mfa/user_import.hpp>
#include <mfa/users.hpp>

#include <CLI/CLI.hpp>

#include <memory>

namespace mfa::app {

namespace {

struct UserArgs
{
  std::string name;
  bool external = false;
  bool internal = false;
  bool sso = false;
  bool password = false;
  std::optional<std::string> email;
  std::string search;
  std::string file;
};

void print_user_added(Context& ctx, const User& user, const char* verb)
{
  if (ctx.json()) {
    ctx.emit_json(user_json(user));
  } else {
    ctx.message(std::string(verb) + " " + to_string(user.type) + " " + to_string(user.auth) + " user '" + user.name
                + "'");
  }
}

void run_add(Context& ctx, const UserArgs& args)
{
  NewUser user{args.name, args.external ? UserType::external : UserType::internal,
               args.sso ? AuthMethod::sso : AuthMethod::password, args.email};
  const auto outcome = add_user(ctx.db(), user, ctx.actor());
  require_ok(outcome);
  print_user_added(ctx, outcome.value, "Added");
}

void run_set(Context& ctx, const UserArgs& args)
{
  UserChanges changes;
  if (args.internal || args.external) {
    changes.type = args.external ? UserType::external : UserType::internal;
  }
  if (args.sso || args.password) {
    changes.auth = args.sso ? AuthMethod::sso : AuthMethod::password;
  }
  changes.email = args.email;
  const auto outcome = update_user(ctx.db(), args.name, changes, ctx.actor());
  require_ok(outcome);
  print_user_added(ctx, outcome.value, "Updated");
}

void run_import(Context& ctx, const UserArgs& args)
{
  const std::string text = read_input(args.file);
  const auto outcome = import_users(ctx.db(), text, ctx.actor());
  require_ok(outcome, {{"imported", 0}, {"line", outcome.value.failed_line}});
  if (ctx.json()) {
    ctx.emit_json({{"imported", outcome.value.imported}});
  } else {
    ctx.message("Imported " + std::to_string(outcome.value.imported) + " users");
  }
}

void run_list(Context& ctx, const UserArgs& args)
{
  const auto users = list_users(ctx.db(), args.search);
  if (ctx.json()) {
    auto out = nlohmann::ordered_json::array();
    for (const auto& user : users) {
      out.push_back(user_json(user));
    }
    ctx.emit_json(out);
    return;
  }
  std::vector<std::vector<std::string>> rows;
  for (const auto& user : users) {
    rows.push_back({user.name, to_string(user.type), to_string(user.auth), user.email.value_or("-"),
                    to_string(user.enrollment)});
  }
  print_table(stdout, {"Name", "Type", "Auth", "Email", "Enrollment"}, rows, ctx.terminal().stdout_colour);
}

void run_show(Context& ctx, const UserArgs& args)
{
  const auto outcome = user_status(ctx.db(), args.name);
  require_ok(outcome);
  const auto& status = outcome.value;
  const auto& user = status.user;
  const std::string locked = status.locked ? "until " + format_rfc3339(*user.locked_until) : "no";
  if (ctx.json()) {
    auto out = user_json(user);
    out["decision"] = to_string(status.decision);
    out["option"] = format_option_value(status.option);
    out["failed_attempts"] = user.failed_attempts;
    out["locked_until"] = status.locked ? nlohmann::ordered_json(format_rfc3339(*user.locked_until))
                                        : nlohmann::ordered_json();
    out["created_at"] = format_rfc3339(user.created_at);
    ctx.emit_json(out);
    return;
  }
  print_table(stdout, {"Field", "Value"},
              {{"name", user.name},
               {"type", to_string(user.type)},
               {"auth", to_string(user.auth)},
               {"email", user.email.value_or("-")},
               {"enrollment", to_string(user.enrollment)},
               {"option", format_option_value(status.option)},
               {"decision", to_string(status.decision)},
               {"failed attempts", std::to_string(user.failed_attempts)},
               {"locked", locked},
               {"created", format_rfc3339(user.created_at)}},
              ctx.terminal().stdout_colour);
}

void run_remove(Context& ctx, const UserArgs& args)
{
  auto& db = ctx.db();
  const auto found = find_user(db, args.name);
  require_ok(found);
  ctx.message("Removing user '" + found.value.name + "' (enrollment " + to_string(found.value.enrollment)
              + ") with the enrollment and backup codes.");
  if (ctx.confirm("Remove this user?") == Confirmed::no) {
    throw Failure(ExitStatus::rejected, "not confirmed; nothing changed", user_json(found.value));
  }
  const auto outcome = remove_user(db, args.name, ctx.actor());
  require_ok(outcome);
  if (ctx.json()) {
    auto out = user_json(outcome.value);
    out["removed"] = true;
    ctx.emit_json(out);
  } else {
    ctx.message("Removed user '" + outcome.value.name + "'");
  }
}

// For shell completion and scripts: fast, quiet, and never creates a database.
void run_names(Context& ctx)
{
  auto db = ctx.existing_db();
  const auto names = db ? user_names(*db) : std::vector<std::string>{};
  if (ctx.json()) {
    ctx.emit_json(names);
    return;
  }
  for (const auto& name : names) {
    std::printf("%s\n", escape_text(name, Combining::keep).c_str());
  }
}

} // namespace

void setup_users(CLI::App& root, Context& ctx)
{
  auto* group = root.add_subcommand("users", "Add, change, import, list, show and remove users");
  group->require_subcommand(1);
  auto args = std::make_shared<UserArgs>();

  auto* add = group->add_subcommand("add", "Add a user (internal, password sign-in by default)");
  add->add_option("NAME", args->name, "User name: 1 to 256 printable characters")->required();
  add->add_flag("--external", args->external, "An external user (portal, hotline, external party)");
  add->add_flag("--sso", args->sso, "Signs in with single sign-on: never uses MFA");
  add->add_option("--email", args->email, "E-mail address")->option_text("EMAIL");
  add->callback([&ctx, args] { run_add(ctx, *args); });

  auto* set = group->add_subcommand("set", "Change a user's class, sign-in method or e-mail");
  set->add_option("NAME", args->name, "User name")->required();
  auto* internal = set->add_flag("--internal", args->internal, "Make the user internal");
  auto* external = set->add_flag("--external", args->external, "Make the user external");
  internal->excludes(external);
  auto* sso = set->add_flag("--sso", args->sso, "The user signs in with SSO");
  auto* password = set->add_flag("--password", args->password, "The user signs in with a password");
  sso->excludes(password);
  set->add_option("--email", args->email, "E-mail address ('' removes it)")->option_text("EMAIL");
  set->callback([&ctx, args] { run_set(ctx, *args); });

  auto* import = group->add_subcommand("import", "Import users from CSV: name,type,auth[,email]; all or nothing");
  import->add_option("FILE", args->file, "CSV file, or - for standard input")->required();
  import->callback([&ctx, args] { run_import(ctx, *args); });

  auto* list = group->add_subcommand("list", "List users");
  list->add_option("--search", args->search, "Only users whose name or e-mail contains TEXT")->option_text("TEXT");
  list->callback([&ctx, args] { run_list(ctx, *args); });

  auto* names = group->add_subcommand("names", "Print user names, one a line (for completion); creates no database");
  names->callback([&ctx] { run_names(ctx); });

  auto* show = group->add_subcommand("show", "Show one user, with what a login needs");
  show->add_option("NAME", args->name, "User name")->required();
  show->callback([&ctx, args] { run_show(ctx, *args); });

  auto* remove = group->add_subcommand("remove", "Remove a user with the enrollment and backup codes");
  remove->add_option("NAME", args->name, "User name")->required();
  remove->callback([&ctx, args] { run_remove(ctx, *args); });
  group->footer(examples({"mfa users add alice --email alice@example.com", "mfa users list --search example.com"}));
  add->footer(examples({"mfa users add alice --email alice@example.com", "mfa users add bob --external --sso"}));
  set->footer(examples({"mfa users set alice --external --email ''"}));
  import->footer(examples({"mfa users import users.csv"}));
  list->footer(examples({"mfa users list --search example.com"}));
  names->footer(examples({"mfa users names"}));
  show->footer(examples({"mfa users show alice"}));
  remove->footer(examples({"mfa users remove alice"}));
}

} // namespace mfa::app
