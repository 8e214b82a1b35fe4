// SPDX-License-Identifier: MIT
#include "util/file_util.hpp"
#include "util/text.hpp"

#include <mfa/error.hpp>
#include <mfa/paths.hpp>
#include <mfa/text.hpp>

#include <fcntl.h>
#include <pwd.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
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

// The longest configuration file read: a few lines are expected.
constexpr std::size_t k_config_limit = 64 * 1024;

// Reads the whole file, or nothing when it does not exist and may not.
std::optional<std::string> read_text_file(const std::string& path, bool required)
{
  detail::Fd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK));
  if (fd.get() < 0) {
    if (errno == ENOENT && !required) {
      return std::nullopt;
    }
    throw ConfigError("cannot read configuration file " + path + ": " + detail::errno_text(errno));
  }
  struct stat st{};
  // A character device is read too: MFA_CONFIG=/dev/null is no configuration.
  if (::fstat(fd.get(), &st) != 0 || !(S_ISREG(st.st_mode) || S_ISCHR(st.st_mode))) {
    throw ConfigError("configuration file " + path + " is not a regular file");
  }
  std::string text;
  char buffer[4096];
  for (;;) {
    const ssize_t n = ::read(fd.get(), buffer, sizeof buffer);
    if (n < 0 && errno == EINTR) {
      continue;
    }
    if (n < 0) {
      throw ConfigError("cannot read configuration file " + path + ": " + detail::errno_text(errno));
    }
    if (n == 0) {
      return text;
    }
    text.append(buffer, static_cast<std::size_t>(n));
    if (text.size() > k_config_limit) {
      throw ConfigError("configuration file " + path + " is longer than " + std::to_string(k_config_limit / 1024)
                        + " KiB; it holds a few key = value lines");
    }
  }
}

} // namespace

ConfigFile read_config_file(const std::string& path, bool required)
{
  ConfigFile config;
  const auto text = read_text_file(path, required);
  if (!text) {
    return config;
  }
  config.path = path;
  std::size_t number = 0;
  std::size_t start = 0;
  while (start < text->size()) {
    auto end = text->find('\n', start);
    if (end == std::string::npos) {
      end = text->size();
    }
    ++number;
    std::string_view line(text->data() + start, end - start);
    start = end + 1;
    if (!line.empty() && line.back() == '\r') {
      line.remove_suffix(1);
    }
    const std::string where = "configuration file " + path + " line " + std::to_string(number);
    line = detail::trim(line);
    if (line.empty() || line.front() == '#') {
      continue;
    }
    const auto equals = line.find('=');
    if (equals == std::string_view::npos) {
      throw ConfigError(where + " is not 'key = value': " + escape_text(line));
    }
    const auto key = detail::trim(line.substr(0, equals));
    const auto value = detail::trim(line.substr(equals + 1));
    std::optional<std::string>* slot = key == "database" ? &config.database
                                       : key == "key_file" ? &config.key_file
                                                           : nullptr;
    if (slot == nullptr) {
      throw ConfigError(where + ": unknown key '" + escape_text(key) + "'; the keys are database and key_file");
    }
    if (value.empty()) {
      throw ConfigError(where + ": " + std::string(key) + " has no value");
    }
    if (auto problem = text_problem(key == "database" ? "the database" : "the key file", value)) {
      throw ConfigError(where + ": " + *problem);
    }
    const bool uri = key == "database" && (value.starts_with("postgresql://") || value.starts_with("postgres://"));
    if (value.front() != '/' && !uri) {
      throw ConfigError(where + ": " + std::string(key) + " must be an absolute path, not '" + escape_text(value)
                        + "'");
    }
    *slot = std::string(value);
  }
  return config;
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
