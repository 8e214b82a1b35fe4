// SPDX-License-Identifier: MIT
#include "util/file_util.hpp"
#include "util/text.hpp"

#include <mfa/error.hpp>
#include <mfa/paths.hpp>
#include <mfa/text.hpp>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <filesystem>

namespace mfa {

namespace {

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
    const bool uri = key == "database" && is_postgres_uri(value);
    if (value.front() != '/' && !uri) {
      throw ConfigError(where + ": " + std::string(key) + " must be an absolute path, not '" + escape_text(value)
                        + "'");
    }
    if (*slot) {
      throw ConfigError(where + ": " + std::string(key) + " is given a second time; give it once");
    }
    *slot = std::string(value);
  }
  return config;
}

bool is_postgres_uri(std::string_view database)
{
  return database.starts_with("postgresql://") || database.starts_with("postgres://");
}

std::string default_key_file(const std::string& database)
{
  // A PostgreSQL URI has no folder: its key file must be named.
  if (is_postgres_uri(database)) {
    return {};
  }
  return (std::filesystem::path(database).parent_path() / "mfa.key").string();
}

} // namespace mfa
