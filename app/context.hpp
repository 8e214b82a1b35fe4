// SPDX-License-Identifier: MIT
#pragma once

#include "terminal.hpp"

#include <mfa/database.hpp>

#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <string_view>

namespace mfa::app {

struct GlobalOptions
{
  std::optional<std::string> db;
  std::optional<std::string> key_file;
  std::optional<std::string> config; // the configuration file
  std::optional<std::string> actor;
  bool json = false;
  bool yes = false;
  bool wide = false; // tables never shortened to the terminal's width
};

enum class Confirmed
{
  yes,
  no,
};

// What every command shares: the global options, the terminal, the database
// (opened on first use) and the way results are written.
class Context
{
public:
  Context();

  GlobalOptions& globals() { return m_globals; }
  const Terminal& terminal() const { return m_terminal; }
  bool json() const { return m_globals.json; }
  // Whether the command line was parsed whole and its command's callback
  // may have begun (set by the root before any command's callback).
  bool command_began() const { return m_command_began; }
  void begin_command() { m_command_began = true; }

  // The database, opened on first use; never created (exit 6 naming the
  // path and `mfa init` when there is none).
  mfa::Database& db();
  // `mfa init`: the database, created first (shared by `group` if given)
  // when there is none.
  mfa::Database& create_db(std::optional<gid_t> group);
  // Another database opened with this one's key file (made first when there
  // is none), for `mfa db copy --to`.
  mfa::Database create_other_db(const std::string& database) const;
  // The database read-only, if it exists; creates nothing.
  std::optional<mfa::Database> existing_db() const;
  // Who is acting, for the audit log; a usage Failure when it holds a
  // control character.
  std::string actor() const;

  // In --json mode prints `value` as the one JSON value on stdout.
  void emit_json(const nlohmann::ordered_json& value) const;
  // Prints a message line to stderr, escaped (display_message()).
  void message(std::string_view text) const;
  void warning(std::string_view text) const;

  // Asks `question` on the terminal. With --yes answers yes without asking;
  // without a terminal on stdin throws a usage Failure.
  Confirmed confirm(std::string_view question) const;

private:
  // Where the database and key are, from the flags and the environment.
  mfa::Database::Config database_config() const;

  GlobalOptions m_globals;
  Terminal m_terminal;
  std::optional<mfa::Database> m_db;
  bool m_command_began = false;
};

} // namespace mfa::app
