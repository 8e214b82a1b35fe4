// SPDX-License-Identifier: MIT
#pragma once

// The mfa command's environment rules: where the database, key file and
// configuration file are, and who is acting. The library reads no
// environment variable (an application says where things are itself).

#include <mfa/paths.hpp>

#include <functional>
#include <optional>
#include <string>

namespace mfa::app {

// Reads one environment variable; empty values count as unset.
using Getenv = std::function<std::optional<std::string>(const char* name)>;

// The real process environment.
Getenv process_environment();

// The configuration file to read: the flag, else MFA_CONFIG (both
// required to exist), else mfa::k_default_config_file (ignored when absent).
// Throws ConfigError, as mfa::read_config_file.
ConfigFile load_config(const std::optional<std::string>& config_flag, const Getenv& getenv);

// Where the database and key file are, each from the first of: the flag,
// the environment (MFA_DB / MFA_KEY_FILE), the configuration file, and the
// default ($XDG_DATA_HOME/mfa/mfa.db, else ~/.local/share/mfa/mfa.db, and
// mfa::default_key_file beside the database). Throws mfa::Error when no
// home folder can be found for a default.
Paths resolve_paths(const std::optional<std::string>& db_flag,
                    const std::optional<std::string>& key_flag,
                    const Getenv& getenv,
                    const ConfigFile& config = {});

// Who is acting, for the audit log: the flag, else MFA_ACTOR, else
// SUDO_USER, else the login name of the process.
std::string resolve_actor(const std::optional<std::string>& actor_flag, const Getenv& getenv);

} // namespace mfa::app
