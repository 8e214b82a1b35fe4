// SPDX-License-Identifier: MIT
#include <mfa/error.hpp>
#include <mfa/paths.hpp>

#include <pwd.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>

namespace mfa {

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

Paths resolve_paths(const std::optional<std::string>& db_flag,
                    const std::optional<std::string>& key_flag,
                    const Getenv& getenv)
{
  Paths paths;
  if (db_flag && !db_flag->empty()) {
    paths.database = *db_flag;
  } else if (auto env = getenv("MFA_DB")) {
    paths.database = *env;
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
  } else {
    paths.key_file = (std::filesystem::path(paths.database).parent_path() / "mfa.key").string();
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

} // namespace mfa
