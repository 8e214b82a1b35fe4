// SPDX-License-Identifier: MIT
// The mfa command's environment rules (app/environment.cpp): MFA_DB,
// MFA_KEY_FILE, MFA_CONFIG, XDG_DATA_HOME, HOME, MFA_ACTOR, SUDO_USER, with
// the precedence flag > environment > configuration file > default.
#include "environment.hpp"
#include "helpers.hpp"

#include <mfa/error.hpp>
#include <mfa/paths.hpp>

#include <doctest/doctest.h>

#include <map>

using namespace mfa;
using namespace mfa::app;

namespace {

// An environment made of a map.
Getenv fake_env(std::map<std::string, std::string> vars)
{
  return [vars](const char* name) -> std::optional<std::string> {
    auto it = vars.find(name);
    if (it == vars.end() || it->second.empty()) {
      return std::nullopt;
    }
    return it->second;
  };
}

} // namespace

TEST_CASE("paths: flag, then environment, then XDG, then home")
{
  const auto env = fake_env({{"MFA_DB", "/env/m.db"}, {"XDG_DATA_HOME", "/xdg"}, {"HOME", "/home/u"}});
  CHECK(resolve_paths(std::string("/flag/f.db"), std::nullopt, env).database == "/flag/f.db");
  CHECK(resolve_paths(std::nullopt, std::nullopt, env).database == "/env/m.db");
  CHECK(resolve_paths(std::nullopt, std::nullopt, fake_env({{"XDG_DATA_HOME", "/xdg"}, {"HOME", "/h"}}))
          .database
        == "/xdg/mfa/mfa.db");
  CHECK(resolve_paths(std::nullopt, std::nullopt, fake_env({{"XDG_DATA_HOME", ""}, {"HOME", "/h"}})).database
        == "/h/.local/share/mfa/mfa.db");
}

TEST_CASE("paths: the key file sits beside the database unless given")
{
  const auto env = fake_env({{"HOME", "/h"}});
  CHECK(resolve_paths(std::string("/d/x.db"), std::nullopt, env).key_file == "/d/mfa.key");
  CHECK(resolve_paths(std::string("/d/x.db"), std::string("/k/key"), env).key_file == "/k/key");
  CHECK(resolve_paths(std::string("/d/x.db"), std::nullopt, fake_env({{"MFA_KEY_FILE", "/e/key"}})).key_file
        == "/e/key");
}

TEST_CASE("actor: flag, then MFA_ACTOR, then SUDO_USER, then the login name")
{
  CHECK(resolve_actor(std::string("flag"), fake_env({{"MFA_ACTOR", "env"}})) == "flag");
  CHECK(resolve_actor(std::nullopt, fake_env({{"MFA_ACTOR", "env"}, {"SUDO_USER", "sudo"}})) == "env");
  CHECK(resolve_actor(std::nullopt, fake_env({{"SUDO_USER", "sudo"}})) == "sudo");
  CHECK_FALSE(resolve_actor(std::nullopt, fake_env({})).empty());
}

TEST_CASE("config file: the flag beats MFA_CONFIG, which must exist, as the flag's file must")
{
  test::write_file("named.conf", "database = /named.db\n");
  CHECK(load_config(std::string("named.conf"), fake_env({{"MFA_CONFIG", "absent.conf"}})).database == "/named.db");
  CHECK(load_config(std::nullopt, fake_env({{"MFA_CONFIG", "named.conf"}})).database == "/named.db");
  CHECK_THROWS_AS(load_config(std::nullopt, fake_env({{"MFA_CONFIG", "absent.conf"}})), ConfigError);
  CHECK_THROWS_AS(load_config(std::string("absent.conf"), fake_env({})), ConfigError);
}

TEST_CASE("config file: a flag beats the environment, which beats the file, which beats the default")
{
  ConfigFile file;
  file.database = "/file/f.db";
  file.key_file = "/file/f.key";
  const auto env = fake_env({{"MFA_DB", "/env/e.db"}, {"MFA_KEY_FILE", "/env/e.key"}, {"HOME", "/h"}});
  const auto home = fake_env({{"HOME", "/h"}});
  CHECK(resolve_paths(std::string("/flag/x.db"), std::nullopt, env, file).database == "/flag/x.db");
  CHECK(resolve_paths(std::nullopt, std::nullopt, env, file).database == "/env/e.db");
  CHECK(resolve_paths(std::nullopt, std::nullopt, home, file).database == "/file/f.db");
  CHECK(resolve_paths(std::nullopt, std::nullopt, home).database == "/h/.local/share/mfa/mfa.db");
  CHECK(resolve_paths(std::nullopt, std::string("/flag/k"), env, file).key_file == "/flag/k");
  CHECK(resolve_paths(std::nullopt, std::nullopt, env, file).key_file == "/env/e.key");
  CHECK(resolve_paths(std::nullopt, std::nullopt, home, file).key_file == "/file/f.key");
  ConfigFile only_database;
  only_database.database = "/file/f.db";
  CHECK(resolve_paths(std::nullopt, std::nullopt, home, only_database).key_file == "/file/mfa.key");
}

TEST_CASE("paths: the library's default key file is mfa.key in the database's folder")
{
  CHECK(default_key_file("/d/x.db") == "/d/mfa.key");
  CHECK(default_key_file("/srv/mfa/team.db") == "/srv/mfa/mfa.key");
  CHECK(default_key_file("x.db") == "mfa.key");
  CHECK(resolve_paths(std::string("/d/x.db"), std::nullopt, fake_env({})).key_file == default_key_file("/d/x.db"));
}
