// SPDX-License-Identifier: MIT
#include "cli.hpp"
#include "context.hpp"
#include "failure.hpp"

#include <mfa/error.hpp>

#include <CLI/CLI.hpp>

#include <sys/prctl.h>
#include <sys/resource.h>

#include <cstdio>
#include <optional>
#include <string_view>

namespace {

using mfa::app::ExitStatus;

int report(const mfa::app::Context& ctx, bool json, ExitStatus status, const std::string& message,
           nlohmann::ordered_json data = nlohmann::ordered_json::object())
{
  const int code = static_cast<int>(status);
  if (json) {
    if (!data.is_object()) {
      data = nlohmann::ordered_json::object();
    }
    data["error"] = message;
    data["exit"] = code;
    ctx.emit_json(data);
  }
  std::fprintf(stderr, "%s %s\n", mfa::app::paint("mfa: error:", "1;31", ctx.terminal().stderr_colour).c_str(),
               mfa::app::display_message(message).c_str());
  return code;
}

} // namespace

namespace {

// The process holds the database key in memory: it must never leave it in a
// core file, nor let another process of the same account read its memory.
void protect_process_memory()
{
  const rlimit no_core{0, 0};
  ::setrlimit(RLIMIT_CORE, &no_core);
  ::prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
}

// Runs the command line on the tree setup_cli(only) builds. Empty when, on
// the tree of one group (`only` given), it ended in help, the version or a
// parse error before any command began: the whole tree says those.
std::optional<int> run_on(int argc, char** argv, std::string_view only)
{
  mfa::app::Context ctx;
  const bool json = mfa::app::json_requested(argc, argv);
  CLI::App app{"Administer TOTP multi-factor authentication for an application's users", "mfa"};
  try {
    try {
      mfa::app::setup_cli(app, ctx, only);
      app.parse(argc, argv);
      return 0;
    } catch (const CLI::ParseError&) {
      if (!only.empty() && !ctx.command_began()) {
        return std::nullopt;
      }
      throw;
    }
  } catch (const CLI::CallForVersion&) {
    if (json) {
      ctx.emit_json({{"version", MFA_VERSION}});
    } else {
      std::printf("mfa %s\n", MFA_VERSION);
    }
    return 0;
  } catch (const CLI::Success&) {
    if (json) {
      ctx.emit_json({{"help", app.help()}});
    } else {
      std::fputs(app.help().c_str(), stdout);
    }
    return 0;
  } catch (const CLI::ParseError& e) {
    // CLI11's own codes (100+) all mean a usage error to us.
    return report(ctx, json, ExitStatus::usage, mfa::app::explain_parse_error(app, e));
  } catch (const mfa::app::Failure& e) {
    return report(ctx, json, e.status(), e.what(), e.data());
  } catch (const mfa::InvalidArgument& e) {
    return report(ctx, json, ExitStatus::usage, e.what());
  } catch (const mfa::ConfigError& e) {
    return report(ctx, json, ExitStatus::usage, e.what());
  } catch (const mfa::Error& e) {
    return report(ctx, json, ExitStatus::storage, e.what());
  } catch (const std::exception& e) {
    return report(ctx, json, ExitStatus::storage, std::string("unexpected failure: ") + e.what());
  } catch (...) {
    return report(ctx, json, ExitStatus::storage, "unexpected failure");
  }
}

// Building the whole command tree cost 0.9 M instructions at each start (6 %
// of a verify): a command line that names a command runs on the tree of that
// command's group alone.
int run(int argc, char** argv)
{
  if (const auto only = mfa::app::named_command(argc, argv); !only.empty()) {
    if (const auto status = run_on(argc, argv, only)) {
      return *status;
    }
  }
  return *run_on(argc, argv, {});
}

} // namespace

int main(int argc, char** argv)
{
  protect_process_memory();
  return run(argc, argv);
}
