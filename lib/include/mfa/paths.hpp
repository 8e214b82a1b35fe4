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
// Throws nothing.
MFA_API Getenv process_environment();

struct Paths
{
  std::string database;
  std::string key_file;
};

// The system-wide configuration file, read when neither --config nor
// MFA_CONFIG names another.
inline constexpr const char* k_default_config_file = "/etc/mfa/mfa.conf";

// What a configuration file says: `key = value` lines (`database`,
// `key_file`), `#` comments and blank lines.
struct ConfigFile
{
  std::string path; // empty when no file was read
  std::optional<std::string> database;
  std::optional<std::string> key_file;
};

// Reads the configuration file `path`. A missing file is an empty
// configuration when `required` is false. Throws ConfigError naming the
// file (and line) when it cannot be read, or has an unknown key, a line
// that is not `key = value`, or a value with a control character.
MFA_API ConfigFile read_config_file(const std::string& path, bool required);

// The configuration file to read: the flag, else MFA_CONFIG (both
// required to exist), else k_default_config_file (ignored when absent).
// Throws ConfigError, as read_config_file.
MFA_API ConfigFile load_config(const std::optional<std::string>& config_flag, const Getenv& getenv);

// Where the database and key file are, each from the first of: the flag,
// the environment (MFA_DB / MFA_KEY_FILE), the configuration file, and the
// default ($XDG_DATA_HOME/mfa/mfa.db, else ~/.local/share/mfa/mfa.db, and
// mfa.key beside the database). Throws mfa::Error when no home folder can
// be found for a default.
MFA_API Paths resolve_paths(const std::optional<std::string>& db_flag,
                            const std::optional<std::string>& key_flag,
                            const Getenv& getenv,
                            const ConfigFile& config = {});

// Who is acting, for the audit log: the flag, else MFA_ACTOR, else
// SUDO_USER, else the login name of the process.
// Throws nothing.
MFA_API std::string resolve_actor(const std::optional<std::string>& actor_flag, const Getenv& getenv);

} // namespace mfa
