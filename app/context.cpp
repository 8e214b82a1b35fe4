// SPDX-License-Identifier: MIT
#include "context.hpp"

#include "environment.hpp"
#include "failure.hpp"

#include <mfa/text.hpp>

#include <cstdio>
#include <iostream>

namespace mfa::app {

Context::Context() : m_terminal(Terminal::detect())
{
}

mfa::Database::Config Context::database_config() const
{
  mfa::Database::Config config;
  const auto getenv = process_environment();
  config.paths = resolve_paths(m_globals.db, m_globals.key_file, getenv, load_config(m_globals.config, getenv));
  return config;
}

mfa::Database& Context::db()
{
  if (!m_db) {
    m_db.emplace(mfa::Database::open(database_config()));
  }
  return *m_db;
}

mfa::Database& Context::create_db(std::optional<gid_t> group)
{
  if (!m_db) {
    m_db.emplace(mfa::Database::create(database_config(), group));
  }
  return *m_db;
}

mfa::Database Context::create_other_db(const std::string& database) const
{
  auto config = database_config();
  config.paths.database = database;
  return mfa::Database::create(config);
}

std::optional<mfa::Database> Context::existing_db() const
{
  return mfa::Database::open_existing_read_only(database_config());
}

std::string Context::actor() const
{
  auto actor = resolve_actor(m_globals.actor, process_environment());
  if (auto problem = mfa::text_problem("the actor (--actor, MFA_ACTOR or SUDO_USER)", actor)) {
    throw Failure(ExitStatus::usage, *problem);
  }
  return actor;
}

void Context::emit_json(const nlohmann::ordered_json& value) const
{
  std::fputs(value.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace).c_str(), stdout);
  std::fputc('\n', stdout);
}

void Context::message(std::string_view text) const
{
  std::fprintf(stderr, "%s\n", display_message(text).c_str());
}

void Context::warning(std::string_view text) const
{
  std::fprintf(stderr, "%s %s\n", paint("mfa: warning:", "1;33", m_terminal.stderr_colour).c_str(),
               display_message(text).c_str());
}

Confirmed Context::confirm(std::string_view question) const
{
  if (m_globals.yes) {
    return Confirmed::yes;
  }
  if (!m_terminal.stdin_tty) {
    throw Failure(ExitStatus::usage, "confirmation needed: run on a terminal or pass --yes");
  }
  std::fprintf(stderr, "%s [y/N] ", display_message(question).c_str());
  std::fflush(stderr);
  std::string answer;
  if (!std::getline(std::cin, answer)) {
    std::fputc('\n', stderr);
    return Confirmed::no;
  }
  return (answer == "y" || answer == "Y" || answer == "yes" || answer == "Yes" || answer == "YES") ? Confirmed::yes
                                                                                                  : Confirmed::no;
}

} // namespace mfa::app
