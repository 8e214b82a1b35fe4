// SPDX-License-Identifier: MIT
#pragma once

#include <mfa/export.hpp>

#include <functional>
#include <optional>
#include <string>

namespace mfa {

// Reads one environment variable; empty values count as unset.
using Getenv = std::function<std::optional<std::string>(const char* name)>;

// The real process environment.
MFA_API Getenv process_environment();

struct Paths
{
  std::string database;
  std::string key_file;
};

// Where the database and key file are: the flag, else MFA_DB / MFA_KEY_FILE,
// else $XDG_DATA_HOME/mfa/mfa.db (or ~/.local/share/mfa/mfa.db) and mfa.key
// beside the database. Throws mfa::Error when no home folder can be found.
MFA_API Paths resolve_paths(const std::optional<std::string>& db_flag,
                            const std::optional<std::string>& key_flag,
                            const Getenv& getenv);

// Who is acting, for the audit log: the flag, else MFA_ACTOR, else
// SUDO_USER, else the login name of the process.
MFA_API std::string resolve_actor(const std::optional<std::string>& actor_flag, const Getenv& getenv);

} // namespace mfa
