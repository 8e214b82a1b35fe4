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

namespace {

// The precedence every setting follows: a non-empty flag, then the
// environment variable, then (where there is one) the configuration file.
std::optional<std::string> flag_or_environment(const std::optional<std::string>& flag, const char* variable,
                                               const Getenv& getenv,
                                               const std::optional<std::string>& from_file = std::nullopt)
{
  if (flag && !flag->empty()) {
    return flag;
  }
  if (auto env = getenv(variable)) {
    return env;
  }
  return from_file;
}

} // namespace

ConfigFile load_config(const std::optional<std::string>& config_flag, const Getenv& getenv)
{
  if (auto named = flag_or_environment(config_flag, "MFA_CONFIG", getenv)) {
    return read_config_file(*named, true);
  }
  return read_config_file(k_default_config_file, false);
}

Paths resolve_paths(const std::optional<std::string>& db_flag,
                    const std::optional<std::string>& key_flag,
                    const Getenv& getenv,
                    const ConfigFile& config)
{
  Paths paths;
  if (auto chosen = flag_or_environment(db_flag, "MFA_DB", getenv, config.database)) {
    paths.database = *chosen;
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

  if (auto chosen = flag_or_environment(key_flag, "MFA_KEY_FILE", getenv, config.key_file)) {
    paths.key_file = *chosen;
  } else {
    paths.key_file = default_key_file(paths.database);
  }
  return paths;
}

std::string resolve_actor(const std::optional<std::string>& actor_flag, const Getenv& getenv)
{
  if (auto chosen = flag_or_environment(actor_flag, "MFA_ACTOR", getenv)) {
    return *chosen;
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
