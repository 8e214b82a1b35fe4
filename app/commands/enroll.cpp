// SPDX-License-Identifier: MIT
#include "commands/commands.hpp"
#include "help_format.hpp"
#include "context.hpp"
#include "input.hpp"
#include "outcome_exit.hpp"
#include "progress.hpp"
#include "qr_layout.hpp"
#include "secret_output.hpp"
#include "terminal.hpp"
#include "wording.hpp"

#include <mfa/enrollment.hpp>
#include <mfa/otpauth.hpp>
#include <mfa/qr.hpp>
#include <mfa/transfer.hpp>

#include <CLI/CLI.hpp>

#include <unistd.h>

#include <cstring>
#include <filesystem>
#include <memory>
#include <sstream>

namespace mfa::app {

namespace {

struct EnrollArgs
{
  std::string name;
  std::optional<std::string> qr;
  std::optional<std::string> svg;
  std::optional<std::string> batch;
  std::optional<std::string> svg_dir;
  std::optional<std::string> confirm;
  std::optional<std::string> import_format;
  bool show = false;
  std::optional<std::string> export_format;
  std::optional<std::string> user;
};

nlohmann::ordered_json start_json(const EnrollmentStart& start)
{
  return {{"user", start.user}, {"state", "pending"}, {"secret", start.secret}, {"uri", start.uri}};
}

// A file name for a user's QR code that is safe and distinct for every name:
// percent-encoded (so '/' and '..' cannot escape the folder), shortened with
// a digest of the name when too long for a file system.
std::string svg_file_name(const std::string& user)
{
  std::string safe = percent_encode(user);
  if (!safe.empty() && safe[0] == '.') {
    safe = "%2E" + safe.substr(1);
  }
  if (safe.size() > 200) {
    const auto digest = std::hash<std::string>{}(user);
    std::ostringstream tail;
    tail << std::hex << digest;
    safe = safe.substr(0, 180) + "-" + tail.str();
  }
  return safe + ".svg";
}

// How the QR code is drawn: the form (--qr, else utf8 on a terminal, none
// elsewhere) and, without colour, for the terminal's background.
struct QrStyle
{
  std::string form;
  QrColour colour = QrColour::yes;
};

// Without colour the half blocks are drawn in the terminal's ink: which
// modules depends on its background (unknown: light, xterm's default). The
// terminal is asked only where the answer matters, and before any write
// transaction (it may take up to 100 ms to answer).
QrStyle qr_style(const Context& ctx, const std::optional<std::string>& qr)
{
  QrStyle style{qr.value_or(ctx.terminal().stdout_tty ? "utf8" : "none")};
  if (!ctx.json() && style.form != "none" && !ctx.terminal().stdout_colour) {
    style.colour = style.form == "utf8" && detect_background() == Background::dark ? QrColour::no_dark : QrColour::no;
  }
  return style;
}

// Shows a new secret: the URI and secret first, then the QR code (so that
// the code is what stays on screen), set out to fit the terminal; or the
// JSON object.
void show_start(Context& ctx, const EnrollmentStart& start, const QrStyle& style)
{
  if (ctx.json()) {
    ctx.emit_json(start_json(start));
    return;
  }
  const std::vector<std::string> lines = {start.uri, "secret: " + start.secret};
  if (style.form == "none") {
    for (const auto& line : lines) {
      std::printf("%s\n", line.c_str());
    }
    return;
  }
  const auto screen = lay_out_qr(lines, start.uri, style.form == "ansi" ? QrForm::ansi : QrForm::utf8, style.colour,
                                 screen_size(STDOUT_FILENO));
  std::fputs(screen.text.c_str(), stdout);
  if (!screen.fits) {
    ctx.warning("the terminal is too small for the QR code; make the window larger, or write it to a file with "
                "--svg FILE");
  }
}

void run_begin(Context& ctx, const EnrollArgs& args)
{
  // The secret is shown and the SVG written inside the transaction: if any
  // of it fails, nothing is committed (exit 2).
  SecretFiles files;
  const auto style = qr_style(ctx, args.qr);
  const auto outcome = begin_enrollment(ctx.db(), args.name, ctx.actor(), [&](const EnrollmentStart& start) {
    if (args.svg) {
      files.write(*args.svg, render_qr_svg(make_qr(start.uri)));
    }
    show_start(ctx, start, style);
    flush_stdout();
  });
  require_ok(outcome);
  files.keep();
  if (ctx.json()) {
    return;
  }
  const auto& start = outcome.value();
  // One line on an 80-column screen, under the code.
  ctx.message("Scan it in an app, then: mfa enroll " + start.user + " --confirm CODE");
}

void run_show(Context& ctx, const EnrollArgs& args)
{
  const auto outcome = show_enrollment(ctx.db(), args.name);
  require_ok(outcome);
  SecretFiles files;
  if (args.svg) {
    files.write(*args.svg, render_qr_svg(make_qr(outcome.value().uri)));
  }
  show_start(ctx, outcome.value(), qr_style(ctx, args.qr));
  flush_stdout();
  files.keep();
  if (ctx.json()) {
    return;
  }
  ctx.message("Scan it in an app, then: mfa enroll " + outcome.value().user + " --confirm CODE");
}

void run_batch(Context& ctx, const EnrollArgs& args)
{
  // One user name a line; blank lines are skipped but still counted.
  std::vector<std::string> names;
  std::vector<std::size_t> lines;
  std::istringstream text(read_input(*args.batch));
  std::size_t number = 0;
  for (std::string line; std::getline(text, line);) {
    ++number;
    if (!line.empty() && line.back() == '\r') {
      line.pop_back();
    }
    if (line.empty()) {
      continue;
    }
    names.push_back(line);
    lines.push_back(number);
  }
  if (args.svg_dir) {
    std::error_code ec;
    std::filesystem::create_directories(*args.svg_dir, ec);
    if (ec) {
      throw Failure(ExitStatus::usage, "cannot create folder " + *args.svg_dir + ": " + ec.message());
    }
  }
  // Every SVG is written and every line printed before the commit: one that
  // fails leaves every user's enrollment as it was, and no SVG behind.
  SecretFiles files;
  Progress enrolling(ctx, "Enrolling users");
  const auto outcome = begin_enrollments(
    ctx.db(), names, ctx.actor(),
    [&](const BatchEnrollment& batch) {
      enrolling.finish();
      if (args.svg_dir) {
        Progress writing(ctx, "Writing QR codes");
        for (std::size_t i = 0; i < batch.started.size(); ++i) {
          const auto& start = batch.started[i];
          files.write((std::filesystem::path(*args.svg_dir) / svg_file_name(start.user)).string(),
                      render_qr_svg(make_qr(start.uri)));
          writing.update(i + 1, batch.started.size());
        }
      }
      for (const auto& start : batch.started) {
        std::printf("%s\n",
                    start_json(start).dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace).c_str());
      }
      flush_stdout();
    },
    [&](std::size_t done, std::size_t total) { enrolling.update(done, total); });
  enrolling.finish();
  if (!outcome.ok()) {
    const std::size_t line = lines.empty() ? 0 : lines[outcome.details().failed_index];
    throw Failure(exit_for(outcome.status), "line " + std::to_string(line) + ": " + outcome.message + "; nobody was enrolled",
                  {{"line", line}});
  }
  files.keep();
  if (!ctx.json()) {
    ctx.message("Started " + count_of(static_cast<long long>(outcome.value().started.size()), "pending enrollment"));
  }
}

void run_confirm(Context& ctx, const EnrollArgs& args)
{
  const auto outcome = confirm_enrollment(ctx.db(), args.name, read_code(args.confirm, ctx.terminal().stdin_tty), ctx.actor());
  nlohmann::ordered_json out = {{"user", outcome.details().user.empty() ? args.name : outcome.details().user},
                                {"state", to_string(outcome.details().state)},
                                {"backup_codes", outcome.details().backup_codes}};
  require_ok(outcome, out);
  if (ctx.json()) {
    ctx.emit_json(out);
    return;
  }
  ctx.message("Enrollment of '" + outcome.value().user + "' is active.");
  if (!outcome.value().backup_codes.empty()) {
    ctx.message("Backup codes, shown this once; each works once. Keep them somewhere safe:");
    for (const auto& code : outcome.value().backup_codes) {
      std::printf("%s\n", code.c_str());
    }
  }
}

// mfa enroll --export otpauth [--user NAME]: NAME otpauth://... lines, for
// moving out.
void run_export(Context& ctx, const EnrollArgs& args)
{
  if (!args.name.empty() || args.batch || args.confirm || args.qr || args.svg || args.svg_dir || args.show) {
    throw Failure(ExitStatus::usage, "--export takes only --user NAME (see mfa enroll --help)");
  }
  const std::string whose = args.user ? "user '" + *args.user + "''s secret" : "every active enrollment's secret";
  if (ctx.confirm("Print " + whose + " in the clear, for another MFA server or app?") == Confirmed::no) {
    throw Failure(ExitStatus::rejected, "not confirmed; nothing was exported");
  }
  std::optional<std::string_view> name;
  if (args.user) {
    name = *args.user;
  }
  const auto outcome = export_enrollments(ctx.db(), name, ctx.actor());
  require_ok(outcome);
  if (ctx.json()) {
    auto out = nlohmann::ordered_json::array();
    for (const auto& entry : outcome.value()) {
      out.push_back({{"user", entry.user}, {"uri", entry.uri}});
    }
    ctx.emit_json(out);
    return;
  }
  for (const auto& entry : outcome.value()) {
    std::printf("%s %s\n", entry.user.c_str(), entry.uri.c_str());
  }
  flush_stdout();
  ctx.message("Exported " + count_of(static_cast<long long>(outcome.value().size()), "active enrollment")
              + "; each is audited (enroll.export). Anyone with these lines can make the users' codes.");
}

// mfa enroll --import FORMAT FILE [--user NAME]: active enrollments from
// another tool's files.
constexpr std::size_t k_max_import_bytes = 64 * 1024 * 1024; // 64 MiB: about a million users
void run_import(Context& ctx, const EnrollArgs& args)
{
  if (args.export_format || args.batch || args.confirm || args.qr || args.svg || args.svg_dir || args.show) {
    throw Failure(ExitStatus::usage, "--import takes only FILE and, for google-authenticator, --user NAME "
                                     "(see mfa enroll --help)");
  }
  if (args.name.empty()) {
    throw Failure(ExitStatus::usage, "--import " + *args.import_format + " needs the FILE to read (- for stdin)");
  }
  const auto format = parse_import_format(*args.import_format);
  if (!format) {
    throw Failure(ExitStatus::usage, "--import takes google-authenticator, users.oath or otpauth");
  }
  if (*format == ImportFormat::google_authenticator && !args.user) {
    throw Failure(ExitStatus::usage, "a google-authenticator file is one user's: give --user NAME");
  }
  if (*format != ImportFormat::google_authenticator && args.user) {
    throw Failure(ExitStatus::usage, "--user goes with --import google-authenticator or --export");
  }
  // The file's secrets are wiped however the import ends.
  struct Wiped
  {
    std::string text;
    ~Wiped() { ::explicit_bzero(text.data(), text.size()); }
  } file{read_input(args.name, k_max_import_bytes)};
  std::optional<std::string_view> user;
  if (args.user) {
    user = *args.user;
  }
  auto outcome = import_enrollments(ctx.db(), *format, file.text, user, ctx.actor());
  nlohmann::ordered_json out{{"imported", outcome.ok() ? outcome.value().imported : 0}};
  require_ok(outcome, out);
  const ImportReport& report = outcome.value();
  if (ctx.json()) {
    ctx.emit_json(out);
    return;
  }
  std::string line = "Imported " + count_of(report.imported, "active enrollment") + " from " + args.name;
  if (report.backup_codes > 0) {
    line += ", with " + count_of(report.backup_codes, "scratch code") + " as backup codes";
  }
  ctx.message(line + "; nobody needs to scan again. Each user is audited (enroll.import).");
  if (report.pins_dropped > 0) {
    ctx.message("Note: " + count_of(report.pins_dropped, "users.oath line") + " had a PIN, which mfa does not keep: "
                "those users sign in with their password and a code.");
  }
}

void run_enroll(Context& ctx, const EnrollArgs& args)
{
  if (args.import_format) {
    run_import(ctx, args);
    return;
  }
  if (args.export_format) {
    run_export(ctx, args);
    return;
  }
  if (args.user) {
    throw Failure(ExitStatus::usage, "--user goes with --export (see mfa enroll --help)");
  }
  if (args.batch) {
    if (!args.name.empty() || args.confirm || args.qr || args.svg || args.show) {
      throw Failure(ExitStatus::usage,
                    "--batch takes no NAME, --confirm, --show, --qr or --svg (see mfa enroll --help)");
    }
    run_batch(ctx, args);
    return;
  }
  if (args.name.empty()) {
    throw Failure(ExitStatus::usage, "enroll needs a user NAME or --batch FILE (see mfa enroll --help)");
  }
  if (args.svg_dir) {
    throw Failure(ExitStatus::usage, "--svg-dir goes with --batch; for one user use --svg FILE");
  }
  if (args.confirm) {
    if (args.qr || args.svg || args.show) {
      throw Failure(ExitStatus::usage, "--confirm takes no --qr, --svg or --show");
    }
    run_confirm(ctx, args);
    return;
  }
  if (args.show) {
    run_show(ctx, args);
    return;
  }
  run_begin(ctx, args);
}

} // namespace

void setup_enroll(CLI::App& root, Context& ctx)
{
  auto args = std::make_shared<EnrollArgs>();
  auto* cmd = root.add_subcommand("enroll", "Start a user's enrollment (secret, URI and QR), or confirm it");
  cmd->add_option("NAME", args->name, "User name");
  cmd->add_option("--qr", args->qr, "QR code on stdout: utf8 (default on a terminal), ansi or none")
    ->option_text("FORM")
    ->check(CLI::IsMember({"utf8", "ansi", "none"}));
  cmd->add_option("--svg", args->svg, "Also write the QR code as SVG to FILE (mode 0600)")->option_text("FILE");
  cmd->add_option("--batch", args->batch, "Enroll every user named in FILE (- for stdin), one a line; JSON lines out")
    ->option_text("FILE");
  cmd->add_option("--svg-dir", args->svg_dir, "With --batch: write NAME.svg for each user into DIR")
    ->option_text("DIR");
  cmd->add_flag("--show", args->show, "Show the pending enrollment's URI and QR code again, without a new secret");
  cmd->add_option("--confirm", args->confirm, "Confirm the pending enrollment with the first CODE from the app (- reads it from stdin)")
    ->option_text("CODE");
  cmd->add_option("--export", args->export_format,
                  "Print NAME otpauth:// lines of the active enrollments (after a confirmation), for moving out")
    ->option_text("FORMAT")
    ->check(CLI::IsMember({"otpauth"}));
  cmd->add_option("--import", args->import_format,
                  "Import FILE: google-authenticator (with --user), users.oath or otpauth")
    ->option_text("FORMAT")
    ->check(CLI::IsMember({"google-authenticator", "users.oath", "otpauth"}));
  cmd->add_option("--user", args->user, "With --export: only this user; with --import google-authenticator: whose file")
    ->option_text("NAME");
  cmd->callback([&ctx, args] { run_enroll(ctx, *args); });
  cmd->footer(examples({"mfa enroll alice --svg alice.svg", "mfa enroll alice --confirm 123456",
                        "mfa enroll --batch names.txt --svg-dir qr-codes", "mfa enroll --import google-authenticator /home/alice/.google_authenticator --user alice",
                        "mfa enroll --import users.oath /etc/users.oath",
                        "(umask 077; mfa -y enroll --export otpauth > moving-out.txt)"}));
}

} // namespace mfa::app
