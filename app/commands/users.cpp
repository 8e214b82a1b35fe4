// SPDX-License-Identifier: MIT
#include "commands/commands.hpp"
#include "help_format.hpp"
#include "context.hpp"
#include "input.hpp"
#include "outcome_exit.hpp"
#include "progress.hpp"

#include <mfa/policy.hpp>
#include <mfa/text.hpp>
#include <mfa/user_import.hpp>
#include <mfa/users.hpp>

#include <CLI/CLI.hpp>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <memory>
#include <streambuf>

#include <fcntl.h>
#include <unistd.h>

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
  bool update = false;
  bool dry_run = false;
  bool locked = false;
  std::optional<std::string> enrollment;
  std::optional<std::string> type;
  std::optional<std::string> auth;
};

// Reads a file descriptor through a fixed buffer: an import streams its CSV
// (a 50 MB file is never held in memory) from a file or from stdin.
class FdBuffer : public std::streambuf
{
public:
  FdBuffer(int fd, std::string path) : m_fd(fd), m_path(std::move(path)) {}
  ~FdBuffer() override
  {
    if (m_fd > STDERR_FILENO) {
      ::close(m_fd);
    }
  }
  FdBuffer(const FdBuffer&) = delete;
  FdBuffer& operator=(const FdBuffer&) = delete;

protected:
  int_type underflow() override
  {
    ssize_t got = 0;
    do {
      got = ::read(m_fd, m_buffer, sizeof m_buffer);
    } while (got < 0 && errno == EINTR);
    if (got < 0) {
      throw Failure(ExitStatus::usage, "cannot read " + m_path + ": " + std::strerror(errno));
    }
    if (got == 0) {
      return traits_type::eof();
    }
    setg(m_buffer, m_buffer, m_buffer + got);
    return traits_type::to_int_type(m_buffer[0]);
  }

private:
  int m_fd;
  std::string m_path;
  char m_buffer[1 << 16];
};

// The descriptor to read FILE (or stdin for -) from; a usage Failure when it cannot be opened.
int open_input(const std::string& path)
{
  if (path == "-") {
    return STDIN_FILENO;
  }
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    throw Failure(ExitStatus::usage, "cannot read " + path + ": " + std::strerror(errno));
  }
  return fd;
}

// The size of a regular file, for the share done; nothing for stdin or a pipe.
std::optional<std::size_t> input_size(const std::string& path)
{
  std::error_code ec;
  if (path == "-" || !std::filesystem::is_regular_file(path, ec)) {
    return std::nullopt;
  }
  const auto size = std::filesystem::file_size(path, ec);
  return ec ? std::nullopt : std::optional<std::size_t>(size);
}

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
  print_user_added(ctx, outcome.value(), "Added");
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
  print_user_added(ctx, outcome.value(), "Updated");
}

nlohmann::ordered_json import_json(const ImportSummary& summary)
{
  return {{"added", summary.added},
          {"updated", summary.updated},
          {"unchanged", summary.unchanged},
          {"dry_run", summary.dry_run}};
}

void run_import(Context& ctx, const UserArgs& args)
{
  const auto size = input_size(args.file);
  FdBuffer buffer(open_input(args.file), args.file == "-" ? "standard input" : args.file);
  std::istream in(&buffer);
  ImportOptions options;
  options.existing = args.update ? ExistingUsers::update : ExistingUsers::refuse;
  options.dry_run = args.dry_run ? DryRun::yes : DryRun::no;
  Progress progress(ctx, "Importing users");
  if (progress.enabled()) {
    options.progress = [&](const ImportProgress& done) {
      progress.update(done.rows, done.rows == 1 ? "row" : "rows", done.bytes, size);
    };
  }
  const auto outcome = import_users(ctx.db(), in, ctx.actor(), options);
  progress.finish();
  const auto& summary = outcome.details();
  if (!summary.ignored_columns.empty()) {
    std::string names;
    for (const auto& name : summary.ignored_columns) {
      names += (names.empty() ? "'" : ", '") + name + "'";
    }
    ctx.warning("ignoring unknown column" + std::string(summary.ignored_columns.size() == 1 ? " " : "s ") + names
                + " (known: name, type, auth, email)");
  }
  if (!outcome.ok()) {
    auto data = import_json(summary);
    data["line"] = summary.failed_line;
    auto errors = nlohmann::ordered_json::array();
    for (const auto& error : summary.errors) {
      errors.push_back({{"line", error.line}, {"error", error.error}});
      if (!ctx.json() && summary.bad_rows > 1) {
        ctx.message("line " + std::to_string(error.line) + ": " + error.error);
      }
    }
    data["errors"] = std::move(errors);
    require_ok(outcome, std::move(data));
  }
  if (ctx.json()) {
    ctx.emit_json(import_json(summary));
    return;
  }
  const std::string counts = std::to_string(summary.added) + " added, " + std::to_string(summary.updated)
                             + " updated, " + std::to_string(summary.unchanged) + " unchanged";
  ctx.message(summary.dry_run ? "Dry run, nothing was written; the import would give " + counts
                              : "Imported users: " + counts);
}

void run_list(Context& ctx, const UserArgs& args)
{
  UserFilter filter;
  filter.search = args.search;
  filter.locked = args.locked;
  if (args.enrollment) {
    filter.enrollment = parse_enrollment_state(*args.enrollment);
  }
  if (args.type) {
    filter.type = parse_user_type(*args.type);
  }
  if (args.auth) {
    filter.auth = parse_auth_method(*args.auth);
  }
  const auto users = list_users(ctx.db(), filter);
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

nlohmann::ordered_json time_json(const std::optional<std::int64_t>& at)
{
  return at ? nlohmann::ordered_json(format_rfc3339(*at)) : nlohmann::ordered_json();
}

std::string time_text(const std::optional<std::int64_t>& at)
{
  return at ? format_rfc3339(*at) : "never";
}

void run_show(Context& ctx, const UserArgs& args)
{
  const auto outcome = user_status(ctx.db(), args.name);
  require_ok(outcome);
  const auto& status = outcome.value();
  const auto& user = status.user;
  const std::string locked = status.locked ? "until " + format_rfc3339(*user.locked_until) : "no";
  if (ctx.json()) {
    auto out = user_json(user);
    out["decision"] = to_string(status.decision);
    out["option"] = format_option_value(status.option);
    out["failed_attempts"] = user.failed_attempts;
    out["locked_until"] = time_json(status.locked ? user.locked_until : std::nullopt);
    out["created_at"] = format_rfc3339(user.created_at);
    out["last_login_at"] = time_json(user.last_login_at);
    out["last_failure_at"] = time_json(user.last_failure_at);
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
               {"last login", time_text(user.last_login_at)},
               {"last failure", time_text(user.last_failure_at)},
               {"created", format_rfc3339(user.created_at)}},
              ctx.terminal().stdout_colour);
}

void run_remove(Context& ctx, const UserArgs& args)
{
  auto& db = ctx.db();
  const auto found = find_user(db, args.name);
  require_ok(found);
  ctx.message("Removing user '" + found.value().name + "' (enrollment " + to_string(found.value().enrollment)
              + ") with the enrollment and backup codes.");
  if (ctx.confirm("Remove this user?") == Confirmed::no) {
    throw Failure(ExitStatus::rejected, "not confirmed; nothing changed", user_json(found.value()));
  }
  const auto outcome = remove_user(db, args.name, ctx.actor());
  require_ok(outcome);
  if (ctx.json()) {
    auto out = user_json(outcome.value());
    out["removed"] = true;
    ctx.emit_json(out);
  } else {
    ctx.message("Removed user '" + outcome.value().name + "'");
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

  auto* import = group->add_subcommand(
    "import", "Import users from CSV (columns name, type, auth, email); all or nothing");
  import->add_option("FILE", args->file, "CSV file, or - for standard input")->required();
  import->add_flag("--update", args->update, "Update users that exist (type, auth, email) instead of refusing them");
  import->add_flag("--dry-run", args->dry_run, "Check every row and say what would change; write nothing");
  import->callback([&ctx, args] { run_import(ctx, *args); });

  auto* list = group->add_subcommand("list", "List users");
  list->add_option("--search", args->search, "Only users whose name or e-mail contains TEXT")->option_text("TEXT");
  list->add_flag("--locked", args->locked, "Only users locked out now");
  list->add_option("--enrollment", args->enrollment, "Only users whose enrollment is STATE: none, pending or active")
    ->option_text("STATE")
    ->check(CLI::IsMember({"none", "pending", "active"}));
  list->add_option("--type", args->type, "Only internal or external users")
    ->option_text("TYPE")
    ->check(CLI::IsMember({"internal", "external"}));
  list->add_option("--auth", args->auth, "Only users who sign in with password or sso")
    ->option_text("AUTH")
    ->check(CLI::IsMember({"password", "sso"}));
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
