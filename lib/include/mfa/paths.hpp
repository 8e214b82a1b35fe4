// SPDX-License-Identifier: MIT
#pragma once

#include <mfa/export.hpp>

#include <optional>
#include <string>
#include <string_view>

namespace mfa {

struct Paths
{
  std::string database;
  std::string key_file;
};

// The system-wide configuration file (the mfa command reads it when neither
// --config nor MFA_CONFIG names another).
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

// Whether `database` names a PostgreSQL database (a libpq connection URI,
// `postgresql://...` or `postgres://...`) rather than an SQLite file.
// Throws nothing.
MFA_API bool is_postgres_uri(std::string_view database);

// "mfa.key" in the folder of the database file: where `mfa init` puts the
// key when none is named; empty for a PostgreSQL URI (`postgresql://...` or
// `postgres://...`), whose key file must be named. The library reads no environment variable; the
// mfa command's rules (--db, MFA_DB, MFA_KEY_FILE, MFA_CONFIG, XDG_DATA_HOME,
// HOME, MFA_ACTOR, SUDO_USER) are the command's own (app/environment.hpp).
// Throws nothing (but std::bad_alloc).
MFA_API std::string default_key_file(const std::string& database);

} // namespace mfa
