// SPDX-License-Identifier: MIT
#include "environment.hpp"

#include <mfa/error.hpp>

#include <pwd.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>

namespace mfa::app {

namespace {

std::optional<std::string> passwd_field(bool home)
{
  const passwd* pw = getpwuid(geteuid());
  if (pw == nullptr) {
    return std::nullopt;
  }
  const char* field = home ? pw->pw_dir : pw->pw_name;
  if (field == nullptr || *field == '\0') {
    return std::nullopt;
  }
  return std::string(field);
}

} // namespace

Getenv process_environment()
{
  return [](const char* name) -> std::optional<std::string> {
    const char* value = std::getenv(name);
    if (value == nullptr || *value == '\0') {
      return std::nullopt;
    }
    return std::string(value);
  };
}

ConfigFile load_config(const std::optional<std::string>& config_flag, const Getenv& getenv)
{
  if (config_flag && !config_flag->empty()) {
    return read_config_file(*config_flag, true);
  }
  if (auto env = getenv("MFA_CONFIG")) {
    return read_config_file(*env, true);
  }
  return read_config_file(k_default_config_file, false);
}

Paths resolve_paths(const std::optional<std::string>& db_flag,
                    const std::optional<std::string>& key_flag,
                    const Getenv& getenv,
                    const ConfigFile& config)
{
  Paths paths;
  if (db_flag && !db_flag->empty()) {
    paths.database = *db_flag;
  } else if (auto env = getenv("MFA_DB")) {
    paths.database = *env;
  } else if (config.database) {
    paths.database = *config.database;
  } else if (auto xdg = getenv("XDG_DATA_HOME")) {
    paths.database = (std::filesystem::path(*xdg) / "mfa" / "mfa.db").string();
  } else {
    auto home = getenv("HOME");
    if (!home) {
      home = passwd_field(true);
    }
    if (!home) {
      throw Error("cannot find a home folder for the default database; give --db or set MFA_DB");
    }
    paths.database = (std::filesystem::path(*home) / ".local" / "share" / "mfa" / "mfa.db").string();
  }

  if (key_flag && !key_flag->empty()) {
    paths.key_file = *key_flag;
  } else if (auto env = getenv("MFA_KEY_FILE")) {
    paths.key_file = *env;
  } else if (config.key_file) {
    paths.key_file = *config.key_file;
  } else {
    paths.key_file = default_key_file(paths.database);
  }
  return paths;
}

std::string resolve_actor(const std::optional<std::string>& actor_flag, const Getenv& getenv)
{
  if (actor_flag && !actor_flag->empty()) {
    return *actor_flag;
  }
  if (auto env = getenv("MFA_ACTOR")) {
    return *env;
  }
  if (auto sudo = getenv("SUDO_USER")) {
    return *sudo;
  }
  if (const char* login = getlogin(); login != nullptr && *login != '\0') {
    return login;
  }
  if (auto name = passwd_field(false)) {
    return *name;
  }
  return "uid:" + std::to_string(geteuid());
}

} // namespace mfa::app
